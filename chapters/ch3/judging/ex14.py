"""Judge-side helpers for ex14: what a saved file holds, read without running any of it.

A ``torch.save`` file is a zip archive whose ``data.pkl`` is a pickle; its opcodes are listed
here with ``pickletools`` (which reads, never runs), so the judge itself sees which classes a
file would make a loader import. A safetensors file is read with safetensors' own parser. The
expected states come from the grader model rebuilt here; a resumed training is followed here
in float64. Nothing here runs next to student code.
"""

from __future__ import annotations

import io
import pickletools
import zipfile
from typing import Any

import torch
from safetensors.torch import load as load_safetensors_bytes

from chapters.ch3.probes.ex14 import CLASSES, FEATURES, build_model, make_optimizer, train_steps
from grader.judge.check import Judge
from grader.judge.expect import expect, expect_close, expect_equal, fail

MAX_PICKLE_BYTES = 1 << 22
# what a pickled state_dict or checkpoint names: OrderedDict, tensors and their storages
PLAIN = {("collections", "OrderedDict"), ("torch._utils", "_rebuild_tensor_v2")}


def state_of(seed: int, width: int, dtype: torch.dtype = torch.float32) -> dict[str, torch.Tensor]:
    """The grader model's state_dict (parameters and buffers), as the probe built it."""
    return {name: t.detach().clone() for name, t in build_model(seed, width, dtype).state_dict().items()}


def pickled_globals(data: bytes) -> list[str] | None:
    """The ``module name`` of every global the file's pickle names, read with pickletools; None
    unless the bytes are a ``torch.save`` zip archive with a pickle."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        member = next((i for i in archive.infolist() if i.filename.endswith("/data.pkl")), None)
        if member is None or member.file_size > MAX_PICKLE_BYTES:
            return None
        names, strings = [], []
        for op, arg, _ in pickletools.genops(archive.read(member)):
            if op.name == "GLOBAL":
                names.append(str(arg))
            elif op.name == "STACK_GLOBAL":
                names.append(" ".join(strings[-2:]))
            elif isinstance(arg, str):
                strings.append(arg)
        return names
    except (zipfile.BadZipFile, ValueError, EOFError, KeyError, OSError):
        return None


def _plain(name: str) -> bool:
    module, _, attr = name.partition(" ")
    return (module, attr) in PLAIN or (module == "torch" and attr.endswith("Storage"))


def expect_plain_file(file: torch.Tensor, what: str, inputs: str) -> None:
    """The file is a ``torch.save`` archive whose pickle names no class but tensors' and dicts'."""
    expect(file.numel() > 0, f"{what} 没有写出文件。", f"{what} wrote no file.", f"输入 input: {inputs}")
    names = pickled_globals(file.numpy().tobytes())
    expect(names is not None, f"{what} 写出的不是 torch.save 的文件（zip 归档中的 data.pkl）。",
           f"{what} wrote a file that is not torch.save's (a zip archive holding data.pkl).", f"输入 input: {inputs}")
    others = sorted({n for n in names or [] if not _plain(n)})
    expect(not others,
           f"{what} 的文件中 pickle 了类或函数 {others}：应只保存 state_dict（张量与普通容器），而不是整个模型。",
           f"{what} pickled the classes or functions {others}: save the state_dict (tensors and plain containers), "
           "not the whole model.", f"输入 input: {inputs}")


def expect_state(obs: dict[str, Any], want: dict[str, torch.Tensor], what: str, inputs: str) -> None:
    """A dict of exactly ``want``'s names, each a CPU tensor of its dtype and values."""
    expect(obs.get("kind") == "dict", f"{what} 应为 dict（名称 → 张量），得到 {obs.get('type')}。",
           f"{what} must be a dict (name → tensor); got {obs.get('type')}.", f"输入 input: {inputs}")
    items = obs["items"]
    for name, item in items.items():
        expect(item.get("kind") == "tensor", f"{what}[{name!r}] 不是张量。", f"{what}[{name!r}] is not a tensor.",
               f"得到 got {item.get('type')}", f"输入 input: {inputs}")
        expect(item["device"] == "cpu",
               f"{what}[{name!r}] 在 {item['device']} 上，应在 CPU 上（map_location=\"cpu\"）。",
               f"{what}[{name!r}] is on {item['device']}; expected the CPU (map_location=\"cpu\").",
               f"输入 input: {inputs}")
    expect_tensors({name: item["value"] for name, item in items.items()}, want, what, inputs)


