"""Judge-side helpers for ex13: the SGD trajectory of the grader's linear model, in float64, and
TensorBoard's own reader for the files ``fit`` wrote.

The model is one ``nn.Linear`` and the loss cross-entropy, so every step has the closed form
∂L/∂z = (softmax(z) − onehot(y)) / B, ∂L/∂W = (∂L/∂z)ᵀ x, ∂L/∂b = Σ ∂L/∂z. Nothing here runs
next to student code.
"""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import torch
import torch.nn.functional as F

from chapters.ch3.probes.ex13 import build_model
from grader.judge.check import Judge
from grader.judge.expect import expect, expect_close, expect_number, fail

RTOL, ATOL = 1e-4, 1e-5  # float32 student arithmetic against the judge's float64
SCALARS = ("Loss/train", "Loss/test", "Accuracy/test", "Learning Rate")
HISTORY = dict(zip(("train_loss", "test_loss", "accuracy", "lr"), SCALARS, strict=True))


@dataclass
class Setup:
    """What a check drew: the model's seed, the data, the batch size and the rate."""

    seed: int
    x: torch.Tensor
    y: torch.Tensor
    classes: int
    batch_size: int
    lr: float
    test_x: torch.Tensor = field(default_factory=lambda: torch.empty(0))
    test_y: torch.Tensor = field(default_factory=lambda: torch.empty(0, dtype=torch.int64))

    def inputs(self) -> dict[str, Any]:
        return {"seed": self.seed, "x": self.x, "y": self.y, "classes": self.classes, "batch_size": self.batch_size,
                "lr": self.lr}

    def text(self) -> str:
        return (f"grader nn.Linear({self.x.shape[1]}, {self.classes}), {len(self.x)} samples in batches of "
                f"{self.batch_size} (not shuffled), CrossEntropyLoss, SGD(lr={self.lr:g})")


def draw(judge: Judge, n: int, features: int, classes: int, batch_size: int, lr: float, test: int = 0) -> Setup:
    """Random data for the grader model: inputs of N(0, 1), labels uniform over the classes."""
    def labels(k: int) -> torch.Tensor:
        return torch.randint(0, classes, (k,), generator=judge.gen)

    return Setup(judge.randint(0, 2**31 - 1), judge.randn(n, features), labels(n), classes, batch_size, lr,
                 judge.randn(test, features), labels(test))


def initial(setup: Setup) -> dict[str, torch.Tensor]:
    """The grader model's parameters before training, in float64."""
    model = build_model(setup.x.shape[1], setup.classes, setup.seed)
    return {name: p.detach().double() for name, p in model.named_parameters()}


