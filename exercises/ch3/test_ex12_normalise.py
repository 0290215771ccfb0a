"""Public checks for ex12_normalise / 练习 12 的公开检查。"""

import torch

from chapters.ch3.judging.ex12 import expect_normalised, expect_splits, expect_stats, stats
from grader.judge.check import Judge, check

EX = "ex12_normalise"


@check(EX, 1.5)
def test_stats_images(judge: Judge) -> None:
    """fit_stats 对图像 (N, C, H, W) 按通道在 (0, 2, 3) 上求均值与样本标准差（n − 1）
    fit_stats gives each channel's mean and sample std (n − 1) of images (N, C, H, W), over (0, 2, 3)"""
    train = judge.rand(6, 3, 4, 5) * torch.tensor([1.0, 2.0, 0.5]).view(1, 3, 1, 1) + 0.2
    expect_stats(judge, train, "float32 images (6, 3, 4, 5), default correction")


@check(EX, 0.5)
def test_stats_features(judge: Judge) -> None:
    """fit_stats 对特征 (N, C) 按列求均值与样本标准差
    fit_stats gives each feature's (column's) mean and sample std of features (N, C)"""
    expect_stats(judge, judge.randn(10, 4) * 3 + 1, "float32 features (10, 4)")


@check(EX, 0.75)
def test_stats_population(judge: Judge) -> None:
    """correction=0 时 fit_stats 给出总体标准差（除以 n）
    fit_stats gives the population std (divisor n) with correction=0"""
    expect_stats(judge, judge.randn(4, 2, 3, 3), "float32 images (4, 2, 3, 3), correction=0", correction=0)
    expect_stats(judge, judge.randn(5, 3), "float32 features (5, 3), correction=0", correction=0)


@check(EX, 0.5)
def test_float64(judge: Judge) -> None:
    """float64 输入得到 float64 的统计量与结果（精度不降低）
    float64 inputs give float64 statistics and results (no loss of precision)"""
    x = judge.randn(8, 3, dtype=torch.float64) * 1e3 + 1e6
    expect_stats(judge, x, "float64 features (8, 3) around 1e6")
    mean, std = stats(x)
    expect_normalised(judge, x, mean, std, "float64 features (8, 3) around 1e6")


@check(EX, 1.5)
def test_normalise_values(judge: Judge) -> None:
    """normalise 按通道（第 1 维）计算 (x − mean) / std，图像与特征都可
    normalise computes (x − mean) / std per channel (dim 1), for images and features"""
    for x, inputs in ((judge.randn(5, 3, 2, 2), "float32 images (5, 3, 2, 2)"),
                      (judge.randn(7, 4), "float32 features (7, 4)")):
        channels = x.shape[1]
        mean, std = judge.randn(channels), judge.rand(channels) + 0.5
        expect_normalised(judge, x, mean, std, inputs)


@check(EX, 1)
def test_normalise_zero_std(judge: Judge) -> None:
    """std 为 0 的通道只减去均值（除以 1），不产生 inf 或 NaN
    a channel whose std is 0 is only centred (divided by 1): no inf or NaN"""
    x = judge.randn(6, 3)
    mean, std = torch.tensor([0.5, 2.0, -1.0]), torch.tensor([1.5, 0.0, 0.25])
    expect_normalised(judge, x, mean, std, "float32 features (6, 3), std of channel 1 is 0")


@check(EX, 1.25)
def test_splits_train_only(judge: Judge) -> None:
    """normalise_splits 只用训练集的统计量标准化三部分（训练集上为常数的通道只减均值），correction 传给 fit_stats
    normalise_splits normalises all three splits with train's statistics alone, passing correction to fit_stats"""
    train = judge.randn(20, 3, 2, 2) * 2 + 1
    train[:, 2] = 3.0  # a constant channel on the training set: std 0
    splits = [train, judge.randn(6, 3, 2, 2) * 5 - 4, judge.randn(4, 3, 2, 2) + 10]
    expect_splits(judge, splits, "float32 images: train (20, 3, 2, 2) with channel 2 constant, val (6, ...), "
                  "test (4, ...) from other distributions")
    expect_splits(judge, splits, "the same splits, correction=0", correction=0)
