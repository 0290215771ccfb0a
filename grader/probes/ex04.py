"""Probes for ex04_data_split: a dataset's items, a split's parts, the loaders' batches.

Transforms are callables and cannot cross the boundary, so checks choose one of the
grader-owned ``TRANSFORMS`` by name. The datasets handed to ``split_dataset`` and
``make_loaders`` are grader-owned too: item i carries its own id, so the probe can tell
which samples each part or batch holds without looking inside the student's objects.

The end of the module holds the judge-side comparisons that the public and the hidden
checks share; they run in the check, never next to the student code.
"""

from __future__ import annotations

import math
import operator
from typing import Any, Callable, TypedDict

import torch
from torch.utils.data import Dataset, Subset

from grader.expect import expect, expect_equal, expect_tensor, fail, number_of
from grader.probes.base import Description, ResultObservation, describe, probe, to_device, type_name
from grader.student import Submission

MODULE = "ex04_data_split"

TRANSFORMS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "double": lambda x: x * 2,
    "sum": lambda x: x.sum(),
    "flip": lambda x: x.flip(0),
}


class _Counting:
    """A named transform that counts its calls."""

    def __init__(self, name: str) -> None:
        self.fn, self.calls = TRANSFORMS[name], 0

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        self.calls += 1
        return self.fn(x)


class IdDataset(Dataset):
    """n samples; sample i is ``(tensor([i, -i], float32), i)``: its id is the label."""

    def __init__(self, ids: range) -> None:
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:
        i = self.ids[int(index)]
        return torch.tensor([i, -i], dtype=torch.float32), i


class PairDatasetObservation(TypedDict):
    """len, every item, and the transform's calls while building and after reading every item once."""

    len: int
    items: list[Description]
    calls_at_init: int
    calls_after_reads: int


class PartObservation(TypedDict):
    """One part of a split: its type, whether a Subset of the dataset, its ids (None if unreadable)."""

    type: str
    is_subset: bool
    ids: list[int] | None


class SplitObservation(TypedDict):
    """The three parts of a split."""

    parts: list[PartObservation]


class EpochObservation(TypedDict):
    """One pass over a loader: each batch's size, and the labels of every batch in the order they came
    (``labels.tolist()``: the ids as ints with the default collate; a loader may give any dtype or shape)."""

    batch_sizes: list[int]
    ids: list[int | float | bool | list[Any]]


class BadBatchObservation(TypedDict):
    """A pass over a loader that stopped at a batch that is no [samples, labels] pair: its type."""

    bad_batch: str


class LoadersObservation(TypedDict):
    """The passes over the train loader, and one over val and test."""

    train: list[EpochObservation | BadBatchObservation]
    val: EpochObservation | BadBatchObservation
    test: EpochObservation | BadBatchObservation


@probe("ex04.pair_dataset")
def pair_dataset(sub: Submission, device: str, data: torch.Tensor, targets: torch.Tensor,
                 transform: str | None = None) -> PairDatasetObservation:
    """``PairDataset(data, targets, transform)`` on ``device``: its len, every item, and
    how often the transform ran while building it and while reading every item once."""
    counting = _Counting(transform) if transform else None
    dataset = sub.call(sub.module(MODULE).PairDataset, to_device(data, device), to_device(targets, device), counting)
    calls_at_init = counting.calls if counting else 0
    size = sub.call(len, dataset)
    items = [describe(sub.call(operator.getitem, dataset, i)) for i in range(min(size, data.shape[0]))]
    return {"len": size, "items": items, "calls_at_init": calls_at_init,
            "calls_after_reads": counting.calls if counting else 0}


def _part(part: Any, dataset: Dataset) -> PartObservation:
    """Type, whether a Subset of ``dataset``, and the ids it holds in order (None if unreadable)."""
    ids = None
    if hasattr(part, "__len__") and hasattr(part, "__getitem__"):
        items = [part[j] for j in range(len(part))]
        if all(type(item) is tuple and len(item) == 2 and type(item[1]) is int for item in items):
            ids = [item[1] for item in items]
    return {"type": type_name(part), "is_subset": isinstance(part, Subset) and part.dataset is dataset, "ids": ids}


@probe("ex04.split")
def split(sub: Submission, device: str, n: int, fractions: list[float],
          calls: list[list[int]]) -> list[SplitObservation | ResultObservation]:
    """For each ``[global_seed, seed]`` in ``calls``: ``split_dataset(data, fractions, seed)``
    on an n-sample id dataset after ``torch.manual_seed(global_seed)``; what came back."""
    split_dataset = sub.module(MODULE).split_dataset
    dataset = IdDataset(range(n))
    seen: list[SplitObservation | ResultObservation] = []
    for global_seed, seed in calls:
        torch.manual_seed(global_seed)
        parts = sub.call(split_dataset, dataset, tuple(fractions), seed)
        ok = type(parts) in (tuple, list) and len(parts) == 3
        seen.append({"parts": [sub.call(_part, p, dataset) for p in parts]} if ok else {"result": describe(parts)})
    return seen


