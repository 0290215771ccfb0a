"""Public checks for ex05_lenet5 / 应用 5 的公开检查。"""

from __future__ import annotations

import math
from typing import Any

import torch

from chapters.ch3.judging.data import load_split
from chapters.ch3.judging.ex05 import (
    expect_evaluate,
    expect_fresh_gradients,
    expect_last_val_accuracy,
    expect_lr_used,
    expect_moved,
    expect_per_sample_losses,
    expect_scalars,
    history_values,
    training_steps,
)
from grader.judge.check import Judge, check
from grader.judge.expect import (
    expect,
    expect_close,
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
# two Linear(6, 6) sharing one weight: 36 + 6 + 6 = 48 distinct parameters
TIED_SPEC, TIED = [["linear", 6, 6], ["relu"], ["linear", 6, 6]], [["0.weight", "2.weight"]]
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


@check(EX, 0.5)
def test_structure(judge: Judge) -> None:
    """LeNet5 把 (N, 1, 28, 28) 映射为 (N, 10) 的 float32 logits
    LeNet5 maps (N, 1, 28, 28) to float32 logits (N, 10)"""
    for rows in (4, 1):
        seen = judge.probe("ch3.ex05.lenet_forward", x=judge.rand(rows, 1, 28, 28))
        expect_logits(seen["result"], rows, judge.device, "LeNet5()(x)")


def random_weights(judge: Judge, signed: bool) -> dict[str, torch.Tensor]:
    """Weights for LeNet-5's layers: uniform in [-1, 1]/√fan_in if ``signed``, else in [0, 2]/fan_in
    (so every activation stays ≥ 0); every bias 0."""
    weights = {}
    for name, (_, weight, bias) in LAYERS.items():
        fan_in = math.prod(weight[1:])
        draw = judge.rand(*weight)
        weights[f"{name}.weight"] = (draw * 2 - 1) / math.sqrt(fan_in) if signed else draw * 2 / fan_in
        weights[f"{name}.bias"] = torch.zeros(bias)
    return weights


@check(EX, 0.5)
def test_forward_layers(judge: Judge) -> None:
    """LeNet5 用平均池化与 ReLU，输出不经激活的 logits
    LeNet5 uses average pooling and ReLU, and returns logits with no activation after fc3

    With zero biases, LeNet-5 is linear on inputs ≥ 0 when every weight is ≥ 0 (each ReLU
    passes its input, average pooling is linear), so f(x₁ + x₂) = f(x₁) + f(x₂); max pooling
    or an activation on the logits breaks that. With weights of both signs the ReLUs cut, so
    f is no longer additive, and some logits are negative.
    """
    x = judge.rand(2, 1, 28, 28) * (judge.rand(2, 1, 28, 28) < 0.1)  # sparse, so that max pooling shows
    x = torch.cat([x, x.sum(dim=0, keepdim=True)])
    inputs = "x₁, x₂ (1, 1, 28, 28) in [0, 1], 90 % zeros, and x₁ + x₂, biases 0"
    outputs = []
    for signed in (False, True):
        seen = judge.probe("ch3.ex05.lenet_forward", x=x, weights=random_weights(judge, signed))
        if "missing" in seen:
            fail("无法把权重装入 LeNet5：这些参数不存在或形状不同。",
                 "The weights could not be loaded into LeNet5: these parameters are missing or have another shape.",
                 f"参数 parameters: {seen['missing']}")
        expect_logits(seen["result"], 3, judge.device, "LeNet5()(x)")
        outputs.append(seen["result"]["value"].double().cpu())
    plain, signed_out = outputs
    expect_close(plain[2], plain[0] + plain[1], "LeNet5()(x₁ + x₂) vs LeNet5()(x₁) + LeNet5()(x₂)",
                 atol=1e-6, rtol=1e-4, inputs=f"{inputs}, every weight ≥ 0 (then LeNet-5 is linear: "
                 "use AvgPool2d, not MaxPool2d, and no activation after fc3)")
    gap = float((signed_out[2] - signed_out[0] - signed_out[1]).abs().max() / signed_out.abs().max())
    expect(gap > 1e-3, "权重有正有负时 LeNet5 仍是线性的：conv1、conv2、fc1、fc2 之后应有 ReLU。",
           "With weights of both signs LeNet5 is still linear: a ReLU belongs after conv1, conv2, fc1 and fc2.",
           f"输入 input: {inputs}, weights of both signs")
    expect(bool((signed_out < 0).any()), "LeNet5 的输出没有负值：fc3 之后不应再有激活（ReLU、softmax）。",
           "LeNet5 returned no negative value: fc3's output must be returned as it is (no ReLU or softmax after it).",
           f"输入 input: {inputs}, weights of both signs")


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
    """count_parameters 只统计需要梯度的参数（冻结的参数与缓冲区不计，共享的参数只计一次）
    count_parameters counts only parameters that require grad (not frozen ones, not buffers; shared ones once)"""
    cases = [(dict(spec=FROZEN_SPEC, frozen=FROZEN), 378, "Conv2d(1, 4, 3) 已冻结 frozen, BatchNorm2d(4), "
              "Linear(36, 10); 共 418 个参数 parameters in all"),
             (dict(spec=TIED_SPEC, frozen=[], tied=TIED), 48, "Linear(6, 6), ReLU, Linear(6, 6), "
              "两个 Linear 共享同一个 weight / both Linear layers share one weight")]
    for inputs, expected, where in cases:
        seen = judge.probe("ch3.ex05.count_parameters", seed=0, **inputs)
        got = expect_number(seen["result"], "count_parameters(model)")
        expect_equal(got, expected, "count_parameters(model)", f"模型 model: {where}")


@check(EX, 0.5)
def test_summarize(judge: Judge) -> None:
    """summarize 返回 torchsummary 的表格文本（LeNet-5: Total params: 61,706），不打印任何内容
    summarize returns torchsummary's table as text (LeNet-5: Total params: 61,706) and prints nothing"""
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
        expect(seen["printed"] == 0, "summarize 打印了内容；应只返回表格文本，不打印。",
               "summarize printed something; it must return the table as text and print nothing.",
               f"打印了 printed {seen['printed']} 个字符 characters", f"模型 model: {where}")


@check(EX, 1)
def test_evaluate(judge: Judge) -> None:
    """evaluate 返回准确率，在 eval 模式、不建计算图下运行，并恢复模型原来的模式
    evaluate returns the accuracy, runs in eval mode without a graph, and restores the model's mode

    The model has batch norm and dropout. The labels make the last (short) batch all correct
    and about a third of the rest, so a mean of per-batch accuracies is far from the answer.
    """
    for training in (True, False):
        expect_evaluate(judge, EVAL_SPEC, 50, 16, training)


def tiny_run(judge: Judge, **options: Any) -> tuple[dict[str, Any], str]:
    """``train`` on 10 random images in batches of 8 and 2, for 2 epochs; what the probe saw."""
    n, batch_size, epochs = 10, 8, 2
    seen = judge.probe("ch3.ex05.train", seed=judge.randint(0, 2**31 - 1), train_x=judge.rand(n, 1, 28, 28),
                       train_y=torch.randint(0, 10, (n,), generator=judge.gen), val_x=judge.rand(10, 1, 28, 28),
                       val_y=torch.randint(0, 10, (10,), generator=judge.gen), predict_x=judge.rand(1, 1, 28, 28),
                       epochs=epochs, batch_size=batch_size, **options)
    return seen, f"{n} random images, batch_size {batch_size} (batches 8, 2), epochs={epochs}"


@check(EX, 1)
def test_train_history(judge: Judge) -> None:
    """train 返回每个 epoch 的 train_loss 与 val_accuracy，且模型在学习
    train returns train_loss and val_accuracy per epoch, and the model learns"""
    split, epochs = load_split(judge.randint(0, 2**31 - 1)), 3
    seen = judge.probe("ch3.ex05.train", seed=judge.randint(0, 2**31 - 1), train_x=split.train_x[:448],
                       train_y=split.train_y[:448], val_x=split.val_x, val_y=split.val_y,
                       predict_x=split.val_x, epochs=epochs, batch_size=32)
    values = history_values(seen, epochs)
    losses, accuracy = values["train_loss"], values["val_accuracy"]
    expect(all(0 < loss < math.log(10) + 0.5 for loss in losses),
           "train_loss 应是每个样本交叉熵的平均值（均匀猜测时约为 ln 10 ≈ 2.30），得到的值超出范围。",
           "train_loss must be the mean per-sample cross-entropy (about ln 10 ≈ 2.30 for a uniform guess); "
           "a value is out of range.", f"train_loss = {[round(v, 4) for v in losses]}")
    expect(all(0 <= a <= 1 for a in accuracy), "val_accuracy 应在 [0, 1] 之间。",
           "val_accuracy must lie in [0, 1].", f"val_accuracy = {accuracy}")
    expect_last_val_accuracy(seen, accuracy, split.val_y)
    expect(losses[-1] < losses[0] and accuracy[-1] > 0.25,  # chance is 0.1; the reference reaches 0.4-0.75
           "模型没有在学习：train_loss 没有下降或验证准确率仍低于 0.25（检查 zero_grad、backward、step 与损失函数）。",
           "The model is not learning: train_loss did not fall or the validation accuracy stayed below 0.25 "
           "(check zero_grad, backward, step and the loss).",
           f"train_loss = {[round(v, 4) for v in losses]}, val_accuracy = {[round(v, 4) for v in accuracy]}",
           f"输入 input: 448 training and {len(split.val_y)} validation images, {epochs} epochs, batch_size 32")


@check(EX, 0.5)
def test_train_loss_per_sample(judge: Judge) -> None:
    """train_loss 是每个 epoch 中每个样本交叉熵的平均值（不是各批平均值的平均）
    train_loss is the epoch's mean per-sample cross-entropy (not the mean of the batch means)"""
    seen, inputs = tiny_run(judge, record=True)
    losses = history_values(seen, 2)["train_loss"]
    expect_per_sample_losses(losses, training_steps(seen, inputs), inputs)


@check(EX, 0.5)
def test_train_steps(judge: Judge) -> None:
    """train 把模型移到 device，每步在训练模式下只用本批次的梯度（先清零），并使用参数 lr
    train moves the model to device; every step runs in training mode on this batch's gradient alone; lr is used"""
    seen, inputs = tiny_run(judge, record=True, lr=0.0)
    inputs += ", lr=0"
    expect_moved(seen, judge.device)
    expect_fresh_gradients(training_steps(seen, inputs), inputs)
    expect_lr_used(seen, inputs)


@check(EX, 0.5)
def test_train_logs(judge: Judge) -> None:
    """train 把 Loss/train 与 Accuracy/val 写入 log_dir（step 0..epochs−1，与返回的历史一致）
    train writes Loss/train and Accuracy/val to log_dir (steps 0..epochs−1, matching the history)"""
    seen, inputs = tiny_run(judge, log=True)
    expect_scalars(seen, history_values(seen, 2), 2, inputs)
