"""应用 4：用 Dataset 与 DataLoader 把数据集划分为训练/验证/测试集，并按批加载。

使用 `torch.utils.data.Dataset` 和 `torch.utils.data.DataLoader`，将给定的数据集分为
训练集、验证集和测试集，并编写以批处理方式加载数据的代码。

1. `PairDataset`：像本章的 `CustomDataset` 那样包装一对张量 (data, targets)，可带一个
   变换 transform（在 `__getitem__` 中、每次读取样本时调用）。data 与 targets 长度不同时
   抛出 `ValueError`。
2. `split_dataset`：按比例 (f₀, f₁, f₂) 随机划分，大小依次为 ⌊f₀·n⌋、⌊f₁·n⌋ 和其余部分；
   三部分互不相交且覆盖全部样本；划分只取决于 `seed`（与全局随机状态无关）。比例为负或
   之和不为 1 时抛出 `ValueError`。
3. `make_loaders`：训练集的 DataLoader 每个 epoch 重新打乱；验证集与测试集保持原顺序；
   不丢弃任何样本（最后一个不完整的批次也保留）。

Applications 4: split a dataset into train/val/test with Dataset and DataLoader, and
load it in batches.

Use `torch.utils.data.Dataset` and `torch.utils.data.DataLoader` to split a given dataset
into training, validation and test sets, and write the code that loads them in batches.

1. `PairDataset`: wraps a pair of tensors (data, targets), like the chapter's
   `CustomDataset`, with an optional transform (called in `__getitem__`, every time a
   sample is read). Different lengths of data and targets raise `ValueError`.
2. `split_dataset`: a random split by fractions (f₀, f₁, f₂) into parts of sizes ⌊f₀·n⌋,
   ⌊f₁·n⌋ and the rest; the parts are disjoint and cover every sample; the split depends
   only on `seed` (not on the global random state). Negative fractions, or fractions that
   do not sum to 1, raise `ValueError`.
3. `make_loaders`: the train DataLoader reshuffles every epoch; val and test keep their
   order; no sample is dropped (the last, partial batch is kept).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import torch
from torch.utils.data import DataLoader, Dataset, Subset


class PairDataset(Dataset):
    """Samples ``data[i]`` with labels ``targets[i]``, optionally transformed.

    Args:
        data: tensor (N, ...) of any dtype, on any device.
        targets: tensor (N,) (int64 class labels, say), or any sequence of length N.
        transform: optional callable applied to ``data[i]`` in ``__getitem__``, every time
            a sample is read (so that a random augmentation differs from epoch to epoch);
            never applied to the targets.
    Raises:
        ValueError: ``data.shape[0] != len(targets)``.
    """

    def __init__(self, data: torch.Tensor, targets: Sequence[Any] | torch.Tensor,
                 transform: Callable[[Any], Any] | None = None) -> None:
        raise NotImplementedError("ex04_data_split.PairDataset.__init__: 尚未实现 / not implemented yet")

    def __len__(self) -> int:
        """N, the number of samples (``data.shape[0]``)."""
        raise NotImplementedError("ex04_data_split.PairDataset.__len__: 尚未实现 / not implemented yet")

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        """``(transform(data[index]) if transform else data[index], targets[index])``."""
        raise NotImplementedError("ex04_data_split.PairDataset.__getitem__: 尚未实现 / not implemented yet")


def split_dataset(dataset: Dataset, fractions: Sequence[float] = (0.8, 0.1, 0.1),
                  seed: int = 0) -> tuple[Subset, Subset, Subset]:
    """A random train/val/test partition of ``dataset``, reproducible from ``seed``.

    Args:
        dataset: any map-style dataset of n samples (it has ``len``).
        fractions: three numbers f₀, f₁, f₂ ≥ 0 whose sum is 1 up to floating-point
            rounding: (0.7, 0.2, 0.1) is accepted; a sum off 1 by more than 1e-6 is not.
        seed: the only source of randomness: the same seed gives the same split whatever
            the global random state, and the global random state is left untouched.
    Returns:
        (train, val, test) as ``torch.utils.data.Subset`` of ``dataset``, of sizes
        ⌊f₀·n⌋, ⌊f₁·n⌋ and n − ⌊f₀·n⌋ − ⌊f₁·n⌋; disjoint, together covering all n indices.
    Raises:
        ValueError: not three fractions, a negative fraction, or a sum off 1 by more than 1e-6.
    """
    raise NotImplementedError("ex04_data_split.split_dataset: 尚未实现 / not implemented yet")


def make_loaders(train: Dataset, val: Dataset, test: Dataset,
                 batch_size: int = 32) -> tuple[DataLoader, DataLoader, DataLoader]:
    """Batch loaders for the three parts of a split.

    Args:
        train, val, test: map-style datasets (the Subsets of ``split_dataset``, say).
        batch_size: samples per batch; the last batch of each epoch may be smaller.
    Returns:
        (train_loader, val_loader, test_loader). The train loader yields its samples in a
        new random order every epoch; val and test yield theirs in dataset order. Every
        sample appears exactly once per epoch (nothing dropped).
    """
    raise NotImplementedError("ex04_data_split.make_loaders: 尚未实现 / not implemented yet")
