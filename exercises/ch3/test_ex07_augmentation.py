"""Public checks for ex07_augmentation / 深化 7 的公开检查。"""

import torch

from chapters.ch3.judging.ex07 import (
    encode,
    encode_text,
    expect_eval,
    expect_folder,
    expect_folder_error,
    expect_mean_std,
    expect_train,
    image_tree,
    random_pixels,
)
from grader.judge.check import Judge, check

EX = "ex07_augmentation"
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


@check(EX, 1.5)
def test_folder_samples(judge: Judge) -> None:
    """ImageFolderDataset：类名排序、只取 png/jpg/jpeg（不分大小写）、samples 按路径排序、RGB 图像与 int 类别编号
    ImageFolderDataset: sorted classes, png/jpg/jpeg files (any case), samples sorted by path, RGB images, int labels"""
    files, classes, samples = image_tree(judge, [3, 2, 3])
    seen = judge.probe("ch3.ex07.folder", root="photos", files=files)
    expect_folder(seen, classes, samples, False, "3 个类别 classes, 8 张图像 images (PNG RGB/L/RGBA, JPEG)")


@check(EX, 0.5)
def test_folder_transform(judge: Judge) -> None:
    """root 可为 Path；transform 在每次 __getitem__ 时作用于 RGB 图像（此处为 ToTensor）
    root may be a Path; the transform is applied to the RGB image at every __getitem__ (here ToTensor)"""
    files, classes, samples = image_tree(judge, [2, 2], offset=1)
    seen = judge.probe("ch3.ex07.folder", root="photos", files=files, to_tensor=True, as_path=True)
    expect_folder(seen, classes, samples, True, "2 个类别 classes, root 为 is a pathlib.Path, transform=ToTensor()")


@check(EX, 0.5)
def test_folder_errors(judge: Judge) -> None:
    """没有类别文件夹、或类别文件夹中没有图像时，抛出指明该文件夹的 FileNotFoundError
    a root without class folders, or a class folder without images, raises FileNotFoundError naming it"""
    err = judge.raises("ch3.ex07.folder", root="empty_photos", files=[["readme.txt", encode_text("no classes")]])
    expect_folder_error(err, "empty_photos", "根文件夹 empty_photos 中没有任何类别子文件夹",
                        "The root empty_photos has no class sub-folder")
    files = [["cat/a.png", encode(random_pixels(judge, 6, 6), "RGB", "PNG")], ["unicorn/notes.txt", encode_text("x")]]
    err = judge.raises("ch3.ex07.folder", root="photos", files=files)
    expect_folder_error(err, "unicorn", "类别文件夹 unicorn 中没有 .png/.jpg/.jpeg 图像",
                        "The class folder unicorn holds no .png/.jpg/.jpeg image")


@check(EX, 1)
def test_train_transform(judge: Judge) -> None:
    """train_transform：旋转 ≤ 15°、随机裁剪到 size、颜色抖动、水平翻转、Normalize；输出 (3, size, size) 且随机
    train_transform: rotation ≤ 15°, random resized crop, jitter, flip, Normalize; random (3, size, size)"""
    image = random_pixels(judge, 30, 40)
    seen = judge.probe("ch3.ex07.transform", func="train_transform", size=24, mean=MEAN, std=STD,
                       images=[image], seeds=[0, 1, 2])
    expect_train(seen, 24, MEAN, STD, "RGB 图像 image 30×40, size 24")


@check(EX, 1)
def test_eval_transform(judge: Judge) -> None:
    """eval_transform：确定性的双线性缩放（短边为 size）与中心裁剪；纯色图像得到 (c/255 − mean)/std
    eval_transform: deterministic bilinear resize (shorter side size), centre crop; colour c gives (c/255 − mean)/std"""
    colour = [200, 30, 120]
    image = random_pixels(judge, 30, 40)
    images = [image, torch.tensor(colour, dtype=torch.uint8).expand(26, 33, 3).contiguous()]
    seen = judge.probe("ch3.ex07.transform", func="eval_transform", size=24, mean=MEAN, std=STD,
                       images=images, seeds=[0, 1])
    expect_eval(seen, 24, MEAN, STD, image, colour, "RGB 图像 images 30×40 与 and 26×33, size 24")


@check(EX, 1.5)
def test_mean_std(judge: Judge) -> None:
    """compute_mean_std：所有图像所有像素的逐通道均值与标准差（图像大小可以不同），dtype 与图像相同
    compute_mean_std: per-channel mean and std over every pixel of every image (sizes may differ), images' dtype"""
    # channel c takes the values mean[c] ± std[c] on 29 pixels each: population mean and std known
    mean, std = torch.tensor([0.5, 0.4, 0.3], dtype=torch.float64), torch.tensor([0.2, 0.1, 0.25], dtype=torch.float64)
    shapes, highs = [(6, 6), (3, 4), (2, 5)], [12, 12, 5]  # per-image brightness differs
    images = []
    for (h, w), high in zip(shapes, highs, strict=True):
        signs = torch.tensor([1.0] * high + [-1.0] * (h * w - high), dtype=torch.float64)
        signs = signs[torch.randperm(h * w, generator=judge.gen)].reshape(1, h, w)
        images.append((mean[:, None, None] + signs * std[:, None, None]).to(torch.float32))
    seen = judge.probe("ch3.ex07.mean_std", images=images, labels=[0, 1, 0])
    expect_mean_std(seen, mean, std, 58, torch.float32, judge.device, "3 张 RGB 图像 images 6×6, 3×4, 2×5")
    grey = [judge.rand(1, 5, 4, dtype=torch.float64), judge.rand(1, 3, 7, dtype=torch.float64)]
    pixels = torch.cat([image.flatten() for image in grey])[None]
    seen = judge.probe("ch3.ex07.mean_std", images=grey, labels=[1, 0])
    expect_mean_std(seen, pixels.mean(dim=1), pixels.std(dim=1, correction=0), pixels.shape[1], torch.float64,
                    judge.device, "2 张单通道 float64 图像 single-channel float64 images 5×4, 3×7")