def expect_tensors(got: dict[str, torch.Tensor], want: dict[str, torch.Tensor], what: str, inputs: str, *,
                   atol: float = 0.0, rtol: float = 0.0) -> None:
    """Exactly ``want``'s names, each of its dtype and (nearly) its values."""
    expect(sorted(got) == sorted(want), f"{what} 的键与模型的 state_dict 不同。",
           f"{what} has other keys than the model's state_dict.", f"期望 expected {sorted(want)}",
           f"得到 got {sorted(got)}", f"输入 input: {inputs}")
    for name, value in want.items():
        expect(got[name].dtype == value.dtype, f"{what}[{name!r}] 的 dtype 是 {got[name].dtype}，应为 {value.dtype}。",
               f"{what}[{name!r}] is {got[name].dtype}; expected {value.dtype}.", f"输入 input: {inputs}")
        expect_close(got[name], value, f"{what}[{name!r}]", atol=atol, rtol=rtol, inputs=inputs)


def expect_saved_state(judge: Judge, seed: int, width: int, double: bool, inputs: str) -> None:
    """``save_state`` wrote a plain torch.save file holding the model's state_dict."""
    seen = judge.probe("ch3.ex14.save", func="save_state", seed=seed, width=width, double=double)
    expect_plain_file(seen["file"], "save_state", inputs)
    read = seen["read"]
    if read.get("kind") == "scalar":
        fail("save_state 的文件无法用 torch.load(weights_only=True) 读取。",
             "save_state's file cannot be read with torch.load(weights_only=True).", str(read["value"]),
             f"输入 input: {inputs}")
    expect_state(read, state_of(seed, width, torch.float64 if double else torch.float32),
                 "torch.load(<save_state's file>)", inputs)


def expect_saved_safetensors(judge: Judge, seed: int, width: int, double: bool, inputs: str) -> None:
    """``save_safetensors`` wrote a safetensors file of the model's state_dict, read here by safetensors."""
    seen = judge.probe("ch3.ex14.save", func="save_safetensors", seed=seed, width=width, double=double)
    expect(seen["file"].numel() > 0, "save_safetensors 没有写出文件。", "save_safetensors wrote no file.",
           f"输入 input: {inputs}")
    try:
        tensors = load_safetensors_bytes(seen["file"].numpy().tobytes())
    except Exception as err:  # noqa: BLE001 - whatever the parser says, the file is not safetensors
        fail("save_safetensors 写出的不是 safetensors 文件（应使用 safetensors.torch.save_file）。",
             "save_safetensors wrote a file that is not in the safetensors format (use safetensors.torch.save_file).",
             f"{type(err).__name__}: {str(err)[:200]}", f"输入 input: {inputs}")
    expect_tensors(tensors, state_of(seed, width, torch.float64 if double else torch.float32),
                   "safetensors.torch.load(<save_safetensors's file>)", inputs)


def expect_loaded(judge: Judge, func: str, seed: int, width: int, *, from_cuda: bool = False,
                  double: bool = False) -> None:
    """``func(path)`` gave back the state_dict the probe saved, every tensor on the CPU."""
    fmt = "save_file" if func == "load_safetensors" else "torch.save"
    inputs = (f"grader model's state_dict (Linear({FEATURES}, {width}), BatchNorm1d, ReLU, Linear({width}, {CLASSES}),"
              f" {'float64' if double else 'float32'}) written with {fmt}"
              + (", saved from cuda:0" if from_cuda else ""))
    seen = judge.probe("ch3.ex14.load", func=func, seed=seed, width=width, from_cuda=from_cuda, double=double)
    expect_state(seen, state_of(seed, width, torch.float64 if double else torch.float32), f"{func}(path)", inputs)


