"""Probes for ex04_data_split: a dataset's items, a split's parts, the loaders' batches.

Transforms are callables and cannot cross the boundary, so checks choose one of the
grader-owned ``TRANSFORMS`` by name. The datasets handed to ``split_dataset`` and
``make_loaders`` are grader-owned too: item i carries its own id, so the probe can tell
which samples each part or batch holds without looking inside the student's objects.
Before each ``split_dataset`` call the probe seeds the global generators of torch, Python's
``random`` and NumPy, and after it draws from them (``GLOBAL_DRAWS``), so the judge can
compare the draws with those of generators it seeds itself.
"""

from __future__ import annotations

import operator
import random
from collections.abc import Callable
from typing import Any, TypedDict

import numpy as np
import torch
from torch.utils.data import Dataset, Subset

from grader.probing.observe import (
    Description,
    ResultObservation,
    describe,
    to_device,
    type_name,
)
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex04_data_split"

TRANSFORMS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "double": lambda x: x * 2,
    "sum": lambda x: x.sum(),
    "flip": lambda x: x.flip(0),
}


DRAW_HIGH = 2**31 - 1
GLOBAL_DRAWS = 4  # numbers drawn from each global generator after a split
# each global generator: how the probe seeds it and draws GLOBAL_DRAWS numbers in [0, DRAW_HIGH) from it
GLOBAL_GENERATORS: dict[str, tuple[Callable[[int], Any], Callable[[], list[int]]]] = {
    "torch": (torch.manual_seed, lambda: torch.randint(0, DRAW_HIGH, (GLOBAL_DRAWS,)).tolist()),
    "random": (random.seed, lambda: [random.randrange(DRAW_HIGH) for _ in range(GLOBAL_DRAWS)]),
    "numpy": (np.random.seed, lambda: np.random.randint(0, DRAW_HIGH, GLOBAL_DRAWS).tolist()),
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
    """len, every item, and the transform's calls while building and after reading every item twice."""

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
    """The three parts of a split, and the numbers then drawn from each global generator."""

    parts: list[PartObservation]
    global_draws: dict[str, list[int]]


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


@probe("ch3.ex04.pair_dataset")
def pair_dataset(sub: Submission, device: str, data: torch.Tensor, targets: torch.Tensor,
                 transform: str | None = None, targets_as_list: bool = False) -> PairDatasetObservation:
    """``PairDataset(data, targets, transform)`` on ``device`` (targets as a list of ints with
    ``targets_as_list``): its len, every item, and how often the transform ran while building
    it and while reading every item twice."""
    counting = _Counting(transform) if transform else None
    labels = targets.tolist() if targets_as_list else to_device(targets, device)
    dataset = sub.call(sub.module(MODULE).PairDataset, to_device(data, device), labels, counting)
    calls_at_init = counting.calls if counting else 0
    size = sub.call(len, dataset)
    indices = range(min(size, data.shape[0]))
    items = [describe(sub.call(operator.getitem, dataset, i)) for i in indices]
    for i in indices:
        sub.call(operator.getitem, dataset, i)
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


@probe("ch3.ex04.split")
def split(sub: Submission, device: str, n: int, fractions: list[float],
          calls: list[list[int]]) -> list[SplitObservation | ResultObservation]:
    """For each ``[global_seed, seed]`` in ``calls``: ``split_dataset(data, fractions, seed)``
    on an n-sample id dataset, the global generators seeded with ``global_seed`` before; what
    came back, and what the global generators drew right after the call."""
    split_dataset = sub.module(MODULE).split_dataset
    dataset = IdDataset(range(n))
    seen: list[SplitObservation | ResultObservation] = []
    for global_seed, seed in calls:
        for seed_global, _ in GLOBAL_GENERATORS.values():
            seed_global(global_seed)
        parts = sub.call(split_dataset, dataset, tuple(fractions), seed)
        draws = {name: draw() for name, (_, draw) in GLOBAL_GENERATORS.items()}
        ok = type(parts) in (tuple, list) and len(parts) == 3
        seen.append({"parts": [sub.call(_part, p, dataset) for p in parts], "global_draws": draws}
                    if ok else {"result": describe(parts)})
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


@probe("ch3.ex04.loaders")
def loaders(sub: Submission, device: str, sizes: list[int], batch_size: int | None, epochs: int,
            seed: int) -> LoadersObservation | ResultObservation:
    """``make_loaders(train, val, test[, batch_size])`` on id datasets of ``sizes`` (train ids
    first, then val's, then test's); ``epochs`` passes over train, one over val and test."""
    starts = [0, sizes[0], sizes[0] + sizes[1]]
    parts = [IdDataset(range(s, s + k)) for s, k in zip(starts, sizes, strict=True)]
    kwargs = {} if batch_size is None else {"batch_size": batch_size}
    made = sub.call(sub.module(MODULE).make_loaders, *parts, **kwargs)
    if not (type(made) in (tuple, list) and len(made) == 3 and all(hasattr(m, "__iter__") for m in made)):
        return {"result": describe(made)}
    torch.manual_seed(seed)
    return {"train": [sub.call(_epoch, made[0]) for _ in range(epochs)], "val": sub.call(_epoch, made[1]),
            "test": sub.call(_epoch, made[2])}
