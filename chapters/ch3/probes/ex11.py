"""Probes for ex11_random_data: a RandomData's length, its items read twice, a DataLoader's
first batch, and what the global generators drew afterwards."""

from __future__ import annotations

import operator
from typing import Any, TypedDict

from torch.utils.data import DataLoader

from chapters.ch3.probes.ex04 import GLOBAL_GENERATORS
from grader.probing.observe import Description, describe
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex11_random_data"


class RandomDataObservation(TypedDict):
    """len; every item, read once, then again; the numbers each global generator drew after
    that; the first batch of a DataLoader (batch_size 4)."""

    len: int
    items: list[Description]
    again: list[Description]
    batch: Description
    global_draws: dict[str, list[int]]


@probe("ch3.ex11.random_data")
def random_data(sub: Submission, device: str, feature: int, length: int, seed: int | None,
                global_seed: int = 0) -> RandomDataObservation:
    """``RandomData(feature, length[, seed])`` built with the global generators seeded with
    ``global_seed``; its len and items (twice), a DataLoader's first batch, the global draws."""
    for seed_global, _ in GLOBAL_GENERATORS.values():
        seed_global(global_seed)
    cls = sub.module(MODULE).RandomData
    dataset = sub.call(cls, feature, length) if seed is None else sub.call(cls, feature, length, seed)
    size = sub.call(len, dataset)
    indices = range(min(size, length))
    items = [describe(sub.call(operator.getitem, dataset, i)) for i in indices]
    again = [describe(sub.call(operator.getitem, dataset, i)) for i in indices]
    draws = {name: draw() for name, (_, draw) in GLOBAL_GENERATORS.items()}  # before the loader draws its own seed
    batch: Any = None
    if length:
        batch = sub.call(next, iter(DataLoader(dataset, batch_size=4, shuffle=False)))
    return {"len": size, "items": items, "again": again, "batch": describe(batch), "global_draws": draws}
