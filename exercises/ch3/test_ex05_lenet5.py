"""Public checks for ex05_lenet5 / 应用 5 的公开检查。"""

from __future__ import annotations

import math
from typing import Any

import torch

from chapters.ch3.judging.data import load_split
from chapters.ch3.probes.ex05 import build_model
from grader.judge.check import Judge, check
from grader.judge.expect import (
    expect,
    expect_equal,
    expect_kind,
    expect_number,
    fail,
    shape_text,
)

EX = "ex05_lenet5"
# conv1 → frozen, bn2d, linear: trainable 2·4 + (36·10 + 10) = 378 of 418 parameters
FROZEN_SPEC = [["conv", 1, 4, 3], ["bn2d", 4], ["relu"], ["flatten"], ["linear", 36, 10]]
FROZEN = ["0.weight", "0.bias"]
# (3, 10, 10) → conv 3→4, k3 → (4, 8, 8) → pool → (4, 4, 4) → 64 → 5; conv frozen
SUMMARY_SPEC = [["conv", 3, 4, 3], ["relu"], ["pool", 2], ["flatten"], ["linear", 64, 5]]
EVAL_SPEC = [["flatten"], ["linear", 784, 32], ["bn1d", 32], ["relu"], ["dropout", 0.5], ["linear", 32, 10]]
LAYERS = {  # name → (type, weight shape, bias shape)
    "conv1": ("Conv2d", [6, 1, 5, 5], [6]), "conv2": ("Conv2d", [16, 6, 5, 5], [16]),
    "fc1": ("Linear", [120, 400], [120]), "fc2": ("Linear", [84, 120], [84]), "fc3": ("Linear", [10, 84], [10]),
}


def expect_logits(obs: dict[str, Any], rows: int, device: str, what: str) -> None:
    """A float32 (rows, 10) tensor on ``device``."""
    expect_kind(obs, "tensor", what)
    expect(obs["shape"] == [rows, 10] and obs["dtype"] == "float32",
           f"{what} 返回了 {obs['dtype']} {shape_text(obs['shape'])}，应为 float32 ({rows}, 10) 的 logits。",
           f"{what} returned {obs['dtype']} {shape_text(obs['shape'])}; expected float32 logits of shape ({rows}, 10).",
           f"输入 input: ({rows}, 1, 28, 28) float32")
    expect(obs["device"] == torch.device(device).type,
           f"{what} 的结果在 {obs['device']} 上，应在输入所在的 {device} 上。",
           f"{what} returned a tensor on {obs['device']}; expected {device}, the input's device.")


def predicted_labels(seen: dict[str, Any], rows: int) -> torch.Tensor:
    """The trained model's predicted labels, or a failure saying what the model returned."""
    if "labels" not in seen:
        out = seen["output"]
        fail("训练后的模型没有返回 (N, 10) 的 logits。", "After training, the model did not return (N, 10) logits.",
             f"得到 got {out.get('type')} {shape_text(out['shape']) if 'shape' in out else ''}".rstrip(),
             f"输入 input: ({rows}, 1, 28, 28) float32")
    return seen["labels"]


@check(EX, 0.5)
def test_structure(judge: Judge) -> None:
    """LeNet5 把 (N, 1, 28, 28) 映射为 (N, 10) 的 float32 logits
    LeNet5 maps (N, 1, 28, 28) to float32 logits (N, 10)"""
    for rows in (4, 1):
        seen = judge.probe("ch3.ex05.lenet_forward", x=judge.rand(rows, 1, 28, 28))
        expect_logits(seen["result"], rows, judge.device, "LeNet5()(x)")