def _epoch(loader: Any) -> EpochObservation | BadBatchObservation:
    """One pass over ``loader``: the size and ids of each batch, or what a batch was instead."""
    sizes, ids = [], []
    for batch in loader:
        if not (type(batch) in (tuple, list) and len(batch) == 2 and isinstance(batch[1], torch.Tensor)):
            return {"bad_batch": type_name(batch)}
        sizes.append(len(batch[1]))
        ids += batch[1].tolist()
    return {"batch_sizes": sizes, "ids": ids}


@probe("ex04.loaders")
def loaders(sub: Submission, device: str, sizes: list[int], batch_size: int | None, epochs: int,
            seed: int) -> LoadersObservation | ResultObservation:
    """``make_loaders(train, val, test[, batch_size])`` on id datasets of ``sizes`` (train ids
    first, then val's, then test's); ``epochs`` passes over train, one over val and test."""
    starts = [0, sizes[0], sizes[0] + sizes[1]]
    parts = [IdDataset(range(s, s + k)) for s, k in zip(starts, sizes)]
    kwargs = {} if batch_size is None else {"batch_size": batch_size}
    made = sub.call(sub.module(MODULE).make_loaders, *parts, **kwargs)
    if not (type(made) in (tuple, list) and len(made) == 3 and all(hasattr(m, "__iter__") for m in made)):
        return {"result": describe(made)}
    torch.manual_seed(seed)
    return {"train": [sub.call(_epoch, made[0]) for _ in range(epochs)], "val": sub.call(_epoch, made[1]),
            "test": sub.call(_epoch, made[2])}


# -- judge side: the comparisons the public and hidden checks share (no student code runs here) --

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


def expect_split(seen: dict[str, Any], n: int, fractions: list[float], inputs: str) -> list[list[int]]:
    """Three Subsets of sizes ⌊f₀n⌋, ⌊f₁n⌋, rest, disjoint and covering; their ids."""
    what, where = f"split_dataset(dataset, {tuple(fractions)})", f"输入 input: {inputs}"
    if "result" in seen:
        fail(f"{what} 返回了 {seen['result']['type']}，应为三个 Subset 组成的元组 (train, val, test)。",
             f"{what} returned {seen['result']['type']}; expected a tuple of three Subsets (train, val, test).",
             where)
    for name, part in zip(("train", "val", "test"), seen["parts"]):
        expect(part["is_subset"] and part["ids"] is not None,
               f"{what} 的 {name} 部分是 {part['type']}，应为原数据集的 torch.utils.data.Subset。",
               f"{what} gave a {part['type']} as {name}; expected a torch.utils.data.Subset of the dataset.",
               where)
    parts = [part["ids"] for part in seen["parts"]]
    first, second = math.floor(fractions[0] * n), math.floor(fractions[1] * n)
    got, want = [len(p) for p in parts], [first, second, n - first - second]
    expect(got == want, f"{what} 各部分的大小是 {got}，应为 {want}（n = {n} 时的 ⌊f₀·n⌋、⌊f₁·n⌋ 与其余）。",
           f"{what} gave parts of sizes {got}; expected {want} (⌊f₀·n⌋, ⌊f₁·n⌋ and the rest, n = {n}).", where)
    everything = sorted(sum(parts, []))
    expect(everything == list(range(n)),
           f"{what} 的三部分有重叠或遗漏：共 {len(set(everything))} 个不同样本，应为 {n} 个。",
           f"{what} gave parts that overlap or miss samples: {len(set(everything))} distinct samples; "
           f"expected all {n}.", where)
    return parts


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
    ids = [range(s, s + k) for s, k in zip(starts, sizes)]
    orders = [expect_epoch(e, ids[0], batch_size, f"{what}[0] (train)", inputs, False) for e in seen["train"]]
    expect(orders[0] != list(ids[0]) and all(a != b for a, b in zip(orders, orders[1:])),
           "训练集 DataLoader 没有在每个 epoch 重新打乱样本顺序。",
           "The train DataLoader does not reshuffle its samples every epoch.",
           f"{len(orders)} 个 epoch epochs, {sizes[0]} 个训练样本 train samples", f"输入 input: {inputs}")
    expect_epoch(seen["val"], ids[1], batch_size, f"{what}[1] (val)", inputs, True)
    expect_epoch(seen["test"], ids[2], batch_size, f"{what}[2] (test)", inputs, True)
