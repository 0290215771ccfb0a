"""Hidden checks for ex02_linear / 基础 2 的隐藏检查: random shapes, dtypes and layer sizes."""

import math

import torch

from chapters.ch3.judging.ex02 import (
    SCHEMES,
    expect_init_in_place,
    expect_own_linear,
    expect_unknown_scheme,
    init_law,
    linear_reference,
)
from grader.judge.check import Judge, check
from grader.judge.expect import (
    expect,
    expect_close,
    expect_kind,
    expect_sample,
    expect_tensor,
)

EX = "ex02_linear"
# names that are not schemes: other libraries' names, parts of a scheme's name, a scheme in capitals
NOT_SCHEMES = ["glorot_uniform", "he_normal", "kaiming", "uniform", "zero", "Xavier_Uniform", "KAIMING_NORMAL",
               "xavier_uniform_", ""]


def _draw(judge: Judge, dtype: torch.dtype) -> tuple[dict, str]:
    """x of 1 to 4 dims (..., in), weight (out, in), bias or None, an upstream gradient; their description."""
    lead = [judge.randint(1, 4) for _ in range(judge.randint(0, 3))]
    n_in, n_out = judge.randint(1, 9), judge.randint(1, 9)
    bias = judge.choice([True, False])
    case = {"x": judge.randn(*lead, n_in, dtype=dtype), "weight": judge.randn(n_out, n_in, dtype=dtype),
            "bias": judge.randn(n_out, dtype=dtype) if bias else None,
            "upstream": judge.randn(*lead, n_out, dtype=dtype)}
    kind = f"{len(lead) + 1}-d x, {'with' if bias else 'no'} bias, {str(dtype).removeprefix('torch.')}"
    return case, kind


@check(EX, 1, hidden=True)
def test_forward_random(judge: Judge) -> None:
    """linear_forward 对随机形状、float32/float64 都与 F.linear 一致
    linear_forward equals F.linear for random shapes, float32 and float64"""
    for dtype in (torch.float32, torch.float64, judge.choice([torch.float32, torch.float64])):
        case, kind = _draw(judge, dtype)
        del case["upstream"]
        seen = judge.probe("ch3.ex02.linear", **case)
        y, _ = linear_reference(**case)
        expect_tensor(seen["result"], y.to(dtype), "linear_forward(x, W, b)", device=judge.device, inputs=kind)
        expect(seen["inputs_unchanged"], "linear_forward 修改了它的输入。", "linear_forward changed its inputs.",
               f"输入 input: {kind}")
        expect_own_linear(judge, seen)


@check(EX, 1, hidden=True)
def test_grads_random(judge: Judge) -> None:
    """随机形状下对 x、W、b 的梯度与 F.linear 的一致
    gradients w.r.t. x, W, b equal F.linear's for random shapes"""
    for _ in range(3):
        case, kind = _draw(judge, torch.float64)
        seen = judge.probe("ch3.ex02.linear", **case)
        y, grads = linear_reference(**case)
        expect_tensor(seen["result"], y, "linear_forward(x, W, b)", device=judge.device, inputs=kind)
        for name, grad in grads.items():
            expect_tensor(seen["grads"][name], grad, f"y.backward(g) 之后 after: {name}.grad", inputs=kind)


@check(EX, 0.5, hidden=True)
def test_gradcheck(judge: Judge) -> None:
    """linear_forward 通过 float64 的 torch.autograd.gradcheck
    linear_forward passes torch.autograd.gradcheck in float64"""
    n_in, n_out = judge.randint(1, 4), judge.randint(1, 4)
    x, w, b = (judge.randn(judge.randint(1, 3), n_in, dtype=torch.float64),
               judge.randn(n_out, n_in, dtype=torch.float64), judge.randn(n_out, dtype=torch.float64))
    seen = judge.probe("ch3.ex02.gradcheck", x=x, weight=w, bias=b)
    expect_kind(seen["result"], "tensor", "linear_forward(x, W, b)")
    expect(seen["result"]["requires_grad"], "linear_forward 的结果不需要梯度：它没有接在计算图上。",
           "linear_forward's result does not require grad: it is not connected to the graph.")
    expect(seen["result"]["dtype"] == "float64", f"linear_forward 对 float64 输入返回了 {seen['result']['dtype']}。",
           f"linear_forward returned {seen['result']['dtype']} for float64 inputs; expected float64.")
    expect(seen["passed"], "linear_forward 没有通过 gradcheck：反向传播的梯度与数值梯度不一致。",
           "linear_forward fails gradcheck: its backward gradients differ from numerical ones.",
           "输入 input: float64 x (N, in), W, b")


@check(EX, 1.5, hidden=True)
def test_init_random(judge: Judge) -> None:
    """init_linear_ 对随机大小、dtype、有无偏置的层，每种方案都符合理论分布且原地修改
    init_linear_ follows each scheme's law in place for layers of random size, dtype and bias"""
    for scheme in SCHEMES:
        small = judge.randint(100, 200)  # fan_in and fan_out 1.5× apart or more, ≥ 15 000 samples
        n_in, n_out = judge.choice([(small, judge.randint(small * 3 // 2, 600)),
                                    (judge.randint(small * 3 // 2, 600), small)])
        dtype, bias = judge.choice([torch.float32, torch.float64]), judge.choice([True, False])
        name = str(dtype).removeprefix("torch.")
        seen = judge.probe("ch3.ex02.init", scheme=scheme, in_features=n_in, out_features=n_out,
                           seed=judge.randint(0, 2**31 - 1), bias=bias, dtype=name)
        what, kind = f"init_linear_(layer, {scheme!r})", f"nn.Linear(in, out, bias={bias}), {name}"
        weight = expect_init_in_place(seen, what, n_in, n_out, bias, dtype, judge.device, kind)
        expect_sample(weight, f"{what}: layer.weight", **init_law(scheme, n_in, n_out), inputs=kind)


@check(EX, 0.5, hidden=True)
def test_unknown_schemes(judge: Judge) -> None:
    """其他名字（大小写不同、有效方案名的一部分、其他库的名字）都引发列出所有有效方案的 ValueError
    other names (other case, part of a scheme's name, other libraries' names) raise a ValueError listing the schemes"""
    for _ in range(2):
        expect_unknown_scheme(judge, judge.choice(NOT_SCHEMES))


@check(EX, 0.5, hidden=True)
def test_default_bound_exact(judge: Judge) -> None:
    """default_init_bound(in) 等于 1/√in
    default_init_bound(in) equals 1/√in"""
    for n_in in (judge.randint(1, 50), judge.randint(51, 5000)):
        seen = judge.call("default_init_bound", n_in)
        expect_kind(seen, "scalar", "default_init_bound(in)")
        expect(isinstance(seen["value"], float), f"default_init_bound 返回了 {seen['type']}，应为 float。",
               f"default_init_bound returned {seen['type']}; expected a float.")
        want = torch.tensor(1 / math.sqrt(n_in), dtype=torch.float64)
        expect_close(torch.tensor(seen["value"], dtype=torch.float64), want, "default_init_bound(in)",
                     atol=0, rtol=1e-6, inputs="a random in_features")
