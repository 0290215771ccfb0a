"""Hidden checks for ex05_lenet5 / 应用 5 的隐藏检查: a reference LeNet-5, random models, TensorBoard
logs, and the accuracy reached on images the student code never sees."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torchsummary import summary

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
from chapters.ch3.probes.ex05 import Spec, build_model
from grader.judge.capture import printed
from grader.judge.check import Judge, check
from grader.judge.expect import (
    expect,
    expect_equal,
    expect_number,
    expect_tensor,
    fail,
)

EX = "ex05_lenet5"
SHAPES = {  # parameter → shape, as in the exercise statement
    "conv1.weight": (6, 1, 5, 5), "conv1.bias": (6,), "conv2.weight": (16, 6, 5, 5), "conv2.bias": (16,),
    "fc1.weight": (120, 400), "fc1.bias": (120,), "fc2.weight": (84, 120), "fc2.bias": (84,),
    "fc3.weight": (10, 84), "fc3.bias": (10,),
}
# Accuracy check, calibrated on the digits: the reference reached 0.916-0.976 on the splits of
# run seeds 0-9; an untrained model, a loop without optimizer.step() (0.09-0.16) or with NLL on
# raw logits (0.07-0.11), or without zero_grad() (0.09-0.75), stays below 0.85.
EPOCHS, BATCH_SIZE = 10, 32
THRESHOLDS = {"digits": 0.85, "mnist": 0.85}


def reference_lenet(x: torch.Tensor, w: dict[str, torch.Tensor]) -> torch.Tensor:
    """The chapter's LeNet-5 with the weights ``w``: (N, 1, 28, 28) → (N, 10)."""
    x = F.avg_pool2d(F.relu(F.conv2d(x, w["conv1.weight"], w["conv1.bias"], padding=2)), 2)
    x = F.avg_pool2d(F.relu(F.conv2d(x, w["conv2.weight"], w["conv2.bias"])), 2)
    x = F.relu(F.linear(x.flatten(1), w["fc1.weight"], w["fc1.bias"]))
    x = F.relu(F.linear(x, w["fc2.weight"], w["fc2.bias"]))
    return F.linear(x, w["fc3.weight"], w["fc3.bias"])


