"""Judge-side helpers for ex04: the comparisons the public and hidden checks share.

Nothing here runs next to student code.
"""

from __future__ import annotations

import itertools
import math
import random
from typing import Any

import numpy as np
import torch

from chapters.ch3.probes.ex04 import DRAW_HIGH, GLOBAL_DRAWS, TRANSFORMS
from grader.judge.expect import expect, expect_equal, expect_tensor, fail, number_of


def expect_pair_items(seen: dict[str, Any], data: torch.Tensor, targets: torch.Tensor,
                      transform: str | None, device: str, inputs: str) -> None:
    """``len`` is N and item i is ``(transform(data[i]), targets[i])``."""
    where = f"输入 input: {inputs}"
    expect_equal(seen["len"], data.shape[0], "len(PairDataset(data, targets))", where)
    apply = TRANSFORMS[transform] if transform else (lambda x: x)
    for i, item in enumerate(seen["items"]):
        expect(item["kind"] == "sequence" and len(item["items"]) == 2,
               f"dataset[{i}] 返回了 {item['type']}，应为二元组 (sample, label)。",
               f"dataset[{i}] returned {item['type']}; expected a pair (sample, label).", where)
        sample, label = item["items"]
        expect_tensor(sample, apply(data[i]), f"dataset[{i}][0]", device=device, inputs=inputs)
        expect(number_of(label) == targets[i].item(),
               f"dataset[{i}][1] 不是 targets[{i}]（得到 {label['type']}）。",
               f"dataset[{i}][1] is not targets[{i}] (got a {label['type']}).", where)


def expect_transform_calls(seen: dict[str, Any], n: int, inputs: str) -> None:
    """The transform never ran in ``__init__``, and once per read of an item (each of n read twice)."""
    where = f"输入 input: {inputs}"
    expect(seen["calls_at_init"] == 0,
           f"PairDataset 在 __init__ 中就调用了 transform（{seen['calls_at_init']} 次）；应在 __getitem__ 中调用。",
           f"PairDataset called the transform {seen['calls_at_init']} times in __init__; it belongs in "
           "__getitem__, so that a random augmentation differs every time a sample is read.", where)
    reads = seen["calls_after_reads"]
    expect(reads == 2 * n,
           f"把 {n} 个样本各读取两次，transform 被调用了 {reads} 次，应为每次读取调用一次（{2 * n} 次）。",
           f"Reading each of {n} items twice called the transform {reads} times; expected once per read ({2 * n}).",
           where)


def expect_split(seen: dict[str, Any], n: int, fractions: list[float], inputs: str) -> list[list[int]]:
    """Three Subsets of sizes ⌊f₀n⌋, ⌊f₁n⌋, rest, disjoint and covering; their ids."""
    what, where = f"split_dataset(dataset, {tuple(fractions)})", f"输入 input: {inputs}"
    if "result" in seen:
        fail(f"{what} 返回了 {seen['result']['type']}，应为三个 Subset 组成的元组 (train, val, test)。",
             f"{what} returned {seen['result']['type']}; expected a tuple of three Subsets (train, val, test).",
             where)
    for name, part in zip(("train", "val", "test"), seen["parts"], strict=False):
        expect(part["is_subset"] and part["ids"] is not None,
               f"{what} 的 {name} 部分是 {part['type']}，应为原数据集的 torch.utils.data.Subset。",
               f"{what} gave a {part['type']} as {name}; expected a torch.utils.data.Subset of the dataset.",
               where)
    parts = [part["ids"] for part in seen["parts"]]
    first, second = math.floor(fractions[0] * n), math.floor(fractions[1] * n)
    got, want = [len(p) for p in parts], [first, second, n - first - second]
    expect(got == want, f"{what} 各部分的大小是 {got}，应为 {want}（n = {n} 时的 ⌊f₀·n⌋、⌊f₁·n⌋ 与其余）。",
           f"{what} gave parts of sizes {got}; expected {want} (⌊f₀·n⌋, ⌊f₁·n⌋ and the rest, n = {n}).", where)
    everything = sorted(i for part in parts for i in part)
    expect(everything == list(range(n)),
           f"{what} 的三部分有重叠或遗漏：共 {len(set(everything))} 个不同样本，应为 {n} 个。",
           f"{what} gave parts that overlap or miss samples: {len(set(everything))} distinct samples; "
           f"expected all {n}.", where)
    return parts


