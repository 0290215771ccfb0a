"""Hidden checks for ex04_data_split / 应用 4 的隐藏检查: random sizes, dtypes and seeds."""

import torch

from chapters.ch3.judging.ex04 import expect_loaders, expect_pair_items, expect_split
from chapters.ch3.probes.ex04 import TRANSFORMS
from grader.judge.check import Judge, check
from grader.judge.expect import expect

EX = "ex04_data_split"
FRACTIONS = [[0.7, 0.2, 0.1], [0.8, 0.1, 0.1], [0.6, 0.2, 0.2], [0.5, 0.25, 0.25], [0.9, 0.05, 0.05], [0.3, 0.3, 0.4]]


@check(EX, 1, hidden=True)
def test_pair_dataset_any(judge: Judge) -> None:
    """PairDataset 对随机形状、dtype 与 transform 都给出正确的样本
    PairDataset gives the right items for random shapes, dtypes and transforms"""
    for _ in range(2):
        n = judge.randint(1, 12)
        shape = [judge.randint(1, 4) for _ in range(judge.randint(1, 2))]
        dtype = judge.choice([torch.float32, torch.float64, torch.int64])
        data = (judge.randn(n, *shape) * 10).to(dtype)
        targets = torch.randint(0, 10, (n,), generator=judge.gen)
        transform = judge.choice([None, *TRANSFORMS])
        inputs = f"data {str(dtype).removeprefix('torch.')} {1 + len(shape)}-d, transform {transform}"
        seen = judge.probe("ch3.ex04.pair_dataset", data=data, targets=targets, transform=transform)
        expect_pair_items(seen, data, targets, transform, judge.device, inputs)


@check(EX, 1.5, hidden=True)
def test_split_any_size(judge: Judge) -> None:
    """split_dataset 对随机大小、比例与 seed 都给出正确、可复现、随机的划分
    split_dataset gives a right, reproducible, random split for random sizes, fractions, seeds"""
    for _ in range(3):
        n, fractions, seed = judge.randint(10, 300), judge.choice(FRACTIONS), judge.randint(0, 10**6)
        scramble = [judge.randint(0, 10**6) for _ in range(2)]
        seen = judge.probe("ch3.ex04.split", n=n, fractions=fractions,
                           calls=[[scramble[0], seed], [scramble[1], seed], [scramble[0], seed + 1]])
        inputs = f"{n} 个样本 samples, fractions {tuple(fractions)}"
        first, again, other = (expect_split(s, n, fractions, inputs) for s in seen)
        expect(first == again, "同一 seed 在不同的全局随机状态下给出了不同的划分。",
               "The same seed gave different splits under different global random states.", inputs)
        expect(first != other and [i for part in first for i in part] != list(range(n)),
               "划分不随 seed 变化或没有打乱样本。", "The split does not change with the seed, or is not shuffled.",
               inputs)


@check(EX, 1.5, hidden=True)
def test_loaders_any(judge: Judge) -> None:
    """make_loaders 对随机大小与 batch_size（含默认 32）都正确分批、打乱、保序
    make_loaders batches, shuffles and keeps order for random sizes and batch sizes (default 32 too)"""
    for batch_size in (judge.randint(1, 9), None, judge.randint(10, 80)):
        sizes = [judge.randint(12, 90), judge.randint(1, 40), judge.randint(1, 40)]
        seen = judge.probe("ch3.ex04.loaders", sizes=sizes, batch_size=batch_size, epochs=3,
                           seed=judge.randint(0, 10**6))
        used = 32 if batch_size is None else batch_size
        expect_loaders(seen, sizes, used, f"sizes {sizes}, batch_size {'默认 default' if batch_size is None else used}")
