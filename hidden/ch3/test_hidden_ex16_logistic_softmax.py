"""Hidden checks for ex16_logistic_softmax / 练习 16 的隐藏检查: random shapes, dtypes, scales and targets."""

import torch

from chapters.ch3.judging.ex16 import (
    check_bce,
    check_cross_entropy,
    check_log_softmax,
    check_logistic_predict,
    check_softmax_predict,
)
from grader.judge.check import Judge, check

EX = "ex16_logistic_softmax"
DTYPES = [torch.float32, torch.float64]


def _scale(judge: Judge) -> float:
    """Logits of everyday size, or large enough that the naive formulas overflow."""
    return float(judge.choice([1, 5, 200]))


@check(EX, 1, hidden=True)
def test_bce_random(judge: Judge) -> None:
    """bce_with_logits 对随机形状、dtype、logits 尺度（含很大的）与 0/1 或软标签都等于 BCEWithLogitsLoss，梯度也对
    bce_with_logits equals BCEWithLogitsLoss, gradient included, for random shapes, dtypes, logit scales (large ones
    included) and 0/1 or soft targets"""
    for soft in (False, True):
        shape = [judge.randint(1, 5) for _ in range(judge.randint(1, 3))]
        dtype, scale = judge.choice(DTYPES), _scale(judge)
        targets = judge.rand(*shape, dtype=dtype)
        targets = targets if soft else (targets > 0.5).to(dtype)
        check_bce(judge, judge.randn(*shape, dtype=dtype) * scale, targets,
                  f"random {str(dtype).removeprefix('torch.')} {len(shape)}-d, logits ×{scale:g}, "
                  f"{'soft' if soft else '0/1'} targets")


@check(EX, 1.5, hidden=True)
def test_softmax_losses_random(judge: Judge) -> None:
    """log_softmax 与 cross_entropy 对随机的 N、C、dtype 与 logits 尺度（含很大的）都正确，梯度也对
    log_softmax and cross_entropy are right, gradient included, for random N, C, dtypes and logit scales (large ones
    included)"""
    for _ in range(2):
        n, c, dtype, scale = judge.randint(1, 8), judge.randint(2, 7), judge.choice(DTYPES), _scale(judge)
        logits = judge.randn(n, c, dtype=dtype) * scale
        inputs = f"random {str(dtype).removeprefix('torch.')} ({n}, {c}), logits ×{scale:g}"
        check_log_softmax(judge, logits, inputs)
        targets = torch.randint(0, c, (n,), generator=judge.gen)
        check_cross_entropy(judge, logits, targets, inputs)


@check(EX, 1, hidden=True)
def test_predict_random(judge: Judge) -> None:
    """logistic_predict 与 softmax_predict 对随机的 N、D、C、dtype 与尺度都正确
    logistic_predict and softmax_predict are right for random N, D, C, dtypes and scales"""
    n, d, c, dtype, scale = judge.randint(1, 10), judge.randint(1, 5), judge.randint(2, 6), judge.choice(DTYPES), \
        _scale(judge)
    inputs = f"random {str(dtype).removeprefix('torch.')} x ({n}, {d}), ×{scale:g}"
    x = judge.randn(n, d, dtype=dtype) * scale
    check_logistic_predict(judge, x, judge.randn(d, dtype=dtype), judge.randn(dtype=dtype), inputs)
    check_softmax_predict(judge, x, judge.randn(c, d, dtype=dtype), judge.randn(c, dtype=dtype),
                          f"{inputs}, {c} classes")
