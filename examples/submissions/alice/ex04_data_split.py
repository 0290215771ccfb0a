"""应用 4 / Applications 4 — Dataset, DataLoader and a train/val/test split (Alice's answer)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch
from torch.utils.data import DataLoader, Dataset, RandomSampler, SequentialSampler, Subset, random_split


class PairDataset(Dataset):
    """Sample i is ``(transform(data[i]), targets[i])``; the transform runs at every read."""

    def __init__(self, data: torch.Tensor, targets: Sequence[Any] | torch.Tensor,
                 transform: Callable[[Any], Any] | None = None) -> None:
        if len(data) != len(targets):
            raise ValueError("data and targets must have the same length")
        self.data = data
        self.targets = targets
        self.transform = transform if transform is not None else (lambda x: x)

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        return self.transform(self.data[index]), self.targets[index]


def split_dataset(dataset: Dataset, fractions: Sequence[float] = (0.8, 0.1, 0.1),
                  seed: int = 0) -> tuple[Subset, Subset, Subset]:
    """Sizes int(f0 * n), int(f1 * n) and the rest, shuffled by a generator seeded with ``seed``."""
    f0, f1, f2 = fractions
    if f0 < 0 or f1 < 0 or f2 < 0:
        raise ValueError("fractions must not be negative")
    if abs(f0 + f1 + f2 - 1) > 1e-9:
        raise ValueError("fractions must sum to 1")
    n = len(dataset)
    lengths = [int(f0 * n), int(f1 * n)]
    lengths.append(n - sum(lengths))
    train, val, test = random_split(dataset, lengths, generator=torch.Generator().manual_seed(seed))
    return train, val, test


def make_loaders(train: Dataset, val: Dataset, test: Dataset,
                 batch_size: int = 32) -> tuple[DataLoader, DataLoader, DataLoader]:
    """A fresh random order for train every epoch; val and test in order; nothing dropped."""
    train_loader = DataLoader(train, batch_size=batch_size, sampler=RandomSampler(train), drop_last=False)
    val_loader = DataLoader(val, batch_size=batch_size, sampler=SequentialSampler(val))
    test_loader = DataLoader(test, batch_size, sampler=SequentialSampler(test))
    return train_loader, val_loader, test_loader
