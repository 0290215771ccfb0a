"""Hidden checks for ex12_normalise / 练习 12 的隐藏检查: random layouts, sizes, dtypes,
corrections, constant channels and distributions."""

import torch

from chapters.ch3.judging.ex12 import expect_normalised, expect_splits, expect_stats
from grader.judge.check import Judge, check
from grader.judge.expect import shape_text

EX = "ex12_normalise"


def _data(judge: Judge, n: int, channels: int, rest: list[int], dtype: torch.dtype) -> torch.Tensor:
    """(n, channels, *rest) values of a random scale and offset per channel."""
    scale = judge.rand(channels, dtype=torch.float64) * 4 + 0.1
    offset = judge.randn(channels, dtype=torch.float64) * 5
    view = [1, channels] + [1] * len(rest)
    return (judge.randn(n, channels, *rest, dtype=torch.float64) * scale.view(view) + offset.view(view)).to(dtype)


def _layout(judge: Judge) -> tuple[int, list[int], torch.dtype]:
    """Random channels, trailing dims (none: features; one or two: sequences, images) and dtype."""
    rest = [judge.randint(1, 4) for _ in range(judge.randint(0, 2))]
    return judge.randint(1, 5), rest, judge.choice([torch.float32, torch.float64])


@check(EX, 1, hidden=True)
def test_stats_random(judge: Judge) -> None:
    """fit_stats 对随机布局、dtype 与 correction 都正确
    fit_stats is right for random layouts, dtypes and corrections"""
    for correction in (None, 0, 1):
        channels, rest, dtype = _layout(judge)
        train = _data(judge, judge.randint(2, 9), channels, rest, dtype)
        expect_stats(judge, train, f"random {str(dtype).removeprefix('torch.')} {shape_text(train.shape)}, "
                     f"correction={correction if correction is not None else 'default'}", correction)


@check(EX, 0.75, hidden=True)
def test_normalise_random(judge: Judge) -> None:
    """normalise 对随机布局、dtype 与为 0 的 std 都正确
    normalise is right for random layouts, dtypes and zero stds"""
    for _ in range(2):
        channels, rest, dtype = _layout(judge)
        x = _data(judge, judge.randint(1, 8), channels, rest, dtype)
        mean = judge.randn(channels, dtype=dtype)
        std = (judge.rand(channels, dtype=dtype) + 0.2) * (judge.rand(channels) > 0.3).to(dtype)
        expect_normalised(judge, x, mean, std, f"random {str(dtype).removeprefix('torch.')} {shape_text(x.shape)}, "
                          f"{int((std == 0).sum())} zero std(s)")


@check(EX, 1.25, hidden=True)
def test_splits_random(judge: Judge) -> None:
    """normalise_splits 对随机的划分大小、布局、分布与常数通道只用训练集统计量
    normalise_splits uses the training set's statistics alone for random sizes, layouts, distributions"""
    for correction in (judge.choice([None, 0, 1]), judge.choice([None, 0, 1])):
        channels, rest, dtype = _layout(judge)
        splits = [_data(judge, judge.randint(low, 8), channels, rest, dtype) for low in (2, 1, 1)]
        constant = judge.randint(0, channels)  # channel `channels`: none is constant
        if constant < channels:
            splits[0][:, constant] = float(judge.randint(-3, 3))
        expect_splits(judge, splits, f"random {str(dtype).removeprefix('torch.')}, train "
                      f"{shape_text(splits[0].shape)}, correction={correction}", correction)