@check(EX, 1)
def test_layers_and_parameters(judge: Judge) -> None:
    """LeNet5 有 conv1、conv2、fc1、fc2、fc3 这些层，共 61,706 个参数
    LeNet5 has the layers conv1, conv2, fc1, fc2, fc3 and 61,706 parameters"""
    seen = judge.probe("ch3.ex05.lenet_layers")
    for name, (kind, weight, bias) in LAYERS.items():
        layer = seen["layers"][name]
        got = (layer["type"], layer["weight"], layer["bias"])
        expect(got == (kind, weight, bias),
               f"LeNet5 的 {name} 层不对：应为 {kind}，权重形状 {shape_text(weight)}，偏置形状 {shape_text(bias)}。",
               f"LeNet5's layer {name} is wrong: expected a {kind} with weight {shape_text(weight)} "
               f"and bias {shape_text(bias)}.",
               f"得到 got: {got[0]}, weight {got[1]}, bias {got[2]}")
    for name, padding, same in (("conv1", [2, 2], "same"), ("conv2", [0, 0], "valid")):
        layer = seen["layers"][name]
        got = [layer["kernel_size"], layer["stride"], padding if layer["padding"] == same else layer["padding"]]
        expect(got == [[5, 5], [1, 1], padding],
               f"LeNet5.{name} 的卷积设置不对：应为 kernel_size=5, stride=1, padding={padding[0]}。",
               f"LeNet5.{name} has the wrong settings: expected kernel_size=5, stride=1, padding={padding[0]}.",
               f"得到 got: kernel_size={got[0]}, stride={got[1]}, padding={got[2]}")
    expect(seen["parameters"] == 61706, f"LeNet5 共有 {seen['parameters']:,} 个参数，应为 61,706。",
           f"LeNet5 has {seen['parameters']:,} parameters; expected 61,706.")


@check(EX, 0.5)
def test_count_parameters_frozen(judge: Judge) -> None:
    """count_parameters 只统计需要梯度的参数（冻结的参数与缓冲区不计）
    count_parameters counts only parameters that require grad (not frozen ones, not buffers)"""
    seen = judge.probe("ch3.ex05.count_parameters", spec=FROZEN_SPEC, seed=0, frozen=FROZEN)
    got = expect_number(seen["result"], "count_parameters(model)")
    expect_equal(got, 378, "count_parameters(model)",
                 "模型 model: Conv2d(1, 4, 3) 已冻结 frozen, BatchNorm2d(4), Linear(36, 10); "
                 "共 418 个参数 parameters in all")


@check(EX, 0.5)
def test_summarize(judge: Judge) -> None:
    """summarize 返回 torchsummary 的表格文本（LeNet-5: Total params: 61,706）
    summarize returns torchsummary's table as text (LeNet-5: Total params: 61,706)"""
    cases = [
        (dict(input_size=[3, 10, 10], spec=SUMMARY_SPEC, frozen=FROZEN),
         ["[-1, 5]", "Total params: 437", "Trainable params: 325", "Non-trainable params: 112"],
         "Conv2d(3, 4, 3) frozen, ReLU, AvgPool2d(2), Flatten, Linear(64, 5); input_size (3, 10, 10)"),
        (dict(input_size=[1, 28, 28]), ["Total params: 61,706", "Trainable params: 61,706"], "LeNet5(), (1, 28, 28)"),
    ]
    for inputs, lines, where in cases:
        seen = judge.probe("ch3.ex05.summarize", **inputs)
        text = seen["result"].get("value")
        expect(isinstance(text, str), f"summarize 返回了 {seen['result']['type']}，应为 str。",
               f"summarize returned {seen['result']['type']}; expected a str.")
        missing = [line for line in lines if line not in text]
        expect(not missing,
               "summarize 返回的文本缺少 torchsummary 表格中的行（summary 只打印、返回 None，要捕获它打印的内容）。",
               "summarize's text lacks lines of torchsummary's table (summary only prints and returns None: "
               "capture what it prints).",
               f"缺少 missing: {missing}", f"模型 model: {where}")


