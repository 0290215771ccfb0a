"""Judge-side helpers for ex07: image files for the checks, and the comparisons the public and hidden checks share.

Nothing here runs next to student code.
"""

from __future__ import annotations

import io
import math
from typing import Any

import numpy as np
import torch
from PIL import Image

from grader.judge.check import Judge
from grader.judge.expect import (
    expect,
    expect_close,
    expect_equal,
    expect_kind,
    expect_tensor,
    fail,
    number_of,
    shape_text,
)

CLASS_NAMES = ["ant", "bee", "cat", "dog", "eel", "fox", "gnu", "hen", "owl", "yak"]
EXTENSIONS = {".png": "PNG", ".jpg": "JPEG", ".PNG": "PNG", ".jpeg": "JPEG", ".JPG": "JPEG", ".Jpeg": "JPEG"}
MODES = ("RGB", "L", "RGBA")  # RGBA only for PNG: JPEG falls back to RGB
Sample = tuple[str, int, torch.Tensor]  # relative path, label, expected RGB pixels (H, W, 3) uint8


def encode(pixels: torch.Tensor, mode: str, image_format: str) -> torch.Tensor:
    """The bytes (uint8 (B,)) of an image file of ``pixels`` (uint8 (H, W, 3)) in ``mode``."""
    buffer = io.BytesIO()
    Image.fromarray(pixels.numpy(), "RGB").convert(mode).save(buffer, format=image_format)
    return torch.frombuffer(bytearray(buffer.getvalue()), dtype=torch.uint8)


def decode_rgb(blob: torch.Tensor) -> torch.Tensor:
    """What PIL reads from the bytes ``blob``, converted to RGB: uint8 (H, W, 3)."""
    with Image.open(io.BytesIO(blob.numpy().tobytes())) as image:
        return torch.from_numpy(np.array(image.convert("RGB")))


def random_pixels(judge: Judge, height: int, width: int) -> torch.Tensor:
    """Random RGB pixels: uint8 (height, width, 3)."""
    return torch.randint(0, 256, (height, width, 3), generator=judge.gen, dtype=torch.uint8)


def image_tree(judge: Judge, counts: list[int], offset: int = 0) -> tuple[list[list[Any]], list[str], list[Sample]]:
    """An image folder with ``len(counts)`` classes of ``counts[k]`` images each, of mixed
    extensions (from ``offset`` on) and modes, plus files that are no samples.

    Returns (files as [relative path, bytes], sorted class names, expected samples in order).
    """
    order = torch.randperm(len(CLASS_NAMES), generator=judge.gen).tolist()
    names = [CLASS_NAMES[i] for i in order[:len(counts)]]
    files: list[list[Any]] = [["labels.csv", encode_text("file,label\n")]]
    for name, count in zip(names, counts, strict=True):
        stems = dict.fromkeys("".join(chr(97 + int(c)) for c in torch.randint(0, 26, (5,), generator=judge.gen))
                              for _ in range(count))  # distinct, in the order drawn
        for stem in stems:
            k = len(files) - 1
            extension = list(EXTENSIONS)[(offset + k) % len(EXTENSIONS)]
            mode = MODES[k % len(MODES)]
            if EXTENSIONS[extension] == "JPEG" and mode == "RGBA":
                mode = "RGB"
            pixels = random_pixels(judge, judge.randint(4, 20), judge.randint(4, 20))
            files.append([f"{name}/{stem}{extension}", encode(pixels, mode, EXTENSIONS[extension])])
    classes = sorted(names)
    samples = sorted((path, classes.index(path.split("/")[0]), decode_rgb(blob)) for path, blob in files[1:])
    files += [[f"{names[0]}/notes.txt", encode_text("not an image")], [f"{names[-1]}/.DS_Store", encode_text("")],
              [f"{names[-1]}/scan.bmp", encode(random_pixels(judge, 5, 5), "RGB", "BMP")]]
    order = torch.randperm(len(files), generator=judge.gen).tolist()  # written in no particular order
    return [files[i] for i in order], classes, samples


def encode_text(text: str) -> torch.Tensor:
    """The bytes (uint8 (B,)) of a text file."""
    return torch.tensor(list(text.encode()), dtype=torch.uint8)


