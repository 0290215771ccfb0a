"""The handwritten digits the training checks are graded on, split from a seed.

By default these are scikit-learn's bundled digits (1,797 images of 8×8 pixels, values
0..16), made MNIST-like: scaled to [0, 1], resized bilinearly to 20×20 and padded to
28×28, so each digit sits inside a centred 20×20 box as in MNIST. When the folder named by
the environment variable ``GRADER_MNIST`` holds MNIST's raw IDX files (torchvision's
layout, ``<root>/MNIST/raw/``, extracted or gzipped), MNIST is used instead, read by
``torchvision.datasets.MNIST``; a subset keeps grading fast. Nothing is ever downloaded.

Images are (N, 1, 28, 28) float32 in [0, 1]; labels are (N,) int64 in 0..9.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import torch
import torch.nn.functional as F

MNIST_ENV = "GRADER_MNIST"
RAW_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
# (train, val, test) sizes; MNIST's train and val come from its training set, test from t10k
SIZES = {"digits": (1400, 100, 297), "mnist": (2000, 300, 1000)}

Data = tuple[torch.Tensor, torch.Tensor]


@dataclass(frozen=True)
class Split:
    """Train / val / test images (N, 1, 28, 28) float32 and labels (N,) int64."""

    source: str  # "digits" or "mnist"
    train_x: torch.Tensor
    train_y: torch.Tensor
    val_x: torch.Tensor
    val_y: torch.Tensor
    test_x: torch.Tensor
    test_y: torch.Tensor


@lru_cache(maxsize=1)
def digits() -> Data:
    """All 1,797 scikit-learn digits as MNIST-like images and their labels."""
    from sklearn.datasets import (
        load_digits,  # imported on first use: scikit-learn takes seconds to load
    )

    bunch = load_digits()
    small = torch.from_numpy(bunch.images).to(torch.float32).unsqueeze(1) / 16.0
    box = F.interpolate(small, size=(20, 20), mode="bilinear", align_corners=False)
    images = F.pad(box, (4, 4, 4, 4)).clamp_(0.0, 1.0)
    return images.contiguous(), torch.from_numpy(bunch.target).to(torch.int64)


def mnist_root() -> Path | None:
    """The ``GRADER_MNIST`` folder if it holds MNIST's raw files (gzipped ones are extracted)."""
    root = os.environ.get(MNIST_ENV)
    if not root:
        return None
    from torchvision.datasets.utils import (
        extract_archive,  # imported only when MNIST is asked for
    )

    raw = Path(root) / "MNIST" / "raw"
    for name in RAW_FILES:
        packed = raw / f"{name}.gz"
        if not (raw / name).is_file() and packed.is_file():
            extract_archive(str(packed))
    return Path(root) if all((raw / name).is_file() for name in RAW_FILES) else None


@lru_cache(maxsize=4)
def mnist(root: Path, train: bool) -> Data:
    """MNIST's training (or t10k) set from ``root``, through torchvision, never downloaded."""
    from torchvision.datasets import MNIST

    dataset = MNIST(str(root), train=train, download=False)
    return (dataset.data.to(torch.float32) / 255.0).unsqueeze(1), dataset.targets.to(torch.int64)


def _take(data: Data, order: torch.Tensor, start: int, count: int) -> Data:
    index = order[start:start + count]
    return data[0][index], data[1][index]


def load_split(seed: int) -> Split:
    """The train / val / test split the checks use: a random subset chosen by ``seed``.

    MNIST when ``GRADER_MNIST`` names a folder with its files, else the digits.
    """
    gen = torch.Generator().manual_seed(seed)
    root = mnist_root()
    if root is None:
        n_train, n_val, n_test = SIZES["digits"]
        pool = digits()
        order = torch.randperm(len(pool[1]), generator=gen)
        test = _take(pool, order, 0, n_test)
        source, start = "digits", n_test
    else:
        n_train, n_val, n_test = SIZES["mnist"]
        pool, held_out = mnist(root, True), mnist(root, False)
        order = torch.randperm(len(pool[1]), generator=gen)
        test = _take(held_out, torch.randperm(len(held_out[1]), generator=gen), 0, n_test)
        source, start = "mnist", 0
    train = _take(pool, order, start, n_train)
    val = _take(pool, order, start + n_train, n_val)
    return Split(source, *train, *val, *test)
