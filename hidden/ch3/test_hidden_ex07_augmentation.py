"""Hidden checks for ex07_augmentation / 深化 7 的隐藏检查: random folders, sizes, statistics."""

import torch

from chapters.ch3.judging.ex07 import (
    expect_eval,
    expect_folder,
    expect_mean_std,
    expect_train,
    image_tree,
    random_pixels,
)
from grader.judge.check import Judge, check

EX = "ex07_augmentation"


@check(EX, 1.5, hidden=True)
def test_folder_any(judge: Judge) -> None:
    """ImageFolderDataset 对随机的类别数、文件名、扩展名与图像模式都正确
    ImageFolderDataset is right for random classes, file names, extensions and image modes"""
    counts = [judge.randint(1, 4) for _ in range(judge.randint(2, 5))]
    files, classes, samples = image_tree(judge, counts, offset=judge.randint(0, 5))
    to_tensor = judge.choice([False, True])
    seen = judge.probe("ch3.ex07.folder", root=f"data_{judge.randint(0, 999)}", files=files, to_tensor=to_tensor)
    expect_folder(seen, classes, samples, to_tensor,
                  f"{len(classes)} 个类别 classes, {len(samples)} 张图像 images, ToTensor {to_tensor}")


@check(EX, 1, hidden=True)
def test_transforms_any(judge: Judge) -> None:
    """两个变换对随机的 size、mean、std 与图像大小都正确
    both transforms are right for random size, mean, std and image sizes"""
    size = judge.randint(8, 40)
    mean = [round(float(v), 3) for v in judge.rand(3) * 0.6 + 0.2]
    std = [round(float(v), 3) for v in judge.rand(3) * 0.3 + 0.1]
    shape = [judge.randint(size // 2 + 1, 2 * size) for _ in range(2)]
    inputs = f"RGB 图像 image {shape[0]}×{shape[1]}, size {size}"
    seen = judge.probe("ch3.ex07.transform", func="train_transform", size=size, mean=mean, std=std,
                       images=[random_pixels(judge, *shape)], seeds=[0, 1, 2, 3])
    expect_train(seen, size, mean, std, inputs)
    colour = [judge.randint(0, 255) for _ in range(3)]
    constant = torch.tensor(colour, dtype=torch.uint8).expand(shape[1], shape[0], 3).contiguous()
    seen = judge.probe("ch3.ex07.transform", func="eval_transform", size=size, mean=mean, std=std,
                       images=[random_pixels(judge, *shape), constant], seeds=[judge.randint(0, 99), 100])
    expect_eval(seen, size, mean, std, colour, inputs)


@check(EX, 1.5, hidden=True)
def test_mean_std_any(judge: Judge) -> None:
    """compute_mean_std 对随机通道数、图像数与大小不同、亮度不同的图像都正确
    compute_mean_std is right for random channels, counts, and images of different sizes and brightness"""
    channels, count = judge.choice([1, 3]), judge.randint(2, 6)
    images = []
    for _ in range(count):
        low, span = float(judge.rand(1)) * 0.5, float(judge.rand(1)) * 0.5
        images.append(low + span * judge.rand(channels, judge.randint(3, 12), judge.randint(3, 12)))
    pixels = torch.cat([image.to(torch.float64).reshape(channels, -1) for image in images], dim=1)
    seen = judge.probe("ch3.ex07.mean_std", images=images, labels=[judge.randint(0, 9) for _ in images])
    expect_mean_std(seen, pixels.mean(dim=1), pixels.std(dim=1, correction=0), pixels.shape[1], judge.device,
                    f"{count} 张图像 images, {channels} 通道 channels, 大小不同 various sizes")
