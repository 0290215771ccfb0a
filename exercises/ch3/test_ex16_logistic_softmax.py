"""Public checks for ex16_logistic_softmax / 练习 16 的公开检查。"""

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
LARGE = torch.tensor([100.0, -100.0, 100.0, -100.0, 30.0, -30.0])  # σ(100) is exactly 1 in float32


@check(EX, 1)
def test_bce_values(judge: Judge) -> None:
    """bce_with_logits 等于 BCEWithLogitsLoss（0/1 标签与软标签，任意形状，float32 与 float64），梯度为 (σ(z) − y)/numel
    bce_with_logits equals BCEWithLogitsLoss (0/1 and soft labels, any shape, float32 and float64), with gradient
    (σ(z) − y)/numel"""
    logits = judge.randn(4, 3) * 3
    check_bce(judge, logits, (judge.rand(4, 3) > 0.5).float(), "float32 (4, 3), 0/1 targets")
    check_bce(judge, judge.randn(7, dtype=torch.float64), judge.rand(7, dtype=torch.float64),
              "float64 (7,), soft targets in [0, 1]")


@check(EX, 1.5)
def test_bce_large_logits(judge: Judge) -> None:
    """bce_with_logits 在 logits 为 ±100 时有限且等于 BCEWithLogitsLoss，梯度也有限（逐样本：预测对或错）
    bce_with_logits is finite and equals BCEWithLogitsLoss at logits of ±100, its gradient finite too (right and
    wrong predictions)"""
    for targets, inputs in ((torch.tensor([1.0, 0, 0, 1, 1, 0]), "float32 logits ±100 and ±30, right and wrong"),
                            (torch.ones(6), "float32 logits ±100 and ±30, all targets 1")):
        check_bce(judge, LARGE, targets, inputs)
    check_bce(judge, LARGE.double() * 10, torch.tensor([1.0, 1, 0, 0, 1, 0], dtype=torch.float64),
              "float64 logits ±1000 and ±300")


@check(EX, 1)
def test_log_softmax(judge: Judge) -> None:
    """log_softmax 在最后一维上等于 F.log_softmax，logits 达 ±1000 时仍有限（先减最大值）
    log_softmax over the last axis equals F.log_softmax and stays finite for logits up to ±1000 (the maximum
    subtracted first)"""
    check_log_softmax(judge, judge.randn(5, 4), "float32 (5, 4)")
    check_log_softmax(judge, judge.randn(2, 3, 6, dtype=torch.float64), "float64 (2, 3, 6)")
    check_log_softmax(judge, torch.tensor([[1000.0, 0.0, -1000.0], [-1000.0, -999.0, -1000.0]]),
                      "float32 (2, 3), logits ±1000")


@check(EX, 1.5)
def test_cross_entropy(judge: Judge) -> None:
    """cross_entropy 等于 F.cross_entropy（logits 达 ±1000 时仍有限），梯度为 (softmax − one-hot)/N
    cross_entropy equals F.cross_entropy (finite for logits up to ±1000), with gradient (softmax − one-hot)/N"""
    check_cross_entropy(judge, judge.randn(6, 4), torch.tensor([0, 3, 1, 1, 2, 3]), "float32 (6, 4)")
    check_cross_entropy(judge, judge.randn(3, 5, dtype=torch.float64), torch.tensor([4, 0, 2]), "float64 (3, 5)")
    check_cross_entropy(judge, torch.tensor([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 0.0]]), torch.tensor([2, 1]),
                        "float32 (2, 3), logits ±1000")


@check(EX, 0.75)
def test_logistic_predict(judge: Judge) -> None:
    """logistic_predict 给出 p = σ(x·w + b) 与 int64 标签（p > 0.5 为 1）
    logistic_predict gives p = σ(x·w + b) and int64 labels (1 where p > 0.5)"""
    check_logistic_predict(judge, judge.randn(8, 3), judge.randn(3), judge.randn(), "float32 x (8, 3)")
    check_logistic_predict(judge, judge.randn(5, 2, dtype=torch.float64) * 50, judge.randn(2, dtype=torch.float64),
                           judge.randn(dtype=torch.float64), "float64 x (5, 2), large logits")


@check(EX, 0.75)
def test_softmax_predict(judge: Judge) -> None:
    """softmax_predict 给出 softmax(x Wᵀ + b) 的概率（logits 很大时仍有限）与 int64 的 argmax 类别
    softmax_predict gives the probabilities softmax(x Wᵀ + b) (finite for large logits) and the int64 argmax classes"""
    check_softmax_predict(judge, judge.randn(6, 3), judge.randn(4, 3), judge.randn(4), "float32 x (6, 3), 4 classes")
    check_softmax_predict(judge, judge.randn(4, 2) * 300, judge.randn(3, 2), judge.randn(3),
                          "float32 x (4, 2), 3 classes, logits in the hundreds")
