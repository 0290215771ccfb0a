"""深化 7：自定义数据集，并用 torchvision.transforms 做数据增强。

实现一个自定义数据集（继承 `torch.utils.data.Dataset`，实现 `__init__`、`__len__`、
`__getitem__`），并使用 `torchvision.transforms` 进行数据增强（例如：图像旋转、裁剪、
颜色变换等）。

1. `ImageFolderDataset`：`root` 下每个子文件夹是一个类别（类名按字母序排列，类别编号即其
   序号）；样本是各类别文件夹中扩展名为 .png、.jpg、.jpeg（不区分大小写）的文件，按路径
   排序；第 i 个样本为 (图像, 类别编号)，图像用 PIL 打开并转为 RGB，若给了 transform 则
   先对图像做变换。其他文件一律忽略；`root` 中没有类别文件夹、或某个类别文件夹里没有图像
   时，抛出指明该文件夹的错误。
2. `train_transform`：训练用的数据增强——随机旋转（不超过 15°）、随机大小裁剪到
   size×size、颜色抖动、随机水平翻转，然后 `ToTensor` 与 `Normalize(mean, std)`。
   数据增强通常只用于训练数据。
3. `eval_transform`：验证/测试用的确定性变换——缩放、中心裁剪到 size×size、`ToTensor`、
   `Normalize`。
4. `compute_mean_std`：本章的 `calculate_mean_std`：对数据集中所有图像的所有像素，按通道
   计算均值与标准差，供 `Normalize` 使用。

Deepening 7: a custom dataset, and data augmentation with torchvision.transforms.

Write a custom dataset (a subclass of `torch.utils.data.Dataset` with `__init__`,
`__len__` and `__getitem__`) and augment the data with `torchvision.transforms` (image
rotation, cropping, colour changes and so on).

1. `ImageFolderDataset`: every sub-folder of `root` is a class (class names in sorted
   order, the class index is the position in that order); the samples are the files with
   extension .png, .jpg or .jpeg (any case) in the class folders, sorted by path; item i is
   (image, class index), the image opened with PIL and converted to RGB, then transformed
   if a transform is given. Every other file is ignored; a `root` without class folders, or
   a class folder without images, raises an error that names that folder.
2. `train_transform`: augmentation for training: random rotation (at most 15°), random
   resized crop to size×size, colour jitter, random horizontal flip, then `ToTensor` and
   `Normalize(mean, std)`. Augmentation is usually applied to training data only.
3. `eval_transform`: the deterministic transform for validation and test: resize, centre
   crop to size×size, `ToTensor`, `Normalize`.
4. `compute_mean_std`: the chapter's `calculate_mean_std`: per-channel mean and std over
   every pixel of every image of a dataset, for `Normalize`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import torch
from PIL import Image
from torch.utils.data import Dataset
from torchvision import transforms

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg")


class ImageFolderDataset(Dataset):
    """Images in ``root/<class name>/<file>``, labelled by class index.

    Args:
        root: a folder (str or Path) whose sub-folders are the classes.
        transform: optional callable, applied to the RGB PIL image at every ``__getitem__``
            call (never in ``__init__``), so that random augmentation is drawn anew each time.
    Attributes:
        classes: the sorted list of sub-folder names of ``root``; label k is ``classes[k]``.
        samples: the list of (path, class index) pairs, one per image, sorted by path; a
            path is the image file's, ``root/<class name>/<file>``.
    Raises:
        FileNotFoundError: ``root`` has no sub-folder, or a class folder has no
            .png / .jpg / .jpeg file; the message names that folder.
    """

    def __init__(self, root: str | Path, transform: Callable[[Image.Image], Any] | None = None) -> None:
        raise NotImplementedError("ex07_augmentation.ImageFolderDataset.__init__: 尚未实现 / not implemented yet")

    def __len__(self) -> int:
        """The number of images."""
        raise NotImplementedError("ex07_augmentation.ImageFolderDataset.__len__: 尚未实现 / not implemented yet")

    def __getitem__(self, index: int) -> tuple[Any, int]:
        """(RGB PIL image of sample ``index``, or its transform; class index as an int)."""
        raise NotImplementedError("ex07_augmentation.ImageFolderDataset.__getitem__: 尚未实现 / not implemented yet")


def train_transform(size: int, mean: Sequence[float], std: Sequence[float]) -> transforms.Compose:
    """Random augmentation for training images.

    Args:
        size: side of the output square.
        mean, std: one number per channel (3), for ``Normalize``.
    Returns:
        A ``transforms.Compose`` taking an RGB PIL image (any size) to a float32 tensor
        (3, size, size): random rotation within ±15°, random resized crop to size×size,
        colour jitter that really changes brightness, contrast and saturation (all three),
        random horizontal flip (p = 0.5), ``ToTensor`` (pixels to [0, 1]),
        ``Normalize(mean, std)``.
    """
    raise NotImplementedError("ex07_augmentation.train_transform: 尚未实现 / not implemented yet")


def eval_transform(size: int, mean: Sequence[float], std: Sequence[float]) -> transforms.Compose:
    """The deterministic transform for validation and test images.

    Args:
        size: side of the output square.
        mean, std: one number per channel (3), for ``Normalize``.
    Returns:
        A ``transforms.Compose`` taking an RGB PIL image (any size) to a float32 tensor
        (3, size, size): resize (bilinear, torchvision's default) so that the shorter side
        is ``size``, crop the centre size×size, ``ToTensor``, ``Normalize(mean, std)``. No
        randomness: the same image always gives the same tensor.
    """
    raise NotImplementedError("ex07_augmentation.eval_transform: 尚未实现 / not implemented yet")


def compute_mean_std(dataset: Dataset) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-channel mean and standard deviation over every pixel of every image.

    Args:
        dataset: items are (image, label), the image a float tensor (C, H, W) with values
            in [0, 1]; images may differ in H and W (every pixel counts once), and may be
            on any device.
    Returns:
        (mean, std), each a tensor (C,) of the images' dtype and device. The std is the
        population std over all pixels (a sample std, as ``Tensor.std()`` gives, differs
        from it by a factor √(M/(M−1)) for M pixels per channel and is accepted too).
    """
    raise NotImplementedError("ex07_augmentation.compute_mean_std: 尚未实现 / not implemented yet")
