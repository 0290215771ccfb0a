"""Judge-side helpers for ex05: reading what ``train`` returned, wrote and did at each step.

The steps come from the probe's hooks (the labels of each batch, the logits the model gave,
the gradient of ``fc3.bias`` after each backward); the expected loss and gradient of every
step are computed here, in float64, from those logits and labels. Nothing here runs next to
student code.
"""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

import torch
import torch.nn.functional as F

from chapters.ch3.probes.ex05 import Spec, build_model
from grader.judge.check import Judge
from grader.judge.expect import expect, expect_close, expect_number, fail, shape_text

GRAD_RTOL = 1e-3  # relative distance allowed between a step's gradient and the judge's (float32 rounding)


def read_scalars(files: dict[str, torch.Tensor]) -> dict[str, list[tuple[int, float]]]:
    """The TensorBoard scalars in the files written to log_dir, read by TensorBoard's reader."""
    from tensorboard.backend.event_processing.event_accumulator import (
        EventAccumulator,  # imported on first use: TensorBoard takes a while to load
    )

    with tempfile.TemporaryDirectory(prefix="judge-") as folder:
        for name, data in files.items():
            relative = PurePosixPath(name)
            if relative.is_absolute() or ".." in relative.parts:
                continue
            path = Path(folder, *relative.parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data.numpy().tobytes())
        events = EventAccumulator(folder, size_guidance={"scalars": 0})
        events.Reload()
        return {tag: [(e.step, e.value) for e in events.Scalars(tag)] for tag in events.Tags()["scalars"]}


def expect_evaluate(judge: Judge, spec: Spec, n: int, batch_size: int, training: bool) -> None:
    """``evaluate`` on the model of ``spec`` (set to ``training`` mode) and n random images in
    batches of ``batch_size``: the accuracy over all samples as a Python number, in eval mode,
    without a graph, batch-norm statistics untouched, the model's mode restored.

    The labels make the last (short) batch all correct and about a third of the rest, so a mean
    of per-batch accuracies is far from the answer.
    """
    seed, x = judge.randint(0, 2**31 - 1), judge.rand(n, 1, 28, 28)
    with torch.no_grad():  # the judge builds the same model, in float64
        logits = build_model(spec, seed).double().eval()(x.double())
    top2 = logits.topk(2, dim=1).values
    near_ties = int((top2[:, 0] - top2[:, 1] < 1e-4).sum())
    correct = torch.rand(n, generator=judge.gen) < 0.35
    correct[n - (n % batch_size or batch_size):] = True
    shift = torch.randint(1, logits.shape[1], (n,), generator=judge.gen)
    y = torch.where(correct, logits.argmax(1), (logits.argmax(1) + shift) % logits.shape[1])
    mode = "training" if training else "eval"
    where = f"输入 input: {n} samples, batch_size {batch_size}, model in {mode} mode before the call"
    seen = judge.probe("ch3.ex05.evaluate", spec=spec, seed=seed, x=x, y=y, batch_size=batch_size, training=training)
    accuracy = expect_number(seen["result"], "evaluate(model, loader)")
    expected = correct.double().mean().item()
    expect(abs(accuracy - expected) <= (near_ties + 0.5) / n,
           "evaluate 的准确率与评分端统计的不同（应为全部样本中预测正确的比例）。",
           "evaluate gave a different accuracy from the judge's count (correct predictions over all samples).",
           f"期望 expected {expected:.4f}, 得到 got {accuracy:.4f}", where)
    expect(seen["calls"] > 0, "evaluate 没有以 model(images) 的方式调用模型。",
           "evaluate never called the model as model(images).")
    expect(seen["train_mode_calls"] == 0, "evaluate 在训练模式下运行了模型：应先调用 model.eval()。",
           "evaluate ran the model in training mode: call model.eval() first (dropout, batch norm).",
           f"{seen['train_mode_calls']} / {seen['calls']} 次调用 calls in training mode")
    expect(seen["graph_calls"] == 0, "evaluate 建立了计算图：应在 torch.no_grad() 下运行。",
           "evaluate built a graph: run the model under torch.no_grad().",
           f"{seen['graph_calls']} / {seen['calls']} 次调用的输出需要梯度 calls returned outputs requiring grad")
    expect(seen["buffers_unchanged"], "evaluate 改变了批归一化的统计量。",
           "evaluate changed the batch-norm running statistics.", where)
    after = "training" if seen["training_after"] else "eval"
    expect(seen["training_after"] == training,
           f"evaluate 之后模型处于 {after} 模式，而调用前是 {mode} 模式：应恢复调用前的模式。",
           f"After evaluate the model was in {after} mode, but it was in {mode} mode before the call: restore the "
           "mode it had.", where)


