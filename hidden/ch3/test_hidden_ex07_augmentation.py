"""Hidden checks for ex07_augmentation / 深化 7 的隐藏检查: random folders, sizes, statistics."""

import torch

from chapters.ch3.judging.ex07 import (
    CLASS_NAMES,
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


@check(EX, 1, hidden=True)
def test_folder_any(judge: Judge) -> None:
    """ImageFolderDataset 对随机的类别数、文件名、扩展名、图像模式与 root 类型都正确
    ImageFolderDataset is right for random classes, file names, extensions, image modes and root types"""
    counts = [judge.randint(1, 4) for _ in range(judge.randint(2, 5))]
    files, classes, samples = image_tree(judge, counts, offset=judge.randint(0, 5))
    to_tensor, as_path = judge.choice([False, True]), judge.choice([False, True])
    seen = judge.probe("ch3.ex07.folder", root=f"data_{judge.randint(0, 999)}", files=files, to_tensor=to_tensor,
                       as_path=as_path)
    expect_folder(seen, classes, samples, to_tensor, f"{len(classes)} 个类别 classes, {len(samples)} 张图像 images, "
                  f"ToTensor {to_tensor}, root Path {as_path}")


@check(EX, 0.5, hidden=True)
def test_folder_errors_any(judge: Judge) -> None:
    """随机的根文件夹或类别文件夹为空时，抛出指明该文件夹的 FileNotFoundError
    a random empty root or image-less class folder raises FileNotFoundError naming it"""
    root = f"set_{judge.randint(0, 999)}"
    err = judge.raises("ch3.ex07.folder", root=root, files=[[f"{judge.choice(['a', 'b'])}.png",
                                                             encode(random_pixels(judge, 4, 4), "RGB", "PNG")]])
    expect_folder_error(err, root, f"根文件夹 {root} 中只有文件、没有类别子文件夹",
                        f"The root {root} holds a file but no class sub-folder")
    full, empty = (CLASS_NAMES[int(i)] for i in torch.randperm(len(CLASS_NAMES), generator=judge.gen)[:2])
    files = [[f"{full}/x.jpg", encode(random_pixels(judge, 6, 5), "RGB", "JPEG")],
             [f"{empty}/{judge.choice(['notes.txt', 'scan.bmp.txt', 'png'])}", encode_text("x")]]
    err = judge.raises("ch3.ex07.folder", root=root, files=files, as_path=judge.choice([False, True]))
    expect_folder_error(err, empty, f"类别文件夹 {empty} 中没有 .png/.jpg/.jpeg 图像",
                        f"The class folder {empty} holds no .png/.jpg/.jpeg image")


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
    image = random_pixels(judge, *shape)
    seen = judge.probe("ch3.ex07.transform", func="eval_transform", size=size, mean=mean, std=std,
                       images=[image, constant], seeds=[judge.randint(0, 99), 100])
    expect_eval(seen, size, mean, std, image, colour, inputs)


@check(EX, 1.5, hidden=True)
def test_mean_std_any(judge: Judge) -> None:
    """compute_mean_std 对随机通道数、dtype、图像数与大小不同、亮度不同的图像都正确
    compute_mean_std is right for random channels, dtypes, counts, images of different sizes and brightness"""
    channels, count = judge.choice([1, 3]), judge.randint(2, 6)
    dtype = judge.choice([torch.float32, torch.float64])
    images = []
    for _ in range(count):
        low, span = float(judge.rand(1)) * 0.5, float(judge.rand(1)) * 0.5
        images.append(low + span * judge.rand(channels, judge.randint(3, 12), judge.randint(3, 12), dtype=dtype))
    pixels = torch.cat([image.to(torch.float64).reshape(channels, -1) for image in images], dim=1)
    seen = judge.probe("ch3.ex07.mean_std", images=images, labels=[judge.randint(0, 9) for _ in images])
    expect_mean_std(seen, pixels.mean(dim=1), pixels.std(dim=1, correction=0), pixels.shape[1], dtype, judge.device,
                    f"{count} 张 {str(dtype).removeprefix('torch.')} 图像 images, {channels} 通道 channels, "
                    "大小不同 various sizes")