def expected_draws(global_seed: int) -> dict[str, list[int]]:
    """What torch's, Python's and NumPy's global generators draw once seeded with ``global_seed``
    and left alone: the same draws from the judge's own generators."""
    python = random.Random(global_seed)
    return {
        "torch": torch.randint(0, DRAW_HIGH, (GLOBAL_DRAWS,),
                               generator=torch.Generator().manual_seed(global_seed)).tolist(),
        "random": [python.randrange(DRAW_HIGH) for _ in range(GLOBAL_DRAWS)],
        "numpy": np.random.RandomState(global_seed).randint(0, DRAW_HIGH, GLOBAL_DRAWS).tolist(),
    }


def expect_global_state_kept(seen: dict[str, Any], global_seed: int, inputs: str) -> None:
    """After ``split_dataset``, each global generator draws what it would have drawn without the call."""
    changed = [name for name, draws in expected_draws(global_seed).items() if seen["global_draws"].get(name) != draws]
    names = ", ".join({"torch": "torch", "random": "Python random", "numpy": "NumPy"}[name] for name in changed)
    expect(not changed,
           f"split_dataset 改变了全局随机状态（{names}）：它重设了全局种子或从全局生成器取了随机数。"
           "应只使用以 seed 初始化的 torch.Generator。",
           f"split_dataset changed the global random state ({names}): it reseeded a global generator or "
           "drew from one. Use only a torch.Generator seeded with seed (no torch.manual_seed).",
           f"输入 input: {inputs}")


def expect_epoch(seen: dict[str, Any], ids: range, batch_size: int, what: str, inputs: str,
                 in_order: bool) -> list[int]:
    """One epoch gives every id once, in batches of ``batch_size`` (the last may be smaller),
    in dataset order if ``in_order``; the ids in the order they came."""
    where = f"输入 input: {inputs}"
    if "bad_batch" in seen:
        fail(f"{what} 的批次是 {seen['bad_batch']}，应为 [samples, labels] 两项。",
             f"{what} yielded a {seen['bad_batch']} batch; expected [samples, labels].", where)
    got, sizes = seen["ids"], seen["batch_sizes"]
    expect(sorted(got) == list(ids),
           f"{what} 在一个 epoch 中给出 {len(got)} 个样本（{len(set(got))} 个不同），应为全部 {len(ids)} 个、各一次。",
           f"{what} gave {len(got)} samples ({len(set(got))} distinct) in one epoch; expected all "
           f"{len(ids)}, each once.", f"批大小 batch sizes: {sizes}", where)
    expect(all(s == batch_size for s in sizes[:-1]) and 0 < sizes[-1] <= batch_size,
           f"{what} 的批大小不对：应为 {batch_size}（只有最后一批可以更小）。",
           f"{what} has wrong batch sizes: expected {batch_size} (only the last batch may be smaller).",
           f"批大小 batch sizes: {sizes}", where)
    if in_order:
        expect(got == list(ids), f"{what} 打乱了样本顺序；验证集与测试集应保持数据集顺序。",
               f"{what} changed the order of the samples; val and test must keep the dataset order.", where)
    return got


def expect_loaders(seen: dict[str, Any], sizes: list[int], batch_size: int, inputs: str) -> None:
    """Train reshuffles every epoch; val and test keep their order; nothing dropped."""
    what = "make_loaders(train, val, test)"
    if "result" in seen:
        fail(f"{what} 返回了 {seen['result']['type']}，应为三个 DataLoader 组成的元组。",
             f"{what} returned {seen['result']['type']}; expected a tuple of three DataLoaders.",
             f"输入 input: {inputs}")
    starts = [0, sizes[0], sizes[0] + sizes[1]]
    ids = [range(s, s + k) for s, k in zip(starts, sizes, strict=True)]
    orders = [expect_epoch(e, ids[0], batch_size, f"{what}[0] (train)", inputs, False) for e in seen["train"]]
    expect(orders[0] != list(ids[0]) and all(a != b for a, b in itertools.pairwise(orders)),
           "训练集 DataLoader 没有在每个 epoch 重新打乱样本顺序。",
           "The train DataLoader does not reshuffle its samples every epoch.",
           f"{len(orders)} 个 epoch epochs, {sizes[0]} 个训练样本 train samples", f"输入 input: {inputs}")
    expect_epoch(seen["val"], ids[1], batch_size, f"{what}[1] (val)", inputs, True)
    expect_epoch(seen["test"], ids[2], batch_size, f"{what}[2] (test)", inputs, True)