def expect_folder(seen: dict[str, Any], classes: list[str], samples: list[Sample], to_tensor: bool,
                  inputs: str) -> None:
    """``classes``, len, ``samples`` and every item (image in sorted path order, converted to RGB;
    int label); with a transform, that it ran once per ``__getitem__`` on an RGB PIL image."""
    where = f"输入 input: {inputs}"
    names = seen["classes"]
    expect(names["kind"] == "sequence", f"dataset.classes 是 {names['type']}，应为类名（字符串）的列表。",
           f"dataset.classes is a {names['type']}; expected a list of class names (strings).", where)
    expect_equal([i.get("value", i["type"]) for i in names["items"]], classes, "dataset.classes",
                 "类名按字母序 class names, sorted", where)
    expect(seen["len"] == len(samples),
           f"len(dataset) 是 {seen['len']}，应为 {len(samples)}"
           "（类别文件夹中的 .png/.jpg/.jpeg 文件，扩展名不分大小写）。",
           f"len(dataset) is {seen['len']}; expected {len(samples)} (the .png/.jpg/.jpeg files of the class "
           "folders, extensions in any case; other files ignored).", where)
    _expect_samples_attribute(seen["samples"], samples, where)
    form = (lambda p: p.permute(2, 0, 1).to(torch.float32) / 255) if to_tensor else (lambda p: p)
    for i, (item, (path, label, pixels)) in enumerate(zip(seen["items"], samples, strict=False)):
        what = f"dataset[{i}][0]"
        if "item" in item:
            fail(f"dataset[{i}] 返回了 {item['item']['type']}，应为 (image, label) 二元组。",
                 f"dataset[{i}] returned {item['item']['type']}; expected a pair (image, label).", where)
        image = item["image"]
        if not to_tensor:
            expect(item["mode"] == "RGB",
                   f"{what} 应为 RGB 模式的 PIL 图像，得到的是 {item['mode'] or image['type']}。",
                   f"{what} should be a PIL image in RGB mode; got {item['mode'] or image['type']}.",
                   f"文件 file: {path}", where)
        got = image.get("value")
        if isinstance(got, torch.Tensor) and not torch.equal(got, form(pixels)):
            other = next((p for p, _, q in samples if torch.equal(form(q), got)), None)
            expect(other is None, f"{what} 是文件 {other} 的图像，应为 {path}：样本须按路径排序。",
                   f"{what} is the image of {other}; expected {path}: samples must be sorted by path.", where)
        expect_tensor(image, form(pixels), what, kind="tensor" if to_tensor else "ndarray", atol=1e-6,
                      inputs=f"{inputs}; 文件 file {path}")
        expect(number_of(item["label"]) == label,
               f"dataset[{i}][1] 应为类别编号 {label}（文件 {path}），"
               f"得到 {item['label'].get('value', item['label']['type'])}。",
               f"dataset[{i}][1] should be the class index {label} (file {path}); got "
               f"{item['label'].get('value', item['label']['type'])}.", where)
        expect(item["label"]["type"] == "int", f"dataset[{i}][1] 是 {item['label']['type']}，类别编号应为 Python int。",
               f"dataset[{i}][1] is a {item['label']['type']}; the class index must be a Python int.", where)
    if to_tensor:
        _expect_transform_per_item(seen, len(samples), where)


def _expect_samples_attribute(got: list[dict[str, Any]] | None, samples: list[Sample], where: str) -> None:
    """``dataset.samples`` lists (path, class index) for every image, sorted by path."""
    expect(got is not None, "dataset.samples 应是 (路径, 类别编号) 二元组的列表。",
           "dataset.samples must be a list of (path, class index) pairs.", where)
    listed = [(entry["path"], number_of(entry["label"])) for entry in got]  # type: ignore[union-attr]
    expected = [(path, label) for path, label, _ in samples]
    expect(len(listed) == len(expected),
           f"dataset.samples 有 {len(listed)} 项，应为 {len(expected)} 项（每张图像一项）。",
           f"dataset.samples has {len(listed)} entries; expected {len(expected)}, one per image.", where)
    for i, (entry, want) in enumerate(zip(listed, expected, strict=True)):
        expect(entry == want, f"dataset.samples[{i}] 是 {entry}，应为 {want}（路径相对 root；按路径排序）。",
               f"dataset.samples[{i}] is {entry}; expected {want} (path relative to root; sorted by path).", where)


