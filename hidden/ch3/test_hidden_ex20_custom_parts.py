"""Hidden checks for ex20_custom_parts / 练习 20 的隐藏检查: random shapes, deltas, dtypes and layer sizes."""

import torch

from chapters.ch3.judging.ex20 import expect_forward, expect_huber, expect_init, residuals
from grader.judge.check import Judge, check

EX = "ex20_custom_parts"


@check(EX, 1.25, hidden=True)
def test_huber_random(judge: Judge) -> None:
    """HuberLoss 对随机形状（含 0 维）、delta 与 dtype 的值与梯度都正确
    HuberLoss's value and gradients are right for random shapes (0-d included), deltas and dtypes"""
    for _ in range(3):
        shape = tuple(judge.randint(1, 5) for _ in range(judge.randint(0, 3)))
        delta = judge.choice([None, 0.1, 0.7, 1.0, 3.0])
        dtype = judge.choice([torch.float32, torch.float64])
        pred, target = residuals(judge, shape, 1.0 if delta is None else delta, dtype)
        seen = judge.probe("ch3.ex20.loss", pred=pred, target=target, delta=delta)
        expect_huber(judge, seen, pred, target, 1.0 if delta is None else delta,
                     f"random {str(dtype).removeprefix('torch.')}, {len(shape)}-d, "
                     f"{'default delta' if delta is None else f'delta {delta}'}")


@check(EX, 1.25, hidden=True)
def test_layer_random(judge: Judge) -> None:
    """CustomLinear 对随机大小：登记的参数与初始化、forward、梯度与 SGD 训练都正确
    CustomLinear for random sizes: its registered parameters and init, forward, gradients and SGD training"""
    n_in, n_out = judge.randint(100, 200), judge.randint(50, 120)
    seen = judge.probe("ch3.ex20.build", in_features=n_in, out_features=n_out, seed=judge.seed)
    expect_init(seen, n_in, n_out, judge.device)
    n_in, n_out = judge.randint(1, 6), judge.randint(1, 6)
    lead = tuple(judge.randint(1, 4) for _ in range(judge.randint(0, 2)))
    steps = judge.randint(1, 4)
    case = {"weight": judge.randn(n_in, n_out), "bias": judge.randn(n_out), "x": judge.randn(*lead, n_in),
            "upstream": judge.randn(*lead, n_out), "target": judge.randn(*lead, n_out),
            "lr": judge.choice([0.01, 0.05, 0.2]), "steps": steps}
    seen = judge.probe("ch3.ex20.forward", **case)
    expect_forward(judge, seen, case, "layer(x)", f"random CustomLinear({n_in}, {n_out}), {len(lead)} leading "
                   f"dims, {steps} SGD steps")