def history_values(seen: dict[str, Any], epochs: int) -> dict[str, list[float]]:
    """``train`` returned a dict whose ``train_loss`` and ``val_accuracy`` are lists of one
    Python number per epoch; those numbers."""
    history = seen["history"]
    expect(history.get("kind") == "dict" and {"train_loss", "val_accuracy"} <= set(history["items"]),
           "train 应返回含 train_loss 与 val_accuracy 两个键的 dict。",
           "train must return a dict with the keys train_loss and val_accuracy.",
           f"得到 got: {history.get('type')} {sorted(history.get('items', {}))}")
    values = {}
    for key in ("train_loss", "val_accuracy"):
        obs = history["items"][key]
        expect(obs.get("kind") == "sequence" and len(obs["items"]) == epochs,
               f"history['{key}'] 应为每个 epoch 一个值的 list（{epochs} 个）。",
               f"history['{key}'] must be a list with one value per epoch ({epochs}).",
               f"得到 got: {obs.get('type')} of length {len(obs.get('items', []))}")
        values[key] = [expect_number(item, f"history['{key}'][i]") for item in obs["items"]]
    return values


def predicted_labels(seen: dict[str, Any], rows: int) -> torch.Tensor:
    """The trained model's predicted labels, or a failure saying what the model returned."""
    if "labels" not in seen:
        out = seen["output"]
        fail("训练后的模型没有返回 (N, 10) 的 logits。", "After training, the model did not return (N, 10) logits.",
             f"得到 got {out.get('type')} {shape_text(out['shape']) if 'shape' in out else ''}".rstrip(),
             f"输入 input: ({rows}, 1, 28, 28) float32")
    labels: torch.Tensor = seen["labels"]
    return labels


def expect_last_val_accuracy(seen: dict[str, Any], accuracy: list[float], val_y: torch.Tensor) -> None:
    """The last ``val_accuracy`` is the trained model's accuracy on the validation images."""
    final = (predicted_labels(seen, len(val_y)) == val_y).double().mean().item()
    expect(abs(accuracy[-1] - final) <= 1.5 / len(val_y),  # one image of slack for GPU rounding
           "最后一个 val_accuracy 与训练后模型在验证集上的准确率不同。",
           "The last val_accuracy differs from the trained model's accuracy on the validation loader.",
           f"期望 expected {final:.4f}, 得到 got {accuracy[-1]:.4f}")


def expect_moved(seen: dict[str, Any], device: str) -> None:
    """After ``train`` the model's parameters are on ``device``."""
    want = torch.device(device).type
    expect(seen["model_device"] == want,
           f"train 之后模型的参数在 {seen['model_device']} 上，应在 {want} 上：train 应先把模型移到 device。",
           f"After train the model's parameters are on {seen['model_device']}; expected {want}: train must "
           "move the model to device first.", "模型交给 train 时在 CPU 上 / the model was on the CPU when passed")


def training_steps(seen: dict[str, Any], inputs: str) -> list[dict[str, Any]]:
    """The recorded steps, every one in training mode (the model came to ``train`` in eval mode)."""
    steps: list[dict[str, Any]] = seen["steps"]
    where = f"输入 input: {inputs}"
    expect(bool(steps), "train 没有在开启梯度的情况下调用模型 model(images)。",
           "train never called the model as model(images) with grad enabled.", where)
    in_eval = sum(not step["training"] for step in steps)
    expect(in_eval == 0,
           f"train 有 {in_eval} / {len(steps)} 步在 eval 模式下训练：每个 epoch 开始时应调用 model.train()。",
           f"train ran {in_eval} of {len(steps)} steps in eval mode: call model.train() at the start of every "
           "epoch (the model may come in eval mode, and evaluate switches to it).",
           "模型交给 train 时处于 eval 模式 / the model came to train in eval mode", where)
    return steps


def bias_gradient(step: dict[str, Any]) -> torch.Tensor:
    """The gradient of the batch's mean cross-entropy with respect to fc3's bias, from the step's
    logits: the mean over the batch of softmax(logits) − one-hot(label)."""
    logits = step["logits"].to(torch.float64)
    return (logits.softmax(dim=1) - F.one_hot(step["labels"], logits.shape[1]).to(torch.float64)).mean(dim=0)


