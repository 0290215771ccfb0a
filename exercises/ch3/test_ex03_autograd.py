"""Public checks for ex03_autograd / 基础 3 的公开检查。"""

import torch

from chapters.ch3.judging.ex03 import (
    expect_freeze,
    expect_gradient,
    expect_predict,
    loss_reference,
)
from chapters.ch3.probes.ex03 import FEATURES, build_model
from grader.judge.check import Judge, check
from grader.judge.expect import expect, expect_tensor

EX = "ex03_autograd"
CHAPTER_X = torch.tensor([0.0, 1.0])  # the chapter's example: y = 4.5, dy/dx = [-1, 0]


@check(EX, 1)
def test_chapter_loss(judge: Judge) -> None:
    """chapter_loss 等于 mean((x − 1)² + 4)，是 0 维张量，且可微
    chapter_loss equals mean((x − 1)² + 4), is a 0-d tensor, and is differentiable"""
    for x, inputs in ((CHAPTER_X, "the chapter's x = [0, 1]"), (judge.randn(3, 4), "float32 (3, 4)")):
        seen = judge.probe("ch3.ex03.apply", func="chapter_loss", x=x, requires_grad=True)
        expect_tensor(seen["result"], loss_reference(x)[0].float(), "chapter_loss(x)", device=judge.device,
                      inputs=inputs + ", requires_grad=True")
        expect(seen["result"]["has_graph"], "x 需要梯度时，chapter_loss(x) 的结果没有计算图，无法反向传播。",
               "With x requiring grad, chapter_loss(x) has no graph, so nothing can be back-propagated.",
               f"输入 input: {inputs}")


@check(EX, 1)
def test_grad_by_autograd_values(judge: Judge) -> None:
    """grad_by_autograd 给出 2(x − 1)/N，是普通张量，x 不需要梯度时保持原样
    grad_by_autograd gives 2(x − 1)/N as a plain tensor, and leaves an x without grad as it was"""
    for x, inputs in ((CHAPTER_X, "the chapter's x = [0, 1]"), (judge.randn(3, 4), "float32 (3, 4)")):
        seen = judge.probe("ch3.ex03.apply", func="grad_by_autograd", x=x, requires_grad=False)
        expect_gradient(seen, x, "grad_by_autograd", judge.device, inputs + ", requires_grad=False")


@check(EX, 1)
def test_grad_by_autograd_leaves_x(judge: Judge) -> None:
    """x 需要梯度时，grad_by_autograd 不改动 x 的 requires_grad 与 .grad
    with x requiring grad, grad_by_autograd leaves x's requires_grad and .grad alone"""
    x = judge.randn(2, 5)
    seen = judge.probe("ch3.ex03.apply", func="grad_by_autograd", x=x, requires_grad=True)
    expect_gradient(seen, x, "grad_by_autograd", judge.device, "float32 (2, 5), requires_grad=True, x.grad None")
    preset = judge.randn(2, 5)
    seen = judge.probe("ch3.ex03.apply", func="grad_by_autograd", x=x, requires_grad=True, grad=preset)
    expect_gradient(seen, x, "grad_by_autograd", judge.device, "float32 (2, 5), requires_grad=True, x.grad set",
                    grad=preset)


@check(EX, 1)
def test_grad_by_hand(judge: Judge) -> None:
    """grad_by_hand 给出 2(x − 1)/N，且即使 x 需要梯度也不建计算图
    grad_by_hand gives 2(x − 1)/N and builds no graph, even when x requires grad"""
    x = judge.randn(4, 3)
    for requires_grad in (False, True):
        seen = judge.probe("ch3.ex03.apply", func="grad_by_hand", x=x, requires_grad=requires_grad)
        expect_gradient(seen, x, "grad_by_hand", judge.device, f"float32 (4, 3), requires_grad={requires_grad}")


@check(EX, 0.5)
def test_freeze(judge: Judge) -> None:
    """freeze_ 冻结所有参数并返回冻结的标量参数个数
    freeze_ freezes every parameter and returns how many scalar parameters it froze"""
    total = sum(p.numel() for p in build_model(0).parameters())
    seen = judge.probe("ch3.ex03.freeze", model_seed=0, frozen=[])
    expect_freeze(seen, [total], "grader model (Linear, BatchNorm1d, Dropout, a shared Linear), nothing frozen")


@check(EX, 0.5)
def test_predict(judge: Judge) -> None:
    """predict 按评估模式推理、不建计算图、恢复 training 标志、不改滑动统计量
    predict runs in eval mode without a graph, restores the training flag, keeps running stats"""
    x = judge.randn(8, FEATURES)
    seen = judge.probe("ch3.ex03.predict", model_seed=0, x=x, train=True)
    expect_predict(seen, 0, x, judge.device, "grader model in train mode, float32 (8, 6)")
