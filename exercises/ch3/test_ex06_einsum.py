"""Public checks for ex06_einsum / 深化 6 的公开检查。"""

import torch

from chapters.ch3.judging.ex06 import NAMES, expect_einsum, expect_rows, expect_unchanged, reference
from grader.judge.check import Judge, check
from grader.judge.expect import expect, expect_kind, expect_tensor, fail, shape_text
from grader.probing.observe import describe

EX = "ex06_einsum"
SHAPES = {
    "matmul": [(3, 4), (4, 5)],
    "transpose": [(3, 5)],
    "batch_matmul": [(2, 3, 4), (2, 4, 5)],
    "bilinear": [(2, 3), (3, 4, 5), (2, 4)],
    "trace": [(4, 4)],
    "inner": [(6,), (6,)],
    "outer": [(3,), (5,)],
    "attention_weights": [(2, 3, 8), (2, 5, 8)],
}


def _operands(judge: Judge, name: str, dtype: torch.dtype = torch.float32,
              scale: float = 1.0) -> tuple[list[torch.Tensor], str]:
    """Operands of the fixed shapes for ``name`` (times ``scale``), and how to describe them."""
    operands = [judge.randn(*shape, dtype=dtype) * scale for shape in SHAPES[name]]
    return operands, f"{str(dtype).removeprefix('torch.')}, shapes " + ", ".join(shape_text(s) for s in SHAPES[name])


def _expect_values(judge: Judge, names: tuple[str, ...]) -> None:
    """Each function of ``names`` gives the right shape, dtype, device and values, computed with
    torch.einsum, and leaves its inputs unchanged."""
    calls = {}
    for name in names:
        operands, inputs = _operands(judge, name)
        seen = judge.probe("ch3.ex06.call", func=name, args=operands)
        expect_tensor(seen["result"], reference(name, *operands), f"{name}(…)", device=judge.device, inputs=inputs)
        expect_unchanged(seen, operands, name, inputs)
        calls[name] = seen["einsum_calls"]
    expect_einsum(judge, calls)


@check(EX, 1)
def test_equations(judge: Judge) -> None:
    """EQUATIONS 的每个方程经 torch.einsum 计算出对应的运算
    each EQUATIONS string, run through torch.einsum, computes its operation"""
    seen = judge.probe("ch3.ex06.EQUATIONS", names=list(NAMES))
    expect_kind(seen, "dict", "EQUATIONS")
    for name in NAMES:
        item, what = seen["items"][name], f"EQUATIONS[{name!r}]"
        expect(item["type"] == "str", f"{what} 的类型是 {item['type']}，应为 str。",
               f"{what} has type {item['type']}; expected str.")
        operands, inputs = _operands(judge, name, torch.float64)
        try:
            got = torch.einsum(item["value"], *operands)
        except Exception as err:  # noqa: BLE001 - whatever the equation makes einsum raise
            fail(f"{what} = {item['value']!r} 不是这些操作数的有效方程。",
                 f"{what} = {item['value']!r} is not a valid equation for these operands.",
                 f"输入 input: {inputs}", f"torch.einsum: {str(err)[:200]}")
        expect_tensor(describe(got), reference(name, *operands, equation=True),
                      f"torch.einsum({what}, …)", inputs=inputs)


@check(EX, 1)
def test_uses_einsum(judge: Judge) -> None:
    """每个函数都调用了 torch.einsum（按源代码与运行时判断）
    every function calls torch.einsum (judged from its source and at run time)"""
    expect_einsum(judge, {name: judge.probe("ch3.ex06.call", func=name, args=_operands(judge, name)[0])["einsum_calls"]
                          for name in NAMES})


@check(EX, 1)
def test_matmul_transpose_bmm(judge: Judge) -> None:
    """matmul、transpose、batch_matmul 的结果正确，用 torch.einsum 计算，且不修改输入
    matmul, transpose and batch_matmul give the right results, computed with torch.einsum, inputs unchanged"""
    _expect_values(judge, ("matmul", "transpose", "batch_matmul"))


@check(EX, 1)
def test_trace_inner_outer(judge: Judge) -> None:
    """trace、inner、outer 的结果正确（trace 与 inner 为 0 维张量），用 torch.einsum 计算，且不修改输入
    trace, inner and outer give the right results (trace and inner 0-d tensors), computed with torch.einsum,
    inputs unchanged"""
    _expect_values(judge, ("trace", "inner", "outer"))


@check(EX, 1)
def test_bilinear_attention(judge: Judge) -> None:
    """bilinear 与 attention_weights 的结果正确（分数很大时也数值稳定），用 torch.einsum 计算，且不修改输入
    bilinear and attention_weights give the right results (stable for large scores too), computed with
    torch.einsum, inputs unchanged"""
    _expect_values(judge, ("bilinear", "attention_weights"))
    operands, inputs = _operands(judge, "attention_weights", scale=30.0)
    inputs += ", large scores"
    seen = judge.probe("ch3.ex06.call", func="attention_weights", args=operands)
    result, expected = seen["result"], reference("attention_weights", *operands)
    if result.get("kind") == "tensor" and result["shape"] == list(expected.shape):
        expect_rows(result["value"].to(torch.float64), inputs)
    expect_tensor(result, expected, "attention_weights(q, k)", device=judge.device, inputs=inputs)
