"""Hidden checks for ex11_random_data / 练习 11 的隐藏检查: random d, N, seeds and global seeds."""

from chapters.ch3.judging.ex11 import expect_batch, expect_global_state_kept, expect_items, random_data
from grader.judge.check import Judge, check

EX = "ex11_random_data"


def _draw(judge: Judge) -> tuple[int, int, int, int, str]:
    """Random d, N, seed and global seed, and how to describe them."""
    feature, length = judge.randint(1, 12), judge.randint(0, 9)
    seed, global_seed = judge.randint(0, 10**6), judge.randint(0, 10**6)
    return feature, length, seed, global_seed, f"RandomData({feature}, {length}, random seed), random global seed"


@check(EX, 1.5, hidden=True)
def test_values_random(judge: Judge) -> None:
    """对随机的 d、N、seed 与全局种子，len、样本类型与数值都正确，且不改变全局随机状态
    len, item types and values are right for random d, N, seed and global seed; the global state is left alone"""
    for _ in range(2):
        feature, length, seed, global_seed, inputs = _draw(judge)
        seen = random_data(judge, feature, length, seed, global_seed)
        expect_items(seen, feature, length, seed, inputs, labels=False)
        expect_global_state_kept(seen, global_seed, inputs)


@check(EX, 1, hidden=True)
def test_labels_random(judge: Judge) -> None:
    """对随机的 d、N 与 seed，标签为最大分量的 one-hot
    labels are the one-hot of the largest component for random d, N and seed"""
    for _ in range(2):
        feature, length, seed, global_seed, inputs = _draw(judge)
        expect_items(random_data(judge, feature, length, seed, global_seed), feature, length, seed, inputs,
                     values=False)


@check(EX, 0.5, hidden=True)
def test_dataloader_batch_random(judge: Judge) -> None:
    """对随机的 d、N 与 seed，DataLoader 的第一批正确
    the DataLoader's first batch is right for random d, N and seed"""
    feature, length, seed, global_seed, inputs = _draw(judge)
    length = max(length, 1)
    expect_batch(random_data(judge, feature, length, seed, global_seed), feature, length, seed, inputs)