def _expect_transform_per_item(seen: dict[str, Any], count: int, where: str) -> None:
    """The transform ran in ``__getitem__`` only: never in the constructor, once per item read
    (each item once, then item 0 again), each time on an RGB PIL image."""
    at_init, received = seen["transform_calls_at_init"], seen["transform_inputs"]
    expect(at_init == 0, f"构造数据集时 transform 就被调用了 {at_init} 次；transform 应在 __getitem__ 中调用。",
           f"The transform was called {at_init} time(s) while the dataset was built; call it in __getitem__.",
           where)
    expect(len(received) == count + 1,
           f"读取 {count + 1} 次样本（每个一次，再读一次 dataset[0]），transform 被调用了 {len(received)} 次；"
           "每次 __getitem__ 都应调用一次 transform（数据增强每次读取都重新随机）。",
           f"Reading {count + 1} items (each once, then dataset[0] again) called the transform {len(received)} "
           "time(s); each __getitem__ must call it once (augmentation is drawn anew at every read).", where)
    odd = sorted(set(received) - {"PIL RGB"})
    expect(not odd, f"transform 应收到 RGB 模式的 PIL 图像，却收到了 {', '.join(odd)}。",
           f"The transform must receive RGB PIL images; it received {', '.join(odd)}.", where)


def expect_folder_error(err: Any, folder: str, situation_zh: str, situation_en: str) -> None:
    """The dataset raised, and its message names ``folder``."""
    if err is None:
        fail(f"{situation_zh}，ImageFolderDataset 却没有报错；应抛出指明该文件夹的 FileNotFoundError。",
             f"{situation_en}, yet ImageFolderDataset raised nothing; it must raise a FileNotFoundError naming "
             "that folder.")
    expect(err.is_a("FileNotFoundError"), f"{situation_zh}；应抛出 FileNotFoundError，却抛出了 {err.exc_type}。",
           f"{situation_en}; expected a FileNotFoundError, got {err.exc_type}.", f"{err.exc_type}: {err.message}")
    expect(folder in err.message, f"{situation_zh}；错误信息应指明文件夹 {folder}。",
           f"{situation_en}; the error message must name the folder {folder}.",
           f"{err.exc_type}: {err.message}")


def _step(steps: list[dict[str, Any]], name: str, what: str) -> dict[str, Any]:
    """The first step called ``name``; fail if there is none."""
    found = next((s for s in steps if s["name"] == name), None)
    expect(found is not None, f"{what} 中没有 {name}。", f"{what} has no {name} step.",
           "步骤 steps: " + ", ".join(s["name"] for s in steps))
    return found  # type: ignore[return-value]


def _steps(seen: dict[str, Any], what: str) -> list[dict[str, Any]]:
    if seen["steps"] is None:
        fail(f"{what} 返回了 {seen['type']}，应为 transforms.Compose。",
             f"{what} returned {seen['type']}; expected a transforms.Compose.")
    return seen["steps"]


def _expect_outputs(seen: dict[str, Any], size: int, what: str, inputs: str) -> list[list[torch.Tensor]]:
    """Every output is a float32 tensor (3, size, size); their values, per image and seed."""
    if seen["outputs"] is None:
        fail(f"{what} 返回的 {seen['type']} 不能调用。", f"{what} returned a {seen['type']}, which cannot be called.")
    values = []
    for outputs in seen["outputs"]:
        for obs in outputs:
            expect_kind(obs, "tensor", what)
            expect(obs["shape"] == [3, size, size] and obs["dtype"] == "float32",
                   f"{what} 的输出是 {obs['dtype']} {shape_text(obs['shape'])}，应为 float32 (3, {size}, {size})。",
                   f"{what} gave {obs['dtype']} {shape_text(obs['shape'])}; expected float32 (3, {size}, {size}).",
                   f"输入 input: {inputs}")
        values.append([obs["value"] for obs in outputs])
    return values