def _batches(x: torch.Tensor, y: torch.Tensor, size: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    return list(zip(x.double().split(size), y.split(size), strict=True))


def train_epoch(params: dict[str, torch.Tensor], setup: Setup, lr: float) -> tuple[dict[str, torch.Tensor], float]:
    """One epoch of SGD at rate ``lr`` from ``params``: the parameters after it, and the mean batch loss."""
    weight, bias = params["weight"].clone(), params["bias"].clone()
    losses = []
    for xb, yb in _batches(setup.x, setup.y, setup.batch_size):
        z = xb @ weight.T + bias
        losses.append(F.cross_entropy(z, yb).item())
        dz = (torch.softmax(z, 1) - F.one_hot(yb, setup.classes).double()) / len(yb)
        weight, bias = weight - lr * dz.T @ xb, bias - lr * dz.sum(0)
    return {"weight": weight, "bias": bias}, sum(losses) / len(losses)


def evaluate(params: dict[str, torch.Tensor], x: torch.Tensor, y: torch.Tensor, size: int) -> tuple[float, float, int]:
    """Mean batch loss, accuracy over all samples, and how many samples are near ties (their
    prediction may differ in float32)."""
    losses, correct, ties = [], 0, 0
    for xb, yb in _batches(x, y, size):
        z = xb @ params["weight"].T + params["bias"]
        losses.append(F.cross_entropy(z, yb).item())
        correct += int((z.argmax(1) == yb).sum())
        top = z.topk(2, dim=1).values  # the grader model has at least two classes
        ties += int((top[:, 0] - top[:, 1] < 1e-4).sum())
    return sum(losses) / len(losses), correct / len(y), ties


@dataclass
class Expected:
    """The judge's run of ``fit``: per epoch the history and the parameters after training."""

    history: dict[str, list[float]]
    params: list[dict[str, torch.Tensor]]
    slack: float  # of the accuracy: the share of near-tie test samples


def run_fit(setup: Setup, epochs: int, step_size: int, gamma: float) -> Expected:
    params = initial(setup)
    out = Expected({key: [] for key in HISTORY}, [], 0.0)
    for epoch in range(epochs):
        lr = setup.lr * gamma ** (epoch // step_size)
        params, train_loss = train_epoch(params, setup, lr)
        test_loss, accuracy, ties = evaluate(params, setup.test_x, setup.test_y, setup.batch_size)
        for key, value in zip(HISTORY, (train_loss, test_loss, accuracy, lr), strict=True):
            out.history[key].append(value)
        out.params.append(params)
        out.slack = max(out.slack, ties / len(setup.test_y))
    return out


def _close(got: float, want: float) -> bool:
    return math.isfinite(got) and abs(got - want) <= ATOL + RTOL * abs(want)


def expect_params(seen: dict[str, torch.Tensor], want: dict[str, torch.Tensor], what: str, inputs: str) -> None:
    for name, value in want.items():
        expect_close(seen[name], value, f"{what}: model.{name}", atol=ATOL, rtol=RTOL, inputs=inputs)


def expect_modes(seen: dict[str, Any], func: str, training: bool, inputs: str) -> None:
    """Every forward pass ran in ``training`` mode, with grad enabled exactly when training."""
    calls = len(seen["training"])
    expect(calls > 0, f"{func} 没有以 model(inputs) 的方式调用模型。",
           f"{func} never called the model as model(inputs).", f"输入 input: {inputs}")
    mode = "训练 training" if training else "评估 eval"
    wrong = sum(t != training for t in seen["training"])
    expect(wrong == 0, f"{func} 有 {wrong} / {calls} 次前向传播不在{mode.split()[0]}模式下。",
           f"{func} ran {wrong} of {calls} forward passes outside {mode.split()[1]} mode: call "
           f"model.{'train' if training else 'eval'}() first.", f"输入 input: {inputs}")
    graphs = sum(g != training for g in seen["grad_enabled"])
    expect(graphs == 0,
           f"{func} 有 {graphs} / {calls} 次前向传播的梯度开关不对（训练时开启，评估时在 torch.no_grad() 下）。",
           f"{func} ran {graphs} of {calls} forward passes with grad {'off' if training else 'on'}: "
           f"{'training needs grad' if training else 'evaluate under torch.no_grad()'}.", f"输入 input: {inputs}")


def expect_train_loop(judge: Judge, setup: Setup, *, training: bool, stale_grad: bool) -> None:
    """``train_loop`` gave the mean batch loss of one SGD epoch and left the parameters the judge's."""
    inputs = f"{setup.text()}, model in {'training' if training else 'eval'} mode" + (
        ", a gradient of ones left on the parameters" if stale_grad else "")
    seen = judge.probe("ch3.ex13.loop", func="train_loop", training=training, stale_grad=stale_grad, **setup.inputs())
    want, loss = train_epoch(initial(setup), setup, setup.lr)
    got = expect_number(seen["result"], "train_loop(...)", f"输入 input: {inputs}")
    expect_modes(seen, "train_loop", True, inputs)
    expect(_close(got, loss), "train_loop 返回的损失不是各批次损失的平均值（Σ 批次损失 / 批次数）。",
           "train_loop returned a loss other than the mean of the batch losses (Σ batch losses / number of batches).",
           f"期望 expected {loss:.6g}, 得到 got {got:.6g}", f"输入 input: {inputs}")
    expect_params(seen["params"], want, "train_loop 之后 after train_loop", inputs + (
        " (每步先清零梯度 zero the gradients before each backward)" if stale_grad else ""))


def _about_half_right(judge: Judge, params: dict[str, torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """Labels the model gets right for about half of ``x`` (one right and one wrong at least), so
    that correct / samples and correct / batches differ."""
    predicted = (x.double() @ params["weight"].T + params["bias"]).argmax(1)
    right = torch.rand(len(x), generator=judge.gen) < 0.5
    right[0], right[-1] = True, False
    shift = torch.randint(1, params["bias"].numel(), (len(x),), generator=judge.gen)
    return torch.where(right, predicted, (predicted + shift) % params["bias"].numel())


def expect_eval_loop(judge: Judge, setup: Setup, *, training: bool) -> None:
    """``eval_loop`` gave (mean batch loss, accuracy over all samples) in eval mode without a graph."""
    inputs = f"{setup.text()}, model in {'training' if training else 'eval'} mode"
    params = initial(setup)
    setup.y = _about_half_right(judge, params, setup.x)
    seen = judge.probe("ch3.ex13.loop", func="eval_loop", training=training, **setup.inputs())
    loss, accuracy, ties = evaluate(params, setup.x, setup.y, setup.batch_size)
    result = seen["result"]
    expect(result.get("kind") == "sequence" and len(result["items"]) == 2,
           "eval_loop 应返回 (test_loss, accuracy) 两个数。",
           "eval_loop must return two numbers, (test_loss, accuracy).", f"得到 got {result.get('type')}")
    got_loss, got_accuracy = (expect_number(item, "eval_loop(...)[i]") for item in result["items"])
    expect_modes(seen, "eval_loop", False, inputs)
    expect(_close(got_loss, loss), "eval_loop 的 test_loss 不是各批次损失的平均值。",
           "eval_loop's test_loss is not the mean of the batch losses.",
           f"期望 expected {loss:.6g}, 得到 got {got_loss:.6g}", f"输入 input: {inputs}")
    expect(abs(got_accuracy - accuracy) <= (ties + 0.5) / len(setup.y),
           "eval_loop 的 accuracy 不是预测正确的样本数 / 样本总数。",
           "eval_loop's accuracy is not correct predictions / len(dataset).",
           f"期望 expected {accuracy:.6g}, 得到 got {got_accuracy:.6g}", f"输入 input: {inputs}")
    expect_params(seen["params"], params, "eval_loop 之后 after eval_loop (参数不应改变 parameters unchanged)", inputs)


# -- fit --------------------------------------------------------------------------------------------

@dataclass
class Events:
    """What TensorBoard's reader found: scalars and histograms by tag (step, …), and hparams."""

    scalars: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    histograms: dict[str, list[tuple[int, dict[str, float]]]] = field(default_factory=dict)
    hparams: dict[str, float] = field(default_factory=dict)


def read_events(files: dict[str, torch.Tensor]) -> Events:
    """The files written to log_dir, read by TensorBoard's own ``EventAccumulator``, folder by
    folder (``add_hparams`` writes into a subfolder)."""
    from tensorboard.backend.event_processing.event_accumulator import (
        EventAccumulator,  # imported on first use: TensorBoard takes a while to load
    )
    from tensorboard.plugins.hparams import plugin_data_pb2

    events = Events()
    with tempfile.TemporaryDirectory(prefix="judge-") as folder:
        for name, data in files.items():
            relative = PurePosixPath(name)
            if relative.is_absolute() or ".." in relative.parts:
                continue
            path = Path(folder, *relative.parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data.numpy().tobytes())
        for run in sorted({p.parent for p in Path(folder).rglob("*tfevents*")}):
            acc = EventAccumulator(str(run), size_guidance={"scalars": 0, "histograms": 0, "tensors": 0})
            acc.Reload()
            tags = acc.Tags()
            for tag in tags["scalars"]:
                events.scalars.setdefault(tag, []).extend((e.step, e.value) for e in acc.Scalars(tag))
            for tag in tags["histograms"]:
                events.histograms.setdefault(tag, []).extend(
                    (e.step, {"num": e.histogram_value.num, "min": e.histogram_value.min,
                              "max": e.histogram_value.max, "sum": e.histogram_value.sum})
                    for e in acc.Histograms(tag))
            try:
                content = acc.PluginTagToContent("hparams")
            except KeyError:
                continue
            for blob in content.values():
                data = plugin_data_pb2.HParamsPluginData.FromString(blob)
                if data.HasField("session_start_info"):
                    for key, value in data.session_start_info.hparams.items():
                        events.hparams[key] = value.number_value
    return events


def run_and_read(judge: Judge, setup: Setup, epochs: int, step_size: int,
                 gamma: float) -> tuple[dict[str, Any], Expected, Events, str]:
    """``fit`` on the student side; the judge's own run; the events read back; the inputs' text."""
    inputs = (f"{setup.text()}, {len(setup.test_y)} test samples, epochs={epochs}, step_size={step_size}, "
              f"gamma={gamma:g}")
    seen = judge.probe("ch3.ex13.fit", test_x=setup.test_x, test_y=setup.test_y, epochs=epochs, step_size=step_size,
                       gamma=gamma, **{k: v for k, v in setup.inputs().items()})
    return seen, run_fit(setup, epochs, step_size, gamma), read_events(seen["files"]), inputs


def expect_history(seen: dict[str, Any], want: Expected, inputs: str) -> None:
    """The history: the four lists, one Python number per epoch, the judge's values."""
    history = seen["history"]
    expect(history.get("kind") == "dict" and set(HISTORY) <= set(history["items"]),
           f"fit 应返回含 {list(HISTORY)} 四个键的 dict。", f"fit must return a dict with the keys {list(HISTORY)}.",
           f"得到 got {history.get('type')} {sorted(history.get('items', {}))}")
    epochs = len(want.history["lr"])
    for key, expected in want.history.items():
        obs = history["items"][key]
        expect(obs.get("kind") == "sequence" and len(obs["items"]) == epochs,
               f"history['{key}'] 应为每个 epoch 一个数的 list（{epochs} 个）。",
               f"history['{key}'] must be a list of one number per epoch ({epochs}).",
               f"得到 got {obs.get('type')} of length {len(obs.get('items', []))}")
        got = [expect_number(item, f"history['{key}'][i]") for item in obs["items"]]
        _expect_series(got, expected, f"history['{key}']", key, want.slack, inputs)


def _expect_series(got: list[float], want: list[float], what: str, key: str, slack: float, inputs: str) -> None:
    for epoch, (g, w) in enumerate(zip(got, want, strict=True)):
        if not (abs(g - w) <= slack + 1e-6 if key == "accuracy" else _close(g, w)):
            hint = {"lr": ("学习率应为 lr·gamma^(e // step_size)：每个 epoch 训练之后调用一次 scheduler.step()。",
                           "the rate must be lr·gamma^(e // step_size): call scheduler.step() once per epoch, after "
                           "its training.")}.get(key, ("", ""))
            fail(f"{what} 在第 {epoch} 个 epoch 的值不对。{hint[0]}",
                 f"{what} is wrong at epoch {epoch}. {hint[1]}".strip(),
                 f"期望 expected {[round(v, 6) for v in want]}", f"得到 got {[round(v, 6) for v in got]}",
                 f"输入 input: {inputs}")


def expect_scalars(seen: dict[str, Any], events: Events, want: Expected, inputs: str) -> None:
    """The four scalars, at steps 0..epochs−1, with the judge's values; every writer closed."""
    created, closed = seen["writers"]
    expect(created > 0 and closed == created,
           f"fit 创建了 {created} 个 SummaryWriter，只关闭了 {closed} 个：最后应调用 writer.close()。",
           f"fit created {created} SummaryWriter(s) and closed {closed}: call writer.close() at the end (else events "
           "may never reach the disk).", f"输入 input: {inputs}")
    epochs = len(want.history["lr"])
    for key, tag in HISTORY.items():
        found = sorted(events.scalars.get(tag, []))
        expect([step for step, _ in found] == list(range(epochs)),
               f"TensorBoard 标量 {tag!r} 应在 step 0..{epochs - 1} 各记录一次。",
               f"The TensorBoard scalar {tag!r} must be logged once at each step 0..{epochs - 1}.",
               f"读到的 steps found: {[step for step, _ in found]}",
               f"所有标量 all scalar tags: {sorted(events.scalars)}", f"输入 input: {inputs}")
        _expect_series([value for _, value in found], want.history[key], f"scalar {tag!r}", key, want.slack, inputs)


def expect_histograms(events: Events, want: Expected, inputs: str) -> None:
    """A histogram ``Parameters/<name>`` per parameter, at each step, of its values after that epoch."""
    epochs = len(want.params)
    for name in want.params[0]:
        tag = f"Parameters/{name}"
        found = sorted(events.histograms.get(tag, []), key=lambda e: e[0])
        expect([step for step, _ in found] == list(range(epochs)),
               f"TensorBoard 直方图 {tag!r} 应在 step 0..{epochs - 1} 各记录一次。",
               f"The TensorBoard histogram {tag!r} must be logged once at each step 0..{epochs - 1}.",
               f"读到的 steps found: {[step for step, _ in found]}", f"所有直方图 all histogram tags: "
               f"{sorted(events.histograms)}", f"输入 input: {inputs}")
        for (step, hist), params in zip(found, want.params, strict=True):
            values = params[name]
            expected = {"num": float(values.numel()), "min": values.min().item(), "max": values.max().item(),
                        "sum": values.sum().item()}
            bad = [key for key, v in expected.items() if not abs(hist[key] - v) <= 1e-4 + 1e-4 * abs(v)]
            expect(not bad, f"直方图 {tag!r} 在 step {step} 的 {bad} 与第 {step} 个 epoch 训练后的参数不符。",
                   f"The histogram {tag!r} at step {step} has {bad} unlike the parameter after epoch {step}'s "
                   "training.",
                   f"期望 expected {expected}", f"得到 got {hist}", f"输入 input: {inputs}")


def expect_hparams(events: Events, want: Expected, lr: float, step_size: int, gamma: float, inputs: str) -> None:
    """The hyperparameters and the two metrics of ``add_hparams``."""
    epochs = len(want.history["lr"])
    expected = {"lr": lr, "step_size": float(step_size), "gamma": gamma, "epochs": float(epochs)}
    got = {k: events.hparams.get(k) for k in expected}
    expect(all(g is not None and abs(g - v) <= 1e-9 + 1e-6 * abs(v) for g, v in zip(got.values(), expected.values(),
                                                                                  strict=True)),
           "add_hparams 记录的超参数不对（应为初始学习率、step_size、gamma 与 epochs）。",
           "add_hparams logged other hyperparameters (the initial lr, step_size, gamma and epochs expected).",
           f"期望 expected {expected}", f"得到 got {events.hparams}", f"输入 input: {inputs}")
    for tag, key in (("hparam/test_loss", "test_loss"), ("hparam/accuracy", "accuracy")):
        found = events.scalars.get(tag, [])
        expect(len(found) == 1, f"add_hparams 的指标 {tag!r} 应记录一次。",
               f"The add_hparams metric {tag!r} must be logged once.", f"读到 found {len(found)}",
               f"所有标量 all scalar tags: {sorted(events.scalars)}", f"输入 input: {inputs}")
        _expect_series([found[0][1]], want.history[key][-1:], f"metric {tag!r}", key, want.slack, inputs)
