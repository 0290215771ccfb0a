"""Public checks for ex17_grad_semantics / 练习 17 的公开检查。"""

import torch

from chapters.ch3.judging.ex17 import (
    expect_accumulated,
    expect_average,
    expect_cleared,
    expect_clipped,
    expect_dropout,
    expect_edit,
    expect_forward,
    model_probe,
    preset_grads,
)
from chapters.ch3.probes.ex17 import FEATURES
from grader.judge.check import Judge, check

EX = "ex17_grad_semantics"
MODEL = "grader model (Linear, BatchNorm1d, ReLU, Linear)"


@check(EX, 1)
def test_accumulate_grads(judge: Judge) -> None:
    """accumulate_grads 逐批 backward 不清零：.grad 等于原有梯度（None 记为 0）加上各批梯度之和
    accumulate_grads back-propagates batch after batch without zeroing: .grad is the gradient it had (None as 0)
    plus the sum of the batches' gradients"""
    grads = preset_grads(judge, 0)
    batches = [judge.randn(5, FEATURES) for _ in range(3)]
    seen = model_probe(judge, "accumulate_grads", 0, True, [batches], grads)
    expect_accumulated(judge, seen, 0, True, batches, grads, f"{MODEL} in train mode, 3 batches (5, {FEATURES}), "
                       f"{len(grads)} parameters with a .grad already")


@check(EX, 1)
def test_clear_grads(judge: Judge) -> None:
    """clear_grads：set_to_none=True 时 .grad 全为 None；False 时原有梯度原地置零，None 仍为 None
    clear_grads: with set_to_none=True every .grad is None; with False existing gradients are zeroed and None stays
    None"""
    for set_to_none in (True, False):
        grads = preset_grads(judge, 0)
        seen = model_probe(judge, "clear_grads", 0, True, [set_to_none], grads)
        expect_cleared(judge, seen, set_to_none, grads, f"{MODEL}, {len(grads)} parameters with a .grad")


@check(EX, 0.75)
def test_edit_through_data(judge: Judge) -> None:
    """edit_through_data：经 y.data 的原地修改 autograd 看不见，梯度变成 new·(1 − new)
    edit_through_data: autograd cannot see the in-place change through y.data, so the gradient is new·(1 − new)"""
    x, new = judge.randn(5), judge.rand(5) * 0.8 + 0.1
    expect_edit(judge, judge.probe("ch3.ex17.apply", func="edit_through_data", args=[x, new]), "edit_through_data",
                x, new, "float32 (5,)")


@check(EX, 0.75)
def test_edit_through_detach(judge: Judge) -> None:
    """edit_through_detach：经 y.detach() 的原地修改使 backward() 抛出 RuntimeError，返回它的消息
    edit_through_detach: the in-place change through y.detach() makes backward() raise a RuntimeError, whose message
    it returns"""
    x, new = judge.randn(4, dtype=torch.float64), judge.rand(4, dtype=torch.float64) * 0.8 + 0.1
    expect_edit(judge, judge.probe("ch3.ex17.apply", func="edit_through_detach", args=[x, new]),
                "edit_through_detach", x, new, "float64 (4,)")


@check(EX, 0.5)
def test_average_loss(judge: Judge) -> None:
    """average_loss 用 .item() 累加各批损失，返回 Python float 的平均值
    average_loss adds up the batch losses with .item() and returns their mean as a Python float"""
    values = judge.rand(6) * 3
    seen = judge.probe("ch3.ex17.apply", func="average_loss", args=[values], as_losses=True)
    expect_average(seen, values, "6 float32 0-d losses with graphs")


@check(EX, 1.5)
def test_no_grad_vs_eval(judge: Judge) -> None:
    """forward_no_grad 只停止 autograd（训练模式仍用批统计量、更新滑动统计量、dropout 仍起作用）；forward_eval 只切换到
    评估行为（用滑动统计量、不更新、dropout 关闭），仍有计算图；二者都不改变模型的模式
    forward_no_grad only stops autograd (in train mode batch statistics are used, running statistics updated, dropout
    on); forward_eval only switches to evaluation behaviour (running statistics, none updated, dropout off) and keeps
    the graph; neither changes the model's modes"""
    x = judge.randn(6, FEATURES)
    for func in ("forward_no_grad", "forward_eval"):
        for train in (True, False):
            inputs = f"{MODEL} in {'train' if train else 'eval'} mode, float32 (6, {FEATURES})"
            expect_forward(judge, model_probe(judge, func, 0, train, [x], {}), func, 0, train, x, inputs)
        seen = model_probe(judge, func, 0, True, [torch.ones(2000)], {}, kind="dropout")
        expect_dropout(judge, seen, func, True, 2000, "a Dropout(0.5) in train mode, x = ones(2000)")


@check(EX, 1)
def test_clip_gradients(judge: Judge) -> None:
    """clip_gradients 返回裁剪前的总范数（Python float），总范数超过 max_norm 时把所有梯度一起缩放，否则不变；
    没有梯度的参数跳过
    clip_gradients returns the total norm before clipping (a Python float), scales all gradients together when it
    exceeds max_norm and leaves them otherwise; parameters without a gradient are skipped"""
    for max_norm in (1.0, 1000.0):
        grads = preset_grads(judge, 0, share=0.7)
        seen = model_probe(judge, "clip_gradients", 0, True, [max_norm], grads)
        expect_clipped(judge, seen, grads, max_norm, f"{MODEL}, {len(grads)} parameters with a .grad")
