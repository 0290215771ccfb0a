"""Probes for ex07_augmentation: an image folder, the two transforms, mean and std.

Image files cross the boundary as their bytes (uint8 tensors): the judge encodes them with
PIL, the probe writes them into a scratch folder and builds the student's dataset on it.
Images come back as arrays (``np.asarray`` of the PIL image) or as the transform's output;
a transform comes back as the names and key parameters of its steps.
"""

from __future__ import annotations

import operator
import os
from pathlib import Path
from typing import Any, TypedDict

import numpy as np
import torch
from PIL import Image
from torch.utils.data import Dataset

from grader.probing.observe import (
    Description,
    ResultObservation,
    describe,
    scratch_dir,
    to_device,
    type_name,
)
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex07_augmentation"
PARAMS = ("degrees", "size", "scale", "ratio", "p", "brightness", "contrast", "saturation", "hue", "mean", "std")


class ItemObservation(TypedDict):
    """An (image, label) pair: a PIL image's mode (else None) and pixels (else the image described); the label."""

    mode: str | None
    image: Description
    label: Description


class OtherItemObservation(TypedDict):
    """An item that is no pair, described."""

    item: Description


class SampleObservation(TypedDict):
    """An entry of ``dataset.samples``: its path relative to the root (``"<type>"`` if it is
    no path), and its label."""

    path: str
    label: Description


class FolderObservation(TypedDict):
    """The dataset's ``classes``, its ``samples`` (None unless a list of pairs), its len and
    every item; with a transform, the transform's calls made by the constructor and what
    each call received (``"PIL <mode>"`` or the type's name), items read once each, then
    item 0 once more."""

    classes: Description
    samples: list[SampleObservation] | None
    len: int
    items: list[ItemObservation | OtherItemObservation]
    transform_calls_at_init: int
    transform_inputs: list[str]


# a parameter of a step as plain data (see _plain): a tensor's tolist(), a list, a scalar, or a repr
Plain = bool | int | float | str | None | list[Any]


class StepName(TypedDict):
    """A step of a transform: its class name."""

    name: str


class StepObservation(StepName, total=False):
    """A step of a transform: its class name and the key parameters (PARAMS) that it has."""

    degrees: Plain
    size: Plain
    scale: Plain
    ratio: Plain
    p: Plain
    brightness: Plain
    contrast: Plain
    saturation: Plain
    hue: Plain
    mean: Plain
    std: Plain


class TransformObservation(TypedDict):
    """The transform's type, its steps (None without a list of them), its outputs per image and
    seed (None if it cannot be called)."""

    type: str
    steps: list[StepObservation] | None
    outputs: list[list[Description]] | None


def _item(item: Any) -> ItemObservation | OtherItemObservation:
    """An item (image, label): a PIL image as its mode and pixel array, anything else described."""
    if not (type(item) in (tuple, list) and len(item) == 2):
        return {"item": describe(item)}
    image, label = item
    if isinstance(image, Image.Image):
        return {"mode": image.mode, "image": describe(np.asarray(image)), "label": describe(label)}
    return {"mode": None, "image": describe(image), "label": describe(label)}


def _samples(samples: Any, base: Path) -> list[SampleObservation] | None:
    """``dataset.samples`` as paths relative to ``base`` (a relative path is taken as is) and
    labels; None unless it is a list or tuple of pairs."""
    if not isinstance(samples, (list, tuple)) or not all(type(s) in (tuple, list) and len(s) == 2 for s in samples):
        return None
    plain: list[SampleObservation] = []
    for path, label in samples:
        text = f"<{type_name(path)}>"
        if isinstance(path, (str, os.PathLike)):
            given = Path(path)
            inside = [given.relative_to(b) for b in (base, base.resolve()) if given.is_relative_to(b)]
            text = (inside[0] if inside else given).as_posix()
        plain.append({"path": text, "label": describe(label)})
    return plain


@probe("ch3.ex07.folder")
def folder(sub: Submission, device: str, root: str, files: list[list[Any]],
           to_tensor: bool = False, as_path: bool = False) -> FolderObservation:
    """Write ``files`` ([relative path, bytes]) under ``<scratch>/<root>``, build
    ``ImageFolderDataset`` on it (root as a ``Path`` if ``as_path``, else a str; with
    ``ToTensor``, watched, if ``to_tensor``) and read every item."""
    with scratch_dir() as scratch:
        base = Path(scratch) / root
        base.mkdir()
        for relative, blob in files:
            path = base / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(blob.numpy().tobytes())
        from torchvision import (
            transforms,  # on use: importing torchvision takes seconds, few probes need it
        )

        received: list[str] = []
        to_tensor_step = transforms.ToTensor()

        def watched_to_tensor(image: Any) -> Any:
            received.append(f"PIL {image.mode}" if isinstance(image, Image.Image) else type_name(image))
            return to_tensor_step(image)

        dataset = sub.call(sub.module(MODULE).ImageFolderDataset, base if as_path else str(base),
                           transform=watched_to_tensor if to_tensor else None)
        at_init = len(received)
        size = sub.call(len, dataset)
        items = [_item(sub.call(operator.getitem, dataset, i)) for i in range(min(size, len(files)))]
        if to_tensor and size:
            sub.call(operator.getitem, dataset, 0)
        return {"classes": describe(getattr(dataset, "classes", None)),
                "samples": sub.call(_samples, getattr(dataset, "samples", None), base), "len": size, "items": items,
                "transform_calls_at_init": at_init, "transform_inputs": received}


def _plain(value: Any) -> Any:
    """A parameter as JSON-able data: numbers, strings, None, lists of those."""
    if isinstance(value, torch.Tensor):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value if value is None or type(value) in (bool, int, float, str) else repr(value)[:80]


@probe("ch3.ex07.transform")
def transform(sub: Submission, device: str, func: str, size: int, mean: list[float], std: list[float],
              images: list[torch.Tensor], seeds: list[int]) -> TransformObservation:
    """``func(size, mean, std)``: its steps (name and key parameters) and its output on each
    image (uint8 (H, W, 3) as an RGB PIL image) after ``torch.manual_seed(s)`` for each seed."""
    made = sub.call(getattr(sub.module(MODULE), func), size, list(mean), list(std))
    steps = getattr(made, "transforms", None)
    observed: TransformObservation = {"type": type_name(made), "steps": None, "outputs": None}
    if isinstance(steps, (list, tuple)):
        observed["steps"] = [{"name": type(s).__name__, **{k: _plain(getattr(s, k)) for k in PARAMS if hasattr(s, k)}}
                             for s in steps]
    if callable(made):
        observed["outputs"] = []
        for image in images:
            picture = Image.fromarray(image.numpy(), "RGB")
            outputs = []
            for seed in seeds:
                torch.manual_seed(seed)
                outputs.append(describe(sub.call(made, picture.copy())))
            observed["outputs"].append(outputs)
    return observed


class _Pairs(Dataset):
    """(images[i], labels[i]) from two lists."""

    def __init__(self, images: list[torch.Tensor], labels: list[int]) -> None:
        self.images, self.labels = images, labels

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:
        return self.images[index], self.labels[index]


@probe("ch3.ex07.mean_std")
def mean_std(sub: Submission, device: str, images: list[torch.Tensor], labels: list[int]) -> ResultObservation:
    """``compute_mean_std`` of a dataset of (image (C, H, W) on ``device``, label) pairs."""
    dataset = _Pairs(to_device(images, device), labels)
    return {"result": describe(sub.call(sub.module(MODULE).compute_mean_std, dataset))}