def expect_train(seen: dict[str, Any], size: int, mean: list[float], std: list[float], inputs: str) -> None:
    """Rotation ≤ 15°, random resized crop to size, real colour jitter, random flip,
    Normalize(mean, std); float32 (3, size, size) outputs that change with the seed."""
    what = f"train_transform({size}, mean, std)"
    steps = _steps(seen, what)
    degrees = _step(steps, "RandomRotation", what).get("degrees")
    expect(isinstance(degrees, list) and bool(degrees) and 0 < max(abs(d) for d in degrees) <= 15,
           f"{what} 的随机旋转角度范围是 {degrees}，应在 ±15° 之内且不为 0。",
           f"{what} rotates within {degrees}; expected a range within ±15° (and not 0).")
    crop = _step(steps, "RandomResizedCrop", what).get("size")
    expect(crop == [size, size], f"{what} 的 RandomResizedCrop 输出 {crop}，应为 [{size}, {size}]。",
           f"{what} has RandomResizedCrop to {crop}; expected [{size}, {size}].")
    jitter = _step(steps, "ColorJitter", what)
    still = [k for k in ("brightness", "contrast", "saturation") if jitter.get(k) is None]
    expect(not still, f"{what} 的 ColorJitter 不改变 {', '.join(still)}；亮度、对比度、饱和度都应抖动。",
           f"{what} has a ColorJitter that leaves {', '.join(still)} unchanged; brightness, contrast and "
           "saturation must all be jittered.")
    flip = _step(steps, "RandomHorizontalFlip", what).get("p")
    expect(flip == 0.5, f"{what} 的水平翻转概率是 {flip}，应为 0.5。",
           f"{what} flips with probability {flip}; expected 0.5.")
    normalize = _step(steps, "Normalize", what)
    used = [normalize.get("mean"), normalize.get("std")]
    expect(all(isinstance(u, list) and len(u) == 3 for u in used)
           and all(math.isclose(float(a), b, rel_tol=1e-6)
                   for a, b in zip(used[0] + used[1], mean + std, strict=True)),
           f"{what} 的 Normalize 没有使用给定的 mean 与 std。",
           f"{what} does not Normalize with the given mean and std.")
    (outputs,) = _expect_outputs(seen, size, what, inputs)
    low, high = _normalized(torch.zeros(3), mean, std), _normalized(torch.ones(3), mean, std)
    worst = max(float((low[:, None, None] - out).clamp(min=0).max() + (out - high[:, None, None]).clamp(min=0).max())
                for out in outputs)
    expect(worst < 1e-4,
           f"{what} 的输出超出了 [0, 1] 中的值经 Normalize(mean, std) 后的范围（超出 {worst:.3g}）："
           "ToTensor 应把像素变为 [0, 1] 中的值，然后才 Normalize。",
           f"{what} gave values outside what Normalize(mean, std) makes of values in [0, 1] (by {worst:.3g}): "
           "ToTensor must bring pixels into [0, 1] before Normalize.", f"输入 input: {inputs}")
    expect(any(not torch.equal(outputs[0], other) for other in outputs[1:]),
           f"{what} 在不同的随机种子下输出完全相同：训练时的数据增强应是随机的。",
           f"{what} gave the same output under different random seeds: training augmentation must be random.",
           f"输入 input: {inputs}, {len(outputs)} seeds")


def _normalized(values: torch.Tensor, mean: list[float], std: list[float]) -> torch.Tensor:
    """(values − mean)/std per channel (the first dimension), in float64."""
    shape = (3,) + (1,) * (values.dim() - 1)
    return (values.to(torch.float64) - torch.tensor(mean, dtype=torch.float64).reshape(shape)) \
        / torch.tensor(std, dtype=torch.float64).reshape(shape)


