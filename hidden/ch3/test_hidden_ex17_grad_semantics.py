"""Hidden checks for ex17_grad_semantics / 练习 17 的隐藏检查: random models, gradients, batches, modes,
dtypes and norms."""

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


@check(EX, 1, hidden=True)
def test_accumulate_and_clear_random(judge: Judge) -> None:
    """accumulate_grads 与 clear_grads 对随机模型、已有梯度、批数、批大小与模式都正确
    accumulate_grads and clear_grads are right for random models, existing gradients, numbers and sizes of batches,
    and modes"""
    seed, train = judge.randint(0, 10**6), judge.choice([True, False])
    grads = preset_grads(judge, seed, share=float(judge.rand(1)))
    batches = [judge.randn(judge.randint(2, 6), FEATURES) for _ in range(judge.randint(1, 4))]
    inputs = f"grader model in {'train' if train else 'eval'} mode, {len(batches)} batches, {len(grads)} .grad set"
    expect_accumulated(judge, model_probe(judge, "accumulate_grads", seed, train, [batches], grads), seed, train,
                       batches, grads, inputs)
    set_to_none = judge.choice([True, False])
    expect_cleared(judge, model_probe(judge, "clear_grads", seed, train, [set_to_none], grads), set_to_none, grads,
                   inputs)


@check(EX, 0.5, hidden=True)
def test_edits_and_average_random(judge: Judge) -> None:
    """edit_through_data、edit_through_detach 与 average_loss 对随机长度与 dtype 都正确
    edit_through_data, edit_through_detach and average_loss are right for random lengths and dtypes"""
    for func in ("edit_through_data", "edit_through_detach"):
        n, dtype = judge.randint(1, 8), judge.choice([torch.float32, torch.float64])
        x, new = judge.randn(n, dtype=dtype) * 2, judge.rand(n, dtype=dtype) * 0.9 + 0.05
        expect_edit(judge, judge.probe("ch3.ex17.apply", func=func, args=[x, new]), func, x, new,
                    f"random {str(dtype).removeprefix('torch.')} ({n},)")
    values = judge.rand(judge.randint(1, 10)) * 5
    expect_average(judge.probe("ch3.ex17.apply", func="average_loss", args=[values], as_losses=True), values,
                   f"{len(values)} random float32 0-d losses")


@check(EX, 1, hidden=True)
def test_modes_random(judge: Judge) -> None:
    """forward_no_grad 与 forward_eval 对随机模型、批大小与模式都正确（计算图、滑动统计量、dropout、模式）
    forward_no_grad and forward_eval are right for random models, batch sizes and modes (graph, running statistics,
    dropout, modes)"""
    for func in ("forward_no_grad", "forward_eval"):
        seed, train, n = judge.randint(0, 10**6), judge.choice([True, False]), judge.randint(2, 9)
        x = judge.randn(n, FEATURES)
        expect_forward(judge, model_probe(judge, func, seed, train, [x], {}), func, seed, train, x,
                       f"grader model in {'train' if train else 'eval'} mode, float32 ({n}, {FEATURES})")
        train = judge.choice([True, False])
        expect_dropout(judge, model_probe(judge, func, seed, train, [torch.ones(2000)], {}, kind="dropout"), func,
                       train, 2000, f"a Dropout(0.5) in {'train' if train else 'eval'} mode, x = ones(2000)")


@check(EX, 1, hidden=True)
def test_clip_random(judge: Judge) -> None:
    """clip_gradients 对随机梯度、缺失的梯度与 max_norm（裁剪或不裁剪）都正确
    clip_gradients is right for random gradients, missing gradients and max_norm (clipping or not)"""
    for _ in range(2):
        seed = judge.randint(0, 10**6)
        grads = preset_grads(judge, seed, share=0.3 + 0.7 * float(judge.rand(1)))
        if not grads:
            continue
        max_norm = float(judge.choice([0.1, 2.0, 5.0, 100.0]))
        expect_clipped(judge, model_probe(judge, "clip_gradients", seed, True, [max_norm], grads), grads, max_norm,
                       f"grader model, {len(grads)} random gradients")
