"""Public checks for ex02_linear / 基础 2 的公开检查。"""

import math

import torch
from torch import nn

from chapters.ch3.judging.ex02 import (
    expect_init_in_place,
    expect_own_linear,
    expect_unknown_scheme,
    init_law,
    linear_reference,
)
from grader.judge.check import Judge, check
from grader.judge.expect import expect, expect_kind, expect_sample, expect_tensor

EX = "ex02_linear"


def _case(judge: Judge, lead: tuple[int, ...], n_in: int, n_out: int, bias: bool,
          dtype: torch.dtype = torch.float32) -> tuple[dict, str]:
    """Inputs x (*lead, n_in), weight (n_out, n_in), bias (n_out,) or None; and how to name them."""
    case = {"x": judge.randn(*lead, n_in, dtype=dtype), "weight": judge.randn(n_out, n_in, dtype=dtype),
            "bias": judge.randn(n_out, dtype=dtype) if bias else None}
    return case, (f"x {tuple(case['x'].shape)}, W ({n_out}, {n_in}), {f'b ({n_out},)' if bias else 'no bias'}, "
                  f"{str(dtype).removeprefix('torch.')}")


def _init_weight(judge: Judge, scheme: str, n_in: int = 500, n_out: int = 300) -> None:
    """init_linear_ on nn.Linear(n_in, n_out): the weight follows the scheme's law."""
    seen = judge.probe("ch3.ex02.init", scheme=scheme, in_features=n_in, out_features=n_out, seed=judge.seed)
    what, inputs = f"init_linear_(layer, {scheme!r}): layer.weight", f"nn.Linear({n_in}, {n_out}), float32"
    weight = expect_tensor(seen["weight"], torch.zeros(n_out, n_in), what, device=judge.device,
                           atol=math.inf, inputs=inputs)  # shape, dtype, device here; values below
    expect_sample(weight, what, **init_law(scheme, n_in, n_out), inputs=inputs)


@check(EX, 1)
def test_forward_values(judge: Judge) -> None:
    """linear_forward 不借助 F.linear 算出与它一致的结果（1 至 3 维输入，有无偏置，float32/float64），不改输入
    linear_forward equals F.linear without calling it (1-d to 3-d inputs, with and without bias, float32 and
    float64), leaving its inputs as they were"""
    for lead, bias, dtype in (((4,), True, torch.float32), ((), False, torch.float32), ((2, 5), True, torch.float32),
                              ((3,), True, torch.float64)):
        case, inputs = _case(judge, lead, 3, 2, bias, dtype)
        seen = judge.probe("ch3.ex02.linear", **case)
        y, _ = linear_reference(**case)
        expect_tensor(seen["result"], y.to(dtype), "linear_forward(x, W, b)", device=judge.device, inputs=inputs)
        expect(seen["inputs_unchanged"], "linear_forward 修改了它的输入。", "linear_forward changed its inputs.",
               f"输入 input: {inputs}")
        expect_own_linear(judge, seen)


@check(EX, 1)
def test_forward_grads(judge: Judge) -> None:
    """linear_forward 可微：对 x、W、b 的梯度与 F.linear 的一致
    linear_forward is differentiable: its gradients w.r.t. x, W, b equal F.linear's"""
    for lead in ((4,), (2, 3)):
        case, inputs = _case(judge, lead, 5, 3, True)
        upstream = judge.randn(*lead, 3)
        seen = judge.probe("ch3.ex02.linear", **case, upstream=upstream)
        y, grads = linear_reference(**case, upstream=upstream)
        expect_tensor(seen["result"], y.float(), "linear_forward(x, W, b)", device=judge.device, inputs=inputs)
        inputs += f"; y.backward(g), g {tuple(upstream.shape)}"
        for name, grad in grads.items():
            expect(seen["grads"][name]["kind"] == "tensor",
                   f"y.backward(g) 之后 {name}.grad 为 None：计算图没有把 linear_forward 的结果连到 {name}。",
                   f"After y.backward(g), {name}.grad is None: the graph does not connect linear_forward's "
                   f"result to {name} (detach, .data, .item() or NumPy break it).", f"输入 input: {inputs}")
            expect_tensor(seen["grads"][name], grad.float(), f"{name}.grad", inputs=inputs)


@check(EX, 0.5)
def test_init_xavier(judge: Judge) -> None:
    """init_linear_ 的 xavier_uniform 与 xavier_normal 符合理论分布
    init_linear_ with xavier_uniform and xavier_normal follows the theoretical laws"""
    for scheme in ("xavier_uniform", "xavier_normal"):
        _init_weight(judge, scheme)


@check(EX, 0.5)
def test_init_kaiming(judge: Judge) -> None:
    """init_linear_ 的 kaiming_uniform 与 kaiming_normal（fan_in，ReLU）符合理论分布
    init_linear_ with kaiming_uniform and kaiming_normal (fan_in, ReLU) follows the theoretical laws"""
    for scheme in ("kaiming_uniform", "kaiming_normal"):
        _init_weight(judge, scheme)


@check(EX, 0.5)
def test_init_normal_and_zeros(judge: Judge) -> None:
    """init_linear_ 的 normal（std 0.01）与 zeros 正确
    init_linear_ with normal (std 0.01) and zeros is right"""
    for scheme in ("normal", "zeros"):
        _init_weight(judge, scheme)


@check(EX, 0.5)
def test_init_in_place(judge: Judge) -> None:
    """init_linear_ 原地修改（参数对象、形状、dtype、设备、requires_grad 不变）、偏置置零、返回同一个层；无偏置的层也可
    init_linear_ works in place (same Parameters, shape, dtype, device, requires_grad), zeroes the bias and
    returns the same layer; a layer without bias too"""
    for bias, dtype in ((True, torch.float32), (False, torch.float64), (True, torch.float64)):
        name = str(dtype).removeprefix("torch.")
        seen = judge.probe("ch3.ex02.init", scheme="xavier_uniform", in_features=20, out_features=10,
                           seed=judge.seed, bias=bias, dtype=name)
        expect_init_in_place(seen, "init_linear_(layer, 'xavier_uniform')", 20, 10, bias, dtype, judge.device,
                             f"nn.Linear(20, 10, bias={bias}), {name}")


@check(EX, 0.5)
def test_unknown_scheme(judge: Judge) -> None:
    """未知的方案（包括有效方案名的一部分）引发 ValueError，消息列出所有有效方案
    an unknown scheme (part of a valid one's name included) raises ValueError whose message lists every valid scheme"""
    for scheme in ("glorot", "xavier"):
        expect_unknown_scheme(judge, scheme)


@check(EX, 0.5)
def test_default_init_bound(judge: Judge) -> None:
    """nn.Linear 的默认权重符合 U(−b, b)，b = default_init_bound(in)
    nn.Linear's default weights follow U(−b, b) with b = default_init_bound(in)"""
    for n_in in (1, 4, 100):
        seen = judge.call("default_init_bound", n_in)
        expect_kind(seen, "scalar", f"default_init_bound({n_in})")
        expect(isinstance(seen["value"], float), f"default_init_bound({n_in}) 返回了 {seen['type']}，应为 float。",
               f"default_init_bound({n_in}) returned {seen['type']}; expected a float.")
        n_out = 20_000 // n_in
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(judge.seed)
            weight = nn.Linear(n_in, n_out).weight.detach()
        expect_sample(weight, f"nn.Linear({n_in}, {n_out}).weight (default init)", law="uniform",
                      std=seen["value"] / math.sqrt(3),
                      inputs=f"b = default_init_bound({n_in}) = {seen['value']:.6g}; expected law U(−b, b)")