@check(EX, 1)
def test_evaluate(judge: Judge) -> None:
    """evaluate 返回准确率，在 eval 模式、不建计算图下运行，并恢复模型原来的模式
    evaluate returns the accuracy, runs in eval mode without a graph, and restores the model's mode

    The model has batch norm and dropout. The labels make the last (short) batch all correct
    and about a third of the rest, so a mean of per-batch accuracies is far from the answer.
    """
    n, batch_size = 50, 16
    seed, x = judge.randint(0, 2**31 - 1), judge.rand(n, 1, 28, 28)
    with torch.no_grad():  # the judge builds the same model, in float64
        logits = build_model(EVAL_SPEC, seed).double().eval()(x.double())
    top2 = logits.topk(2, dim=1).values
    near_ties = int((top2[:, 0] - top2[:, 1] < 1e-4).sum())
    correct = torch.rand(n, generator=judge.gen) < 0.35
    correct[n - (n % batch_size or batch_size):] = True
    shift = torch.randint(1, 10, (n,), generator=judge.gen)
    y = torch.where(correct, logits.argmax(1), (logits.argmax(1) + shift) % 10)
    where = f"{n} samples, batch_size {batch_size}, model in training mode before the call"
    seen = judge.probe("ch3.ex05.evaluate", spec=EVAL_SPEC, seed=seed, x=x, y=y, batch_size=batch_size, training=True)
    accuracy = expect_number(seen["result"], "evaluate(model, loader)")
    expected = correct.double().mean().item()
    expect(abs(accuracy - expected) <= (near_ties + 0.5) / n,
           "evaluate 的准确率与评分端统计的不同（应为全部样本中预测正确的比例）。",
           "evaluate gave a different accuracy from the judge's count (correct predictions over all samples).",
           f"期望 expected {expected:.4f}, 得到 got {accuracy:.4f}", f"输入 input: {where}")
    expect(seen["calls"] > 0, "evaluate 没有以 model(images) 的方式调用模型。",
           "evaluate never called the model as model(images).")
    expect(seen["train_mode_calls"] == 0, "evaluate 在训练模式下运行了模型：应先调用 model.eval()。",
           "evaluate ran the model in training mode: call model.eval() first (dropout, batch norm).",
           f"{seen['train_mode_calls']} / {seen['calls']} 次调用 calls in training mode")
    expect(seen["graph_calls"] == 0, "evaluate 建立了计算图：应在 torch.no_grad() 下运行。",
           "evaluate built a graph: run the model under torch.no_grad().",
           f"{seen['graph_calls']} / {seen['calls']} 次调用的输出需要梯度 calls returned outputs requiring grad")
    expect(seen["buffers_unchanged"], "evaluate 改变了批归一化的统计量。",
           "evaluate changed the batch-norm running statistics.", f"输入 input: {where}")
    expect(seen["training_after"], "evaluate 之后模型停留在 eval 模式：应恢复调用前的模式（这里是训练模式）。",
           "After evaluate the model stayed in eval mode: restore the mode it had before the call (training here).",
           f"输入 input: {where}")


@check(EX, 1.5)
def test_train_history(judge: Judge) -> None:
    """train 返回每个 epoch 的 train_loss 与 val_accuracy，且模型在学习
    train returns train_loss and val_accuracy per epoch, and the model learns"""
    split, epochs = load_split(judge.randint(0, 2**31 - 1)), 3
    seen = judge.probe("ch3.ex05.train", seed=judge.randint(0, 2**31 - 1), train_x=split.train_x[:512],
                       train_y=split.train_y[:512], val_x=split.val_x, val_y=split.val_y,
                       predict_x=split.val_x, epochs=epochs, batch_size=32)
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
    losses, accuracy = values["train_loss"], values["val_accuracy"]
    expect(all(0 < loss < math.log(10) + 0.5 for loss in losses),
           "train_loss 应是每个样本交叉熵的平均值（均匀猜测时约为 ln 10 ≈ 2.30），得到的值超出范围。",
           "train_loss must be the mean per-sample cross-entropy (about ln 10 ≈ 2.30 for a uniform guess); "
           "a value is out of range.", f"train_loss = {[round(v, 4) for v in losses]}")
    expect(all(0 <= a <= 1 for a in accuracy), "val_accuracy 应在 [0, 1] 之间。",
           "val_accuracy must lie in [0, 1].", f"val_accuracy = {accuracy}")
    final = (predicted_labels(seen, len(split.val_y)) == split.val_y).double().mean().item()
    expect(abs(accuracy[-1] - final) <= 1.5 / len(split.val_y),  # one image of slack for GPU rounding
           "最后一个 val_accuracy 与训练后模型在验证集上的准确率不同。",
           "The last val_accuracy differs from the trained model's accuracy on the validation loader.",
           f"期望 expected {final:.4f}, 得到 got {accuracy[-1]:.4f}")
    expect(losses[-1] < losses[0] and accuracy[-1] > 0.25,  # chance is 0.1; the reference reaches 0.4-0.75
           "模型没有在学习：train_loss 没有下降或验证准确率仍低于 0.25（检查 zero_grad、backward、step 与损失函数）。",
           "The model is not learning: train_loss did not fall or the validation accuracy stayed below 0.25 "
           "(check zero_grad, backward, step and the loss).",
           f"train_loss = {[round(v, 4) for v in losses]}, val_accuracy = {[round(v, 4) for v in accuracy]}",
           f"输入 input: 512 training and {len(split.val_y)} validation images, {epochs} epochs, batch_size 32")
