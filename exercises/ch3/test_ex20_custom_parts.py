"""Public checks for ex20_custom_parts / 练习 20 的公开检查。"""

import torch

from chapters.ch3.judging.ex20 import expect_forward, expect_huber, expect_init, expect_registered, residuals
from grader.judge.check import Judge, check

EX = "ex20_custom_parts"


def _huber(judge: Judge, shape: tuple[int, ...], delta: float | None, dtype: torch.dtype = torch.float32) -> None:
    """HuberLoss(delta) (HuberLoss() for None, delta 1) on residuals on both sides of delta."""
    pred, target = residuals(judge, shape, 1.0 if delta is None else delta, dtype)
    seen = judge.probe("ch3.ex20.loss", pred=pred, target=target, delta=delta)
    expect_huber(judge, seen, pred, target, 1.0 if delta is None else delta,
                 f"pred, target {tuple(shape)} {str(dtype).removeprefix('torch.')}, "
                 f"{'HuberLoss() (default delta)' if delta is None else f'delta {delta}'}")


@check(EX, 1.5)
def test_huber_values(judge: Judge) -> None:
    """HuberLoss 是无参数的 nn.Module，给出 Huber 损失的平均值（0 维、pred 的 dtype），delta 默认为 1，不改输入，
    不用内置的 Huber/smooth-L1 损失
    HuberLoss is a parameter-free nn.Module giving the mean Huber loss (0-d, pred's dtype), delta defaults to 1,
    inputs left alone, no built-in Huber or smooth-L1 loss"""
    _huber(judge, (8,), None)
    _huber(judge, (3, 4), 0.5)
    _huber(judge, (2, 3), 2.0, torch.float64)


@check(EX, 1)
def test_huber_grads(judge: Judge) -> None:
    """HuberLoss 可微：对 pred 与 target 的梯度正确（两段各自的导数）
    HuberLoss is differentiable: its gradients w.r.t. pred and target are right (each piece's derivative)"""
    _huber(judge, (4, 5), 0.3)
    _huber(judge, (5,), 1.5, torch.float64)


@check(EX, 1.5)
def test_layer_parameters(judge: Judge) -> None:
    """CustomLinear 登记恰好两个 nn.Parameter：weight (in, out) 与 bias (out,)，float32，需要梯度，bias 为 0，
    state_dict 中恰好是它们
    CustomLinear registers exactly two nn.Parameters, weight (in, out) and bias (out,), float32, requiring grad,
    the bias zero, and its state_dict holds exactly them"""
    for n_in, n_out in ((3, 2), (1, 5)):
        seen = judge.probe("ch3.ex20.build", in_features=n_in, out_features=n_out, seed=judge.seed)
        expect_registered(seen, n_in, n_out, judge.device)


@check(EX, 1)
def test_layer_init(judge: Judge) -> None:
    """CustomLinear 的 weight 服从标准正态分布 N(0, 1)，取自全局随机数生成器（同一种子下可复现）
    CustomLinear's weight follows the standard normal law N(0, 1), drawn from the global generator (the same
    seed gives the same weight)"""
    seen = judge.probe("ch3.ex20.build", in_features=200, out_features=100, seed=judge.seed)
    expect_init(seen, 200, 100, judge.device)


def _layer_case(judge: Judge, lead: tuple[int, ...], n_in: int, n_out: int, steps: int = 0) -> tuple[dict, str]:
    """The inputs of ``ex20.forward`` for x (*lead, n_in) and a layer (n_in, n_out); how to name them."""
    case = {"weight": judge.randn(n_in, n_out), "bias": judge.randn(n_out), "x": judge.randn(*lead, n_in),
            "upstream": judge.randn(*lead, n_out), "target": judge.randn(*lead, n_out), "lr": 0.1, "steps": steps}
    return case, f"CustomLinear({n_in}, {n_out}) with given W and b, x {(*lead, n_in)} float32"


@check(EX, 1.5)
def test_layer_forward(judge: Judge) -> None:
    """CustomLinear 的 forward 给出 x W + b（0 至 2 个前导维），梯度到达 weight、bias 与 x
    CustomLinear's forward gives x W + b (0 to 2 leading dimensions), and gradients reach weight, bias and x"""
    for lead in ((4,), (), (2, 3)):
        case, inputs = _layer_case(judge, lead, 3, 2)
        seen = judge.probe("ch3.ex20.forward", **case)
        expect_forward(judge, seen, case, "layer(x)", inputs)


@check(EX, 1)
def test_layer_trains(judge: Judge) -> None:
    """优化器 SGD(layer.parameters()) 训练 weight 与 bias 两者（3 步 MSE）
    an optimizer SGD(layer.parameters()) trains both weight and bias (3 steps on the MSE)"""
    case, inputs = _layer_case(judge, (6,), 4, 3, steps=3)
    seen = judge.probe("ch3.ex20.forward", **case)
    expect_forward(judge, seen, case, "layer(x)", inputs + ", 3 SGD steps")