def expect_refused(judge: Judge, func: str, content: str, seed: int) -> None:
    """``func`` on a file holding pickled code raised ``pickle.UnpicklingError`` without running it."""
    inputs = ("a whole model saved with torch.save(model)" if content == "whole_model"
              else "a dict of a tensor and a pickled object, saved with torch.save")
    err = judge.raises("ch3.ex14.refuse", func=func, content=content, seed=seed)
    if err is None:
        fail(f"{func} 加载了含有 pickle 对象的文件：应使用 torch.load(..., weights_only=True)，它会拒绝这样的文件。",
             f"{func} loaded a file holding pickled objects: use torch.load(..., weights_only=True), which refuses it.",
             f"输入 input: {inputs}")
    expect(not err.is_a("PickledCodeRan"), f"{func} 运行了文件中 pickle 的代码：不要使用 weights_only=False。",
           f"{func} ran the code pickled in the file: never load with weights_only=False.", f"输入 input: {inputs}")
    expect(err.is_a("UnpicklingError"), f"{func} 抛出了 {err.exc_type}，应为 pickle.UnpicklingError。",
           f"{func} raised {err.exc_type}; expected pickle.UnpicklingError (what torch.load(weights_only=True) "
           "raises).",
           f"{err.exc_type}: {err.message[:200]}", f"输入 input: {inputs}")


def _batches(judge: Judge, count: int) -> list[list[torch.Tensor]]:
    return [[judge.randn(6, FEATURES), torch.randint(0, CLASSES, (6,), generator=judge.gen)] for _ in range(count)]


def expect_resumed(judge: Judge, optimizer: str, width: int, lr: float, steps_before: int, steps_after: int) -> None:
    """Training resumed from the checkpoint ends where uninterrupted training ends (float64 here)."""
    seed, epoch = judge.randint(0, 10**6), judge.randint(1, 50)
    before, after = _batches(judge, steps_before), _batches(judge, steps_after)
    inputs = (f"grader model (Linear, BatchNorm1d, ReLU, Linear; width {width}), {optimizer} lr={lr:g}, "
              f"{steps_before} steps, save_checkpoint(epoch={epoch}), load_checkpoint into a fresh model and "
              f"optimizer, {steps_after} more steps")
    seen = judge.probe("ch3.ex14.resume", seed=seed, width=width, optimizer=optimizer, lr=lr, before=before,
                       after=after, epoch=epoch)
    expect_plain_file(seen["file"], "save_checkpoint", inputs)
    read = seen["read"]
    expect(read.get("kind") == "dict" and {"model", "optimizer", "epoch"} <= set(read.get("items", {})),
           "save_checkpoint 的文件应为含 model、optimizer、epoch 三个键的 dict。",
           "save_checkpoint's file must hold a dict with the keys model, optimizer and epoch.",
           f"得到 got {read.get('type')} {sorted(read.get('items', {}))}", f"输入 input: {inputs}")
    saved_epoch = read["items"]["epoch"]
    expect_equal(saved_epoch.get("value"), epoch, "checkpoint['epoch']", f"输入 input: {inputs}")
    got = seen["epoch"]
    expect(got.get("kind") == "scalar" and got.get("type") == "int" and got["value"] == epoch,
           f"load_checkpoint 应返回保存的 epoch（Python int {epoch}）。",
           f"load_checkpoint must return the saved epoch (the Python int {epoch}).",
           f"得到 got {got.get('type')} {got.get('value', '')}", f"输入 input: {inputs}")
    model = build_model(seed, width, torch.float64)
    opt = make_optimizer(optimizer, model, lr)  # type: ignore[arg-type]
    train_steps(model, opt, [[x.double(), y] for x, y in before + after])
    want = {name: t.detach().to(torch.int64 if name.endswith("num_batches_tracked") else torch.float32)
            for name, t in model.state_dict().items()}
    hint = (" (续训应与不中断的训练相同：也要恢复优化器的状态 / resumed training must match uninterrupted training: "
            "restore the optimizer's state too)")
    expect_tensors(seen["state"], want, "the resumed model", inputs + hint, atol=1e-5, rtol=1e-4)
