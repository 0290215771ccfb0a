"""Hidden checks for ex06_einsum / 深化 6 的隐藏检查: random shapes, dtypes and values."""

from typing import Any

import torch

from chapters.ch3.judging.ex06 import expect_einsum, expect_rows, expect_unchanged, reference
from grader.judge.check import Judge, check
from grader.judge.expect import expect_tensor, shape_text
from grader.probing.observe import describe

EX = "ex06_einsum"


def _draw(judge: Judge, name: str, dtype: torch.dtype | None = None,
          scale: float = 1.0) -> tuple[list[torch.Tensor], str]:
    """Operands for ``name`` of random sizes (1 to 7) and dtype, and how to describe them."""
    b, i, j, k = (judge.randint(1, 7) for _ in range(4))
    shapes = {
        "matmul": [(i, j), (j, k)],
        "transpose": [(i, j)],
        "batch_matmul": [(b, i, j), (b, j, k)],
        "bilinear": [(b, i), (i, j, k), (b, j)],
        "trace": [(i, i)],
        "inner": [(i,), (i,)],
        "outer": [(i,), (j,)],
        "attention_weights": [(b, i, 2 * k), (b, j, 2 * k)],
    }[name]
    dtype = dtype or judge.choice([torch.float32, torch.float64])
    operands = [judge.randn(*shape, dtype=dtype) * scale for shape in shapes]
    return operands, f"random {str(dtype).removeprefix('torch.')}, shapes " + ", ".join(map(shape_text, shapes))


def _expect_random(judge: Judge, names: tuple[str, ...], rounds: int = 3) -> None:
    """Each function of ``names`` is right on ``rounds`` random draws, computed with torch.einsum,
    leaving its inputs unchanged; and so is its equation in EQUATIONS."""
    table = judge.probe("ch3.ex06.EQUATIONS", names=list(names))["items"]
    calls = dict.fromkeys(names, 1)
    for _ in range(rounds):
        for name in names:
            operands, inputs = _draw(judge, name)
            seen = judge.probe("ch3.ex06.call", func=name, args=operands)
            expect_tensor(seen["result"], reference(name, *operands), f"{name}(…)", device=judge.device,
                          atol=1e-4, inputs=inputs)
            expect_unchanged(seen, operands, name, inputs)
            calls[name] = min(calls[name], seen["einsum_calls"])
            _expect_equation(table[name], name, operands, inputs)
    expect_einsum(judge, calls)


def _expect_equation(item: dict[str, Any], name: str, operands: list[torch.Tensor], inputs: str) -> None:
    """The EQUATIONS entry ``item`` of ``name``, run through torch.einsum on ``operands``, computes its operation."""
    if item.get("type") != "str":
        return  # told by the public check
    wide = [o.to(torch.float64) for o in operands]
    try:
        got = describe(torch.einsum(item["value"], *wide))
    except Exception:  # noqa: BLE001 - whatever the equation makes einsum raise: told as no tensor
        got = describe(None)
    expect_tensor(got, reference(name, *wide, equation=True), f"torch.einsum(EQUATIONS[{name!r}], …)", inputs=inputs)


@check(EX, 1, hidden=True)
def test_matmul_transpose_bmm_random(judge: Judge) -> None:
    """matmul、transpose、batch_matmul 对随机形状与 dtype 都正确（用 torch.einsum）
    matmul, transpose and batch_matmul are right for random shapes and dtypes, with torch.einsum"""
    _expect_random(judge, ("matmul", "transpose", "batch_matmul"))


@check(EX, 1, hidden=True)
def test_trace_inner_outer_random(judge: Judge) -> None:
    """trace、inner、outer 对随机形状与 dtype 都正确（用 torch.einsum）
    trace, inner and outer are right for random shapes and dtypes, with torch.einsum"""
    _expect_random(judge, ("trace", "inner", "outer"))


@check(EX, 1.5, hidden=True)
def test_bilinear_random(judge: Judge) -> None:
    """bilinear 对随机 B、I、J、K 与 dtype 都正确（用 torch.einsum）
    bilinear is right for random B, I, J, K and dtypes, with torch.einsum"""
    _expect_random(judge, ("bilinear",), rounds=4)


@check(EX, 1.5, hidden=True)
def test_attention_weights_random(judge: Judge) -> None:
    """attention_weights 每行和为 1，按 √D 缩放，分数很大时也数值稳定（用 torch.einsum，不修改输入）
    attention_weights rows sum to 1, scores are scaled by √D, stable for large scores (with torch.einsum, inputs
    unchanged)"""
    calls, table = 1, judge.probe("ch3.ex06.EQUATIONS", names=["attention_weights"])["items"]
    for scale, dtype in ((1.0, None), (1.0, None), (10.0, torch.float32)):
        operands, inputs = _draw(judge, "attention_weights", dtype, scale)
        inputs += ", large scores" if scale > 1 else ""
        seen = judge.probe("ch3.ex06.call", func="attention_weights", args=operands)
        result, expected = seen["result"], reference("attention_weights", *operands)
        if result.get("kind") == "tensor" and result["shape"] == list(expected.shape):
            expect_rows(result["value"].to(torch.float64), inputs)
        expect_tensor(result, expected, "attention_weights(q, k)", device=judge.device, inputs=inputs)
        expect_unchanged(seen, operands, "attention_weights", inputs)
        calls = min(calls, seen["einsum_calls"])
        _expect_equation(table["attention_weights"], "attention_weights", operands, inputs)
    expect_einsum(judge, {"attention_weights": calls})

