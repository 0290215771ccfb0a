"""Hidden checks for ex04_data_split / 应用 4 的隐藏检查: random sizes, dtypes and seeds."""

import torch

from chapters.ch3.judging.ex04 import (
    expect_global_state_kept,
    expect_loaders,
    expect_pair_items,
    expect_split,
    expect_transform_calls,
)
from chapters.ch3.probes.ex04 import TRANSFORMS
from grader.judge.check import Judge, check
from grader.judge.expect import expect, fail

EX = "ex04_data_split"
FRACTIONS = [[0.7, 0.2, 0.1], [0.8, 0.1, 0.1], [0.6, 0.2, 0.2], [0.5, 0.25, 0.25], [0.9, 0.05, 0.05], [0.3, 0.3, 0.4]]


@check(EX, 1, hidden=True)
def test_pair_dataset_any(judge: Judge) -> None:
    """PairDataset 对随机形状、dtype、transform 与 targets（张量或 list）都给出正确的样本
    PairDataset gives the right items for random shapes, dtypes, transforms and targets (tensor or list)"""
    for _ in range(2):
        n = judge.randint(1, 12)
        shape = [judge.randint(1, 4) for _ in range(judge.randint(1, 2))]
        dtype = judge.choice([torch.float32, torch.float64, torch.int64])
        data = (judge.randn(n, *shape) * 10).to(dtype)
        targets = torch.randint(0, 10, (n,), generator=judge.gen)
        transform, as_list = judge.choice([None, *TRANSFORMS]), judge.choice([False, True])
        inputs = (f"data {str(dtype).removeprefix('torch.')} {1 + len(shape)}-d, transform {transform}, "
                  f"targets {'a list' if as_list else 'a tensor'}")
        seen = judge.probe("ch3.ex04.pair_dataset", data=data, targets=targets, transform=transform,
                           targets_as_list=as_list)
        expect_pair_items(seen, data, targets, transform, judge.device, inputs)
        if transform:
            expect_transform_calls(seen, n, inputs)


@check(EX, 1.5, hidden=True)
def test_split_any_size(judge: Judge) -> None:
    """split_dataset 对随机大小、比例与 seed 都给出正确、可复现、随机的划分，且不改变全局随机状态
    split_dataset gives a right, reproducible, random split for random sizes, fractions, seeds; global RNG untouched"""
    for _ in range(3):
        n, fractions, seed = judge.randint(10, 300), judge.choice(FRACTIONS), judge.randint(0, 10**6)
        scramble = [judge.randint(0, 10**6) for _ in range(2)]
        calls = [[scramble[0], seed], [scramble[1], seed], [scramble[0], seed + 1]]
        seen = judge.probe("ch3.ex04.split", n=n, fractions=fractions, calls=calls)
        inputs = f"{n} 个样本 samples, fractions {tuple(fractions)}"
        first, again, other = (expect_split(s, n, fractions, inputs) for s in seen)
        for part, (global_seed, _) in zip(seen, calls, strict=True):
            expect_global_state_kept(part, global_seed, inputs)
        expect(first == again, "同一 seed 在不同的全局随机状态下给出了不同的划分。",
               "The same seed gave different splits under different global random states.", inputs)
        expect(first != other and [i for part in first for i in part] != list(range(n)),
               "划分不随 seed 变化或没有打乱样本。", "The split does not change with the seed, or is not shuffled.",
               inputs)


@check(EX, 0.5, hidden=True)
def test_invalid_arguments_any(judge: Judge) -> None:
    """长度不同的 data/targets 与随机的不合法比例都抛出 ValueError
    different lengths of data and targets, and random invalid fractions, raise ValueError"""
    n = judge.randint(2, 20)
    cases = [("ch3.ex04.pair_dataset", {"data": judge.randn(n, 2), "targets": torch.zeros(n + judge.choice([-1, 1, 3]),
                                                                                           dtype=torch.int64)},
              "PairDataset", "data and targets of different lengths")]
    spread = judge.rand(3, dtype=torch.float64)
    valid = (spread / spread.sum()).tolist()
    off = judge.choice([-1, 1]) * (1e-5 + judge.rand(1, dtype=torch.float64).item() * 0.2)
    below = 0.01 + judge.rand(1, dtype=torch.float64).item() * 0.3  # a negative fraction, the sum still 1
    bad = {"a sum off 1": [valid[0] + off, valid[1], valid[2]],
           "a negative fraction": judge.choice([[valid[0] + below, -below, valid[1] + valid[2]],
                                                [valid[0] + valid[1] + below, valid[2], -below]]),
           "other than three fractions": judge.choice([[valid[0], valid[1] + valid[2]], [*valid, 0.0]])}
    for kind, fractions in bad.items():
        cases.append(("ch3.ex04.split", {"n": judge.randint(10, 100), "fractions": fractions, "calls": [[0, 0]]},
                      "split_dataset", kind))
    for probe, inputs, what, kind in cases:
        err = judge.raises(probe, **inputs)
        if err is None:
            fail(f"{what} 对不合法的输入（{kind}）没有报错；应抛出 ValueError。",
                 f"{what} accepted invalid input ({kind}); it must raise ValueError.")
        expect(err.is_a("ValueError"), f"{what} 对不合法的输入（{kind}）抛出了 {err.exc_type}，应为 ValueError。",
               f"{what} raised {err.exc_type} for invalid input ({kind}); expected ValueError.", err.message)


@check(EX, 1, hidden=True)
def test_loaders_any(judge: Judge) -> None:
    """make_loaders 对随机大小与 batch_size（含默认 32）都正确分批、打乱、保序
    make_loaders batches, shuffles and keeps order for random sizes and batch sizes (default 32 too)"""
    for batch_size in (judge.randint(1, 9), None, judge.randint(10, 80)):
        sizes = [judge.randint(12, 90), judge.randint(1, 40), judge.randint(1, 40)]
        seen = judge.probe("ch3.ex04.loaders", sizes=sizes, batch_size=batch_size, epochs=3,
                           seed=judge.randint(0, 10**6))
        used = 32 if batch_size is None else batch_size
        expect_loaders(seen, sizes, used, f"sizes {sizes}, batch_size {'默认 default' if batch_size is None else used}")
