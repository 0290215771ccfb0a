"""Public checks for ex03_autograd / 基础 3 的公开检查。"""

import torch

from chapters.ch3.judging.ex03 import (
    expect_autograd_used,
    expect_freeze,
    expect_gradient,
    expect_loss,
    expect_predict,
)
from chapters.ch3.probes.ex03 import FEATURES, build_model
from grader.judge.check import Judge, check

EX = "ex03_autograd"
CHAPTER_X = torch.tensor([0.0, 1.0])  # the chapter's example: y = 4.5, dy/dx = [-1, 0]
ALREADY_FROZEN = ["0.weight", "1.bias", "4.weight"]  # of build_model's parameters: frozen before freeze_


def _inputs(judge: Judge) -> list[tuple[torch.Tensor, str]]:
    """The chapter's x, a float32 (3, 4) and a float64 0-d x, and how to name them."""
    return [(CHAPTER_X, "the chapter's x = [0, 1], float32"), (judge.randn(3, 4), "float32 (3, 4)"),
            (judge.randn(dtype=torch.float64), "float64, 0-d")]


@check(EX, 1)
def test_chapter_loss(judge: Judge) -> None:
    """chapter_loss 等于 mean((x − 1)² + 4)，是 x 的 dtype 的 0 维张量（x 可为 0 维），且可微
    chapter_loss equals mean((x − 1)² + 4), a 0-d tensor of x's dtype (x 0-d too), and is differentiable"""
    for x, inputs in _inputs(judge):
        seen = judge.probe("ch3.ex03.apply", func="chapter_loss", x=x, requires_grad=True)
        expect_loss(seen, x, judge.device, inputs + ", requires_grad=True")


@check(EX, 1)
def test_grad_by_autograd_values(judge: Judge) -> None:
    """grad_by_autograd 用 autograd 给出 2(x − 1)/N，是 x 的 dtype 的普通张量，x 不需要梯度时保持原样
    grad_by_autograd gives 2(x − 1)/N by autograd as a plain tensor of x's dtype, and leaves an x without
    grad as it was"""
    for x, inputs in _inputs(judge):
        seen = judge.probe("ch3.ex03.apply", func="grad_by_autograd", x=x, requires_grad=False)
        expect_gradient(seen, x, "grad_by_autograd", judge.device, inputs + ", requires_grad=False")
        expect_autograd_used(judge, seen, inputs)


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
    for x, inputs in _inputs(judge)[1:]:
        for requires_grad in (False, True):
            seen = judge.probe("ch3.ex03.apply", func="grad_by_hand", x=x, requires_grad=requires_grad)
            expect_gradient(seen, x, "grad_by_hand", judge.device, f"{inputs}, requires_grad={requires_grad}")


@check(EX, 0.5)
def test_freeze(judge: Judge) -> None:
    """freeze_ 冻结所有参数并返回冻结的标量参数个数
    freeze_ freezes every parameter and returns how many scalar parameters it froze"""
    total = sum(p.numel() for p in build_model(0).parameters())
    seen = judge.probe("ch3.ex03.freeze", model_seed=0, frozen=[])
    expect_freeze(seen, [total], "grader model (Linear, BatchNorm1d, Dropout, a shared Linear), nothing frozen")


@check(EX, 0.5)
def test_freeze_only_newly_frozen(judge: Judge) -> None:
    """freeze_ 只计本次新冻结的参数：已冻结的不计，再次调用返回 0
    freeze_ counts only what this call froze: already frozen parameters do not count, a second call returns 0"""
    fresh = sum(p.numel() for name, p in build_model(0).named_parameters() if name not in ALREADY_FROZEN)
    seen = judge.probe("ch3.ex03.freeze", model_seed=0, frozen=ALREADY_FROZEN, calls=2)
    expect_freeze(seen, [fresh, 0], f"grader model with {', '.join(ALREADY_FROZEN)} already frozen, "
                  "freeze_ called twice")


@check(EX, 0.5)
def test_predict(judge: Judge) -> None:
    """predict 按评估模式推理、不建计算图、恢复 training 标志、不改滑动统计量（训练或评估模式的模型）
    predict runs in eval mode without a graph, restores the training flag, keeps running stats (a model
    in train or in eval mode)"""
    x = judge.randn(8, FEATURES)
    for train in (True, False):
        seen = judge.probe("ch3.ex03.predict", model_seed=0, x=x, train=train)
        expect_predict(seen, 0, x, judge.device, f"grader model in {'train' if train else 'eval'} mode, "
                       f"float32 (8, {FEATURES})")


@check(EX, 0.5)
def test_predict_restores_each_mode(judge: Judge) -> None:
    """predict 逐个恢复每个子模块原来的模式（模型与子模块模式不同时）
    predict restores each submodule's own mode (submodules whose mode differs from the model's)"""
    x = judge.randn(8, FEATURES)
    for train, modes, inputs in ((True, {"1": False}, "grader model in train mode, its BatchNorm1d in eval mode"),
                                 (False, {"3": True}, "grader model in eval mode, its Dropout in train mode")):
        seen = judge.probe("ch3.ex03.predict", model_seed=0, x=x, train=train, modes=modes)
        expect_predict(seen, 0, x, judge.device, f"{inputs}, float32 (8, {FEATURES})")