def resized_centre(pixels: torch.Tensor, size: int) -> torch.Tensor:
    """The image ``pixels`` (uint8 (H, W, 3)) scaled with PIL's bilinear filter so that its
    shorter side is ``size`` (the longer one rounded down), then its centre size×size:
    float64 (3, size, size) in [0, 1]."""
    height, width = pixels.shape[:2]
    short, long = sorted((height, width))
    scaled = (size, int(size * long / short))
    new_height, new_width = scaled if height == short else scaled[::-1]
    image = Image.fromarray(pixels.numpy(), "RGB").resize((new_width, new_height), Image.Resampling.BILINEAR)
    top, left = round((new_height - size) / 2), round((new_width - size) / 2)
    cropped = np.array(image.crop((left, top, left + size, top + size)))
    return torch.from_numpy(cropped).permute(2, 0, 1).to(torch.float64) / 255


def expect_eval(seen: dict[str, Any], size: int, mean: list[float], std: list[float], pixels: torch.Tensor,
                colour: list[int], inputs: str) -> None:
    """No random step; resize and centre crop to size; the same output for every seed; the
    image ``pixels`` gives its bilinear resize and centre crop, normalized (within 3/255 before
    Normalize, for tensor-side resizing); a constant colour c becomes (c/255 − mean)/std
    exactly. Images: [``pixels``, constant colour]."""
    what = f"eval_transform({size}, mean, std)"
    steps = _steps(seen, what)
    random = [s["name"] for s in steps if s["name"].startswith("Random") or s["name"] == "ColorJitter"]
    expect(not random, f"{what} 含有随机步骤 {random}；验证/测试用的变换应是确定性的。",
           f"{what} has random steps {random}; the validation/test transform must be deterministic.")
    _step(steps, "Resize", what)
    crop = _step(steps, "CenterCrop", what).get("size")
    expect(crop == [size, size], f"{what} 的 CenterCrop 输出 {crop}，应为 [{size}, {size}]。",
           f"{what} has CenterCrop to {crop}; expected [{size}, {size}].")
    outputs, constant = _expect_outputs(seen, size, what, inputs)
    expect(all(torch.equal(outputs[0], other) for other in outputs[1:]),
           f"{what} 对同一图像在不同的随机种子下给出了不同的输出；应是确定性的。",
           f"{what} gave different outputs for the same image under different seeds; it must be deterministic.",
           f"输入 input: {inputs}")
    expect_close(outputs[0], _normalized(resized_centre(pixels, size), mean, std).to(torch.float32),
                 f"{what}(图像 image)", atol=3 / 255 / min(std), rtol=0.0,
                 inputs=f"{inputs}; 期望：双线性缩放使短边为 size，再取中心 size×size，ToTensor，Normalize / "
                        "expected: bilinear resize of the shorter side to size, centre crop, ToTensor, Normalize")
    want = _normalized(torch.tensor(colour, dtype=torch.float64) / 255, mean, std)
    expect_close(constant[0], want.to(torch.float32)[:, None, None].expand(3, size, size),
                 f"{what}(纯色图像 constant image)",
                 inputs=f"{inputs}; 纯色图像 constant-colour image: 期望 (c/255 − mean)/std")


def expect_mean_std(seen: dict[str, Any], mean: torch.Tensor, std: torch.Tensor, count: int, dtype: torch.dtype,
                    device: str, inputs: str) -> None:
    """(mean, std) (C,) of the images' ``dtype``, on ``device``; std the population one
    (float64 ``std``) or the sample one, ``count`` pixels per channel."""
    result, what = seen["result"], "compute_mean_std(dataset)"
    expect(result["kind"] == "sequence" and len(result["items"]) == 2,
           f"{what} 返回了 {result['type']}，应为 (mean, std) 二元组。",
           f"{what} returned {result['type']}; expected a pair (mean, std).", f"输入 input: {inputs}")
    got_mean, got_std = result["items"]
    expect_tensor(got_mean, mean.to(dtype), f"{what}[0] (mean)", device=device, inputs=inputs)
    sample = std * math.sqrt(count / (count - 1))
    got = got_std.get("value")
    nearer = isinstance(got, torch.Tensor) and got.shape == std.shape and \
        float((got.double() - sample).abs().max()) < float((got.double() - std).abs().max())
    expect_tensor(got_std, (sample if nearer else std).to(dtype), f"{what}[1] (std)", device=device,
                  inputs=f"{inputs}; 总体或样本标准差 population or sample std")