def expect_fresh_gradients(steps: list[dict[str, Any]], inputs: str) -> None:
    """After each backward, fc3.bias holds the gradient of that batch's cross-entropy alone
    (any positive multiple of the mean's: a summed loss is cross-entropy too)."""
    where = f"输入 input: {inputs}"
    for k, step in enumerate(steps, start=1):
        got = step["bias_grad"]
        if got is None:
            fail(f"第 {k} 步之后 fc3.bias 没有梯度：应对该批次的损失调用 loss.backward()。",
                 f"After step {k}, fc3.bias has no gradient: call loss.backward() on the batch's loss.", where)
        want = bias_gradient(step)
        got = got.to(torch.float64)
        scale = float(got @ want) / float(want @ want)
        distance = float((got - scale * want).norm()) / max(float(got.norm()), 1e-30)
        expect(scale > 0 and distance <= GRAD_RTOL,
               f"第 {k} 步 backward 之后，fc3.bias 的梯度不是该批次交叉熵损失的梯度：每步 backward 之前应清零梯度"
               "（optimizer.zero_grad()），否则梯度会在各步之间累加。",
               f"After the backward of step {k}, fc3.bias does not hold the gradient of that batch's cross-entropy: "
               "zero the gradients before every backward (optimizer.zero_grad()), or they add up across steps.",
               f"与本批次梯度方向的相对距离 relative distance from this batch's gradient: {distance:.2e} "
               f"(允许 allowed {GRAD_RTOL:.0e})", where)


def epoch_losses(steps: list[dict[str, Any]]) -> list[float]:
    """Per epoch (pass over the training loader), the mean per-sample cross-entropy of its steps."""
    sums: dict[int, list[float]] = {}
    for step in steps:
        total = F.cross_entropy(step["logits"].to(torch.float64), step["labels"], reduction="sum").item()
        entry = sums.setdefault(step["epoch"], [0.0, 0.0])
        entry[0] += total
        entry[1] += len(step["labels"])
    return [loss / count for loss, count in (sums[epoch] for epoch in sorted(sums))]


def expect_per_sample_losses(losses: list[float], steps: list[dict[str, Any]], inputs: str) -> None:
    """``train_loss[e]`` is the mean per-sample cross-entropy of the steps of epoch e."""
    expected = epoch_losses(steps)
    where = f"输入 input: {inputs}"
    expect(len(expected) == len(losses),
           f"train 在 {len(expected)} 次遍历训练集时做了训练步，而 history 有 {len(losses)} 个 epoch。",
           f"train took training steps in {len(expected)} passes over the training loader, but the history has "
           f"{len(losses)} epochs.", where)
    expect_close(torch.tensor(losses, dtype=torch.float64), torch.tensor(expected, dtype=torch.float64),
                 "history['train_loss']（应为该 epoch 每个样本交叉熵的平均值 / the epoch's mean per-sample "
                 "cross-entropy）", atol=1e-5, rtol=1e-4, inputs=f"{inputs}; 最后一批较小 the last batch is smaller")


def expect_scalars(seen: dict[str, Any], values: dict[str, list[float]], epochs: int, inputs: str) -> None:
    """log_dir holds ``Loss/train`` and ``Accuracy/val`` at steps 0..epochs−1, equal to the history."""
    where = f"输入 input: {inputs}"
    created, closed = seen["writers"]
    expect(closed == created,
           f"train 创建了 {created} 个 SummaryWriter，关闭了 {closed} 个：写完后应调用 writer.close()。",
           f"train created {created} SummaryWriter(s) but closed {closed}: close the writer when done "
           "(writer.close()).", where)
    scalars = read_scalars(seen["files"])
    for tag, key in (("Loss/train", "train_loss"), ("Accuracy/val", "val_accuracy")):
        expect(tag in scalars, f"log_dir 中没有标量 {tag}（检查标签名，并在写完后调用 writer.close()）。",
               f"log_dir has no scalar {tag} (check the tag's name, and close the writer when done).",
               f"找到的标量 scalars found: {sorted(scalars)}; 文件 files: {sorted(seen['files'])}", where)
        steps = [step for step, _ in scalars[tag]]
        expect(steps == list(range(epochs)), f"{tag} 的 step 应为 epoch 编号 0..epochs−1。",
               f"{tag} must be logged at steps 0..epochs−1, the epoch number.",
               f"期望 expected {list(range(epochs))}, 得到 got {steps}", where)
        expect_close(torch.tensor([value for _, value in scalars[tag]], dtype=torch.float64),
                     torch.tensor(values[key], dtype=torch.float64), f"{tag} (TensorBoard vs history['{key}'])",
                     atol=1e-6, rtol=1e-5, inputs=inputs)


def expect_lr_used(seen: dict[str, Any], inputs: str) -> None:
    """Trained with ``lr=0``, fc3.bias is what it was."""
    bias = seen["fc3_bias"]
    if len(bias) != 2:
        fail("模型没有 fc3.bias。", "The model has no fc3.bias.")
    change = float((bias[1].to(torch.float64) - bias[0].to(torch.float64)).abs().max())
    expect(change == 0,
           "用 lr=0 训练后参数仍然改变了：train 应把参数 lr 交给优化器。",
           "Trained with lr=0, the parameters still changed: train must give its lr to the optimizer.",
           f"fc3.bias 的最大变化 largest change of fc3.bias: {change:.3e}", f"输入 input: {inputs}")