def random_model(judge: Judge) -> tuple[Spec, list[int], list[str]]:
    """A random small CNN spec, its input size (C, H, W), and a random set of frozen parameters."""
    channels, side, width, kernel = judge.randint(1, 3), judge.randint(8, 14), judge.randint(2, 6), judge.randint(2, 4)
    flat, hidden = width * ((side - kernel + 1) // 2) ** 2, judge.randint(4, 24)
    spec: Spec = [["conv", channels, width, kernel], ["relu"], ["pool", 2], ["flatten"],
                  ["linear", flat, hidden], ["relu"], ["linear", hidden, judge.randint(2, 10)]]
    if judge.randint(0, 1):
        spec.insert(1, ["bn2d", width])
    layers = [i for i, entry in enumerate(spec) if entry[0] in ("conv", "bn2d", "linear")]
    frozen = [f"{i}.{name}" for i in layers for name in ("weight", "bias") if judge.randint(0, 2) == 0]
    return spec, [channels, side, side], frozen


def describe_model(spec: Spec, input_size: list[int], frozen: list[str]) -> str:
    layers = ", ".join(entry[0] for entry in spec)
    return f"Sequential({layers}), input_size {tuple(input_size)}, {len(frozen)} frozen parameters"


@check(EX, 0.5, hidden=True)
def test_forward_matches_reference(judge: Judge) -> None:
    """装入相同权重后，LeNet5 的输出与参考 LeNet-5 一致
    LeNet5 with the same weights gives the reference LeNet-5's logits"""
    weights = {}
    for name, shape in SHAPES.items():
        fan_in = math.prod(SHAPES[name.replace("bias", "weight")][1:])
        weights[name] = (judge.rand(*shape) * 2 - 1) / math.sqrt(fan_in)
    rows = judge.randint(1, 6)
    x = judge.rand(rows, 1, 28, 28)
    seen = judge.probe("ch3.ex05.lenet_forward", x=x, weights=weights)
    if "missing" in seen:
        fail("无法把参考权重装入 LeNet5：这些参数不存在或形状不同。",
             "The reference weights could not be loaded into LeNet5: these parameters are missing or have "
             "another shape.", f"参数 parameters: {seen['missing']}")
    expected = reference_lenet(x.double(), {k: v.double() for k, v in weights.items()}).float()
    expect_tensor(seen["result"], expected, "LeNet5()(x)", device=judge.device, atol=1e-4, rtol=1e-3,
                  inputs=f"({rows}, 1, 28, 28) float32 in [0, 1], random weights")


@check(EX, 0.5, hidden=True)
def test_count_parameters_random(judge: Judge) -> None:
    """count_parameters 对随机小模型（部分参数冻结，可能共享一个参数）计数正确
    count_parameters is right for random small models with some parameters frozen, one maybe shared"""
    for _ in range(3):
        spec, input_size, frozen = random_model(judge)
        tied: list[list[str]] = []
        if judge.randint(0, 1):  # two more Linear(k, k) sharing one weight
            k = spec[-1][2]
            spec += [["relu"], ["linear", k, k], ["relu"], ["linear", k, k]]
            tied = [[f"{len(spec) - 3}.weight", f"{len(spec) - 1}.weight"]]
        model = build_model(spec, 0)
        expected = sum(p.numel() for name, p in model.named_parameters()
                       if name not in frozen and all(name != target for _, target in tied))
        seen = judge.probe("ch3.ex05.count_parameters", spec=spec, seed=0, frozen=frozen, tied=tied)
        got = expect_number(seen["result"], "count_parameters(model)")
        expect_equal(got, expected, "count_parameters(model)",
                     f"模型 model: {describe_model(spec, input_size, frozen)}",
                     "只计 requires_grad=True 的参数 / only parameters with requires_grad=True count")


@check(EX, 0.5, hidden=True)
def test_summarize_matches_torchsummary(judge: Judge) -> None:
    """summarize 对随机模型与输入尺寸给出与 torchsummary 相同的表格
    summarize gives torchsummary's table for random models and input sizes"""
    for _ in range(2):
        spec, input_size, frozen = random_model(judge)
        model = build_model(spec, 0)
        for name, param in model.named_parameters():
            param.requires_grad_(name not in frozen)
        table = printed(summary, model, tuple(input_size), device="cpu")
        seen = judge.probe("ch3.ex05.summarize", input_size=input_size, spec=spec, frozen=frozen)
        text = seen["result"].get("value")
        expect(isinstance(text, str), f"summarize 返回了 {seen['result']['type']}，应为 str。",
               f"summarize returned {seen['result']['type']}; expected a str.")
        expect(seen["printed"] == 0, "summarize 打印了内容；应只返回表格文本，不打印。",
               "summarize printed something; it must return the table as text and print nothing.",
               f"模型 model: {describe_model(spec, input_size, frozen)}")
        want, got = ([line.rstrip() for line in t.strip().splitlines()] for t in (table, text))
        if want != got:
            row = next((i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a != b), min(len(want), len(got)))
            fail("summarize 的文本与 torchsummary 打印的表格不同。", "summarize's text differs from the table "
                 "torchsummary prints.", f"第 {row + 1} 行 line {row + 1}: 期望 expected "
                 f"{want[row] if row < len(want) else '(end)'!r}, 得到 got {got[row] if row < len(got) else '(end)'!r}",
                 f"模型 model: {describe_model(spec, input_size, frozen)}")


@check(EX, 0.5, hidden=True)
def test_evaluate_any(judge: Judge) -> None:
    """evaluate 对随机模型、样本数、批大小与调用前的模式都正确
    evaluate is right for random models, sample counts, batch sizes and modes before the call"""
    for training in (True, False):
        width, classes = judge.randint(4, 40), judge.randint(2, 10)
        spec: Spec = [["flatten"], ["linear", 784, width], ["bn1d", width], ["relu"], ["dropout", 0.5],
                      ["linear", width, classes]]
        expect_evaluate(judge, spec, judge.randint(5, 90), judge.randint(1, 24), training)


@check(EX, 0.5, hidden=True)
def test_train_any_size(judge: Judge) -> None:
    """train 对随机的数据量、批大小与 epoch 数：每样本平均损失、每步只用本批次梯度、训练模式、TensorBoard 日志都正确
    train, for random sizes, batch sizes, epochs: per-sample mean loss, fresh gradients, train mode, TensorBoard logs"""
    split, epochs = load_split(judge.randint(0, 2**31 - 1)), judge.randint(2, 3)
    n, batch_size, lr = judge.randint(60, 160), judge.randint(8, 48), judge.choice([None, 0.0])
    seen = judge.probe("ch3.ex05.train", seed=judge.randint(0, 2**31 - 1), train_x=split.train_x[:n],
                       train_y=split.train_y[:n], val_x=split.val_x, val_y=split.val_y,
                       predict_x=split.val_x, epochs=epochs, batch_size=batch_size, log=True, record=True, lr=lr)
    inputs = f"{n} training images, batch_size {batch_size}, epochs={epochs}, lr={'default' if lr is None else lr}"
    values = history_values(seen, epochs)
    expect_moved(seen, judge.device)
    steps = training_steps(seen, inputs)
    expect_per_sample_losses(values["train_loss"], steps, inputs)
    expect_fresh_gradients(steps, inputs)
    if lr == 0:
        expect_lr_used(seen, inputs)
    expect_scalars(seen, values, epochs, inputs)
    expect_last_val_accuracy(seen, values["val_accuracy"], split.val_y)


@check(EX, 1, hidden=True)
def test_train_accuracy(judge: Judge) -> None:
    """用 train() 训练的 LeNet5 在从未见过的图像上达到准确率门槛
    LeNet5 trained with train() reaches the accuracy threshold on images it never saw"""
    seed = judge.randint(0, 2**31 - 1)
    split = load_split(seed)
    seen = judge.probe("ch3.ex05.train", seed=seed, train_x=split.train_x, train_y=split.train_y,
                       val_x=split.val_x, val_y=split.val_y, predict_x=split.test_x,
                       epochs=EPOCHS, batch_size=BATCH_SIZE)
    where = (f"{split.source}: {len(split.train_y)} training images, {len(split.test_y)} test images; "
             f"epochs={EPOCHS}, batch_size={BATCH_SIZE}, default lr")
    expect("labels" in seen, "训练后的模型没有返回 (N, 10) 的 logits。",
           "After training, the model did not return (N, 10) logits.", where)
    accuracy = (seen["labels"] == split.test_y).double().mean().item()
    threshold = THRESHOLDS[split.source]
    expect(accuracy >= threshold, "训练后的模型在测试图像上的准确率低于门槛。",
           "The trained model's accuracy on the test images is below the threshold.",
           f"准确率 accuracy {accuracy:.3f}, 门槛 threshold {threshold:.2f}", where)
