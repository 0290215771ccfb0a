"""深化 7 / Deepening 7 — a custom image dataset and torchvision augmentation (Alice's answer)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import v2


class ImageFolderDataset(Dataset):
    """``root/<class>/<image>``; label = index of the class in sorted order."""

    def __init__(self, root: str | Path, transform: Callable[[Image.Image], Any] | None = None) -> None:
        self.transform = transform
        self.classes = sorted(entry.name for entry in os.scandir(root) if entry.is_dir())
        if len(self.classes) == 0:
            raise FileNotFoundError(f"{root!s} contains no class folders")
        self.samples = []
        for label, name in enumerate(self.classes):
            folder = os.path.join(root, name)
            images = [os.path.join(folder, f) for f in os.listdir(folder)
                      if os.path.splitext(f)[1].lower() in {".png", ".jpg", ".jpeg"}
                      and os.path.isfile(os.path.join(folder, f))]
            if not images:
                raise FileNotFoundError(f"class folder {folder} has no images")
            self.samples.extend((path, label) for path in sorted(images))

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, index: int) -> tuple[Any, int]:
        path, label = self.samples[index]
        image = Image.open(path).convert("RGB")
        if self.transform is not None:
            image = self.transform(image)
        return image, label


def train_transform(size: int, mean: Sequence[float], std: Sequence[float]) -> v2.Compose:
    """Rotation ±10°, random resized crop, colour jitter, flip, to float tensor, normalise."""
    return v2.Compose([
        v2.RandomRotation(degrees=10),
        v2.RandomResizedCrop(size, scale=(0.5, 1.0), antialias=True),
        v2.ColorJitter(brightness=0.3, contrast=0.3, saturation=0.3, hue=0.05),
        v2.RandomHorizontalFlip(p=0.5),
        v2.ToImage(),
        v2.ToDtype(torch.float32, scale=True),
        v2.Normalize(mean=list(mean), std=list(std)),
    ])


def eval_transform(size: int, mean: Sequence[float], std: Sequence[float]) -> v2.Compose:
    """Resize the shorter side to size, crop the centre, to float tensor, normalise."""
    return v2.Compose([
        v2.Resize(size, antialias=True),
        v2.CenterCrop(size),
        v2.ToImage(),
        v2.ToDtype(torch.float32, scale=True),
        v2.Normalize(mean=list(mean), std=list(std)),
    ])


def compute_mean_std(dataset: Dataset) -> tuple[torch.Tensor, torch.Tensor]:
    """Running sums of x and x² per channel, one image at a time; sample std."""
    total = squares = None
    count = 0
    for images, _ in DataLoader(dataset, batch_size=1):
        x = images[0].flatten(1).double()
        total = x.sum(dim=1) if total is None else total + x.sum(dim=1)
        squares = (x ** 2).sum(dim=1) if squares is None else squares + (x ** 2).sum(dim=1)
        count += x.shape[1]
    mean = total / count
    std = ((squares - count * mean ** 2) / (count - 1)).sqrt()
    return mean.to(images.dtype), std.to(images.dtype)
