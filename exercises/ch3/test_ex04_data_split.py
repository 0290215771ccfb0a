"""Public checks for ex04_data_split / 应用 4 的公开检查。"""

import torch

from chapters.ch3.judging.ex04 import (
    expect_global_state_kept,
    expect_loaders,
    expect_pair_items,
    expect_split,
    expect_transform_calls,
)
from grader.judge.check import Judge, check
from grader.judge.expect import expect, fail

EX = "ex04_data_split"


@check(EX, 1)
def test_pair_dataset_items(judge: Judge) -> None:
    """PairDataset 的长度与第 i 个样本 (data[i], targets[i])，data 可为任意 dtype，targets 可为张量或 list
    PairDataset has length N and item i (data[i], targets[i]); data of any dtype, targets a tensor or a list"""
    cases = [(judge.randn(6, 3), False, "data float32 (6, 3), targets int64 (6,)"),
             ((judge.randn(4, 2) * 10).to(torch.int64), True, "data int64 (4, 2), targets a list of 4 ints")]
    for data, as_list, inputs in cases:
        targets = torch.randint(0, 4, (len(data),), generator=judge.gen)
        seen = judge.probe("ch3.ex04.pair_dataset", data=data, targets=targets, targets_as_list=as_list)
        expect_pair_items(seen, data, targets, None, judge.device, inputs)


@check(EX, 1)
def test_pair_dataset_transform(judge: Judge) -> None:
    """transform 在 __getitem__ 中作用于样本（不作用于标签），每次读取都调用
    the transform is applied to the sample (not the label) in __getitem__, at every read"""
    data, targets = judge.randn(5, 2, 3), torch.randint(0, 3, (5,), generator=judge.gen)
    inputs = "data float32 (5, 2, 3), targets int64 (5,), transform x -> x * 2"
    seen = judge.probe("ch3.ex04.pair_dataset", data=data, targets=targets, transform="double")
    expect_pair_items(seen, data, targets, "double", judge.device, inputs)
    expect_transform_calls(seen, len(data), inputs)


@check(EX, 0.5)
def test_pair_dataset_length_mismatch(judge: Judge) -> None:
    """data 与 targets 长度不同时抛出 ValueError
    PairDataset raises ValueError when data and targets differ in length"""
    err = judge.raises("ch3.ex04.pair_dataset", data=judge.randn(5, 2), targets=torch.zeros(4, dtype=torch.int64))
    if err is None:
        fail("data 有 5 个样本而 targets 只有 4 个，PairDataset 却没有报错；应抛出 ValueError。",
             "PairDataset accepted 5 samples with 4 targets; it must raise ValueError.")
    expect(err.is_a("ValueError"), f"长度不同时 PairDataset 抛出了 {err.exc_type}，应为 ValueError。",
           f"PairDataset raised {err.exc_type} for different lengths; expected ValueError.", err.message)


@check(EX, 1)
def test_split_partition(judge: Judge) -> None:
    """split_dataset 给出大小为 ⌊f₀n⌋、⌊f₁n⌋、其余 的三个互不相交、覆盖全部的 Subset
    split_dataset gives three disjoint Subsets of sizes ⌊f₀n⌋, ⌊f₁n⌋, the rest, covering all"""
    for n, fractions in ((47, [0.7, 0.2, 0.1]), (10, [0.8, 0.1, 0.1])):
        seen = judge.probe("ch3.ex04.split", n=n, fractions=fractions, calls=[[0, 3]])
        expect_split(seen[0], n, fractions, f"{n} 个样本 samples, seed 3")


@check(EX, 1)
def test_split_seeded(judge: Judge) -> None:
    """同一 seed 给出同一划分（与全局随机状态无关），不同 seed 给出不同划分，全局随机状态不变
    the same seed gives the same split whatever the global RNG state; other seeds differ; the global RNG is untouched"""
    n, fractions, calls = 30, [0.6, 0.2, 0.2], [[1, 7], [2, 7], [1, 8]]
    seen = judge.probe("ch3.ex04.split", n=n, fractions=fractions, calls=calls)
    first, again, other = (expect_split(s, n, fractions, f"{n} 个样本 samples") for s in seen)
    for part, (global_seed, seed) in zip(seen, calls, strict=True):
        expect_global_state_kept(part, global_seed, f"{n} 个样本 samples, seed {seed}")
    expect(first == again, "同一 seed 在不同的全局随机状态下给出了不同的划分；划分应只取决于 seed。",
           "The same seed gave different splits under different global random states; the split must "
           "depend on seed alone (use a torch.Generator seeded with it).", "seed 7, torch.manual_seed 1 vs 2")
    expect(first != other, "seed 7 与 seed 8 给出了同样的划分；划分应随 seed 而变。",
           "seed 7 and seed 8 gave the same split; the split must depend on the seed.")
    expect([i for part in first for i in part] != list(range(n)), "划分没有打乱：各部分按原顺序取样本；应为随机划分。",
           "The split is not random: the parts take the samples in their original order.")


@check(EX, 0.5)
def test_split_bad_fractions(judge: Judge) -> None:
    """比例不是三个、为负或之和不为 1（相差超过 1e-6）时抛出 ValueError
    split_dataset raises ValueError for other than three fractions, a negative one, or a sum off 1 by over 1e-6"""
    for fractions, kind in (([0.5, 0.3, 0.1], "sum 0.9"), ([1.2, -0.1, -0.1], "a negative fraction"),
                            ([0.5, 0.5], "two fractions"), ([0.5, 0.3, 0.20001], "sum 1.00001")):
        err = judge.raises("ch3.ex04.split", n=20, fractions=fractions, calls=[[0, 0]])
        if err is None:
            fail(f"split_dataset 接受了不合法的比例 {fractions}；应抛出 ValueError。",
                 f"split_dataset accepted the invalid fractions {fractions} ({kind}); it must raise ValueError.")
        expect(err.is_a("ValueError"), f"比例 {fractions} 时 split_dataset 抛出了 {err.exc_type}，应为 ValueError。",
               f"split_dataset raised {err.exc_type} for fractions {fractions}; expected ValueError.", err.message)


@check(EX, 1)
def test_loaders(judge: Judge) -> None:
    """训练集每个 epoch 重新打乱，验证/测试集保持顺序，按 batch_size（默认 32）分批且不丢样本
    train reshuffles every epoch, val/test keep order, batches of batch_size (default 32), nothing dropped"""
    for sizes, batch_size in (([23, 9, 7], 4), ([70, 33, 5], None)):
        seen = judge.probe("ch3.ex04.loaders", sizes=sizes, batch_size=batch_size, epochs=2, seed=0)
        used = 32 if batch_size is None else batch_size
        expect_loaders(seen, sizes, used, f"train/val/test 大小 sizes {sizes}, "
                       f"batch_size {'默认 default' if batch_size is None else used}")
