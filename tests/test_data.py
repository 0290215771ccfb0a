"""The data the training checks are graded on: digits by default, MNIST through torchvision."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import pytest
import torch

from chapters.ch3.judging import data


def write_idx(path: Path, values: torch.Tensor, *, gzipped: bool) -> None:
    """``values`` (uint8) as an IDX file: magic 0x0000 08 <ndim>, big-endian int32 sizes, bytes."""
    payload = struct.pack(f">I{values.dim()}I", 0x0800 | values.dim(), *values.shape) + values.numpy().tobytes()
    if gzipped:
        path.with_name(path.name + ".gz").write_bytes(gzip.compress(payload))
    else:
        path.write_bytes(payload)


def fake_mnist(root: Path, *, gzipped: bool) -> dict[bool, tuple[torch.Tensor, torch.Tensor]]:
    """A few dozen random MNIST-format images and labels under ``root/MNIST/raw``, by ``train``."""
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    gen = torch.Generator().manual_seed(0)
    made = {}
    for train, prefix, count in ((True, "train", 40), (False, "t10k", 24)):
        images = torch.randint(0, 256, (count, 28, 28), generator=gen, dtype=torch.uint8)
        labels = torch.randint(0, 10, (count,), generator=gen, dtype=torch.uint8)
        write_idx(raw / f"{prefix}-images-idx3-ubyte", images, gzipped=gzipped)
        write_idx(raw / f"{prefix}-labels-idx1-ubyte", labels, gzipped=gzipped)
        made[train] = images, labels
    return made


def rows(images: torch.Tensor) -> set[bytes]:
    return {image.numpy().tobytes() for image in images}


@pytest.mark.parametrize("gzipped", [False, True])
def test_mnist_files_load_through_torchvision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gzipped: bool) -> None:
    made = fake_mnist(tmp_path, gzipped=gzipped)
    monkeypatch.setenv(data.MNIST_ENV, str(tmp_path))
    assert data.mnist_root() == tmp_path
    for train, (images, labels) in made.items():
        x, y = data.mnist(tmp_path, train)
        assert x.shape == (len(labels), 1, 28, 28) and x.dtype == torch.float32
        assert y.shape == (len(labels),) and y.dtype == torch.int64
        assert torch.equal(x, images.unsqueeze(1).float() / 255) and torch.equal(y, labels.long())
    split = data.load_split(7)
    assert split.source == "mnist"
    assert (len(split.train_y), len(split.val_y), len(split.test_y)) == (40, 0, 24)  # fewer files than SIZES
    assert rows(split.train_x) == rows(made[True][0].unsqueeze(1).float() / 255)
    assert rows(split.test_x) == rows(made[False][0].unsqueeze(1).float() / 255)


def test_incomplete_mnist_folder_falls_back_to_digits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_mnist(tmp_path, gzipped=False)
    (tmp_path / "MNIST" / "raw" / "t10k-labels-idx1-ubyte").unlink()
    monkeypatch.setenv(data.MNIST_ENV, str(tmp_path))
    assert data.mnist_root() is None
    assert data.load_split(0).source == "digits"


def test_digits_split(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(data.MNIST_ENV, raising=False)
    split = data.load_split(3)
    assert split.source == "digits"
    parts = [(split.train_x, split.train_y), (split.val_x, split.val_y), (split.test_x, split.test_y)]
    for (x, y), size in zip(parts, data.SIZES["digits"], strict=True):
        assert x.shape == (size, 1, 28, 28) and x.dtype == torch.float32
        assert y.shape == (size,) and y.dtype == torch.int64
        assert float(x.min()) >= 0 and float(x.max()) <= 1 and set(y.tolist()) == set(range(10))
        assert x[..., :4, :].abs().sum() == 0 and x[..., 24:, :].abs().sum() == 0  # inside the 20×20 box
    everything = rows(data.digits()[0])
    assert rows(split.train_x) | rows(split.val_x) | rows(split.test_x) == everything
    assert sum(len(p[1]) for p in parts) == len(data.digits()[1]) == 1797
    again, other = data.load_split(3), data.load_split(4)
    assert torch.equal(again.test_x, split.test_x) and not torch.equal(other.test_x, split.test_x)
