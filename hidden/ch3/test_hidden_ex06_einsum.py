"""Hidden checks for ex06_einsum / 深化 6 的隐藏检查: random shapes, dtypes and values."""

import torch

from chapters.ch3.judging.ex06 import expect_einsum, reference
from grader.judge.check import Judge, check
from grader.judge.expect import expect, expect_tensor, shape_text

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
    """Each function of ``names`` is right on ``rounds`` random draws, computed with torch.einsum."""
    calls = dict.fromkeys(names, 1)
    for _ in range(rounds):
        for name in names:
            operands, inputs = _draw(judge, name)
            seen = judge.probe("ch3.ex06.call", func=name, args=operands)
            expect_tensor(seen["result"], reference(name, *operands), f"{name}(…)", device=judge.device,
                          atol=1e-4, inputs=inputs)
            calls[name] = min(calls[name], seen["einsum_calls"])
    expect_einsum(judge, calls)


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
    """attention_weights 每行和为 1，按 √D 缩放，分数很大时也数值稳定（用 torch.einsum）
    attention_weights rows sum to 1, scores are scaled by √D, stable for large scores, with torch.einsum"""
    calls = 1
    for scale, dtype in ((1.0, None), (1.0, None), (10.0, torch.float32)):
        operands, inputs = _draw(judge, "attention_weights", dtype, scale)
        inputs += ", large scores" if scale > 1 else ""
        seen = judge.probe("ch3.ex06.call", func="attention_weights", args=operands)
        result, expected = seen["result"], reference("attention_weights", *operands)
        if result.get("kind") == "tensor" and result["shape"] == list(expected.shape):
            _expect_rows(result["value"].to(torch.float64), inputs)
        expect_tensor(result, expected, "attention_weights(q, k)", device=judge.device, inputs=inputs)
        calls = min(calls, seen["einsum_calls"])
    expect_einsum(judge, {"attention_weights": calls})


def _expect_rows(weights: torch.Tensor, inputs: str) -> None:
    """Finite weights whose rows sum to 1, else the likely mistake in one sentence."""
    expect(bool(weights.isfinite().all()),
           "attention_weights 返回了 NaN 或 inf：请用数值稳定的 softmax（torch.softmax），不要直接 exp。",
           "attention_weights returned NaN or inf: use a numerically stable softmax (torch.softmax), "
           "not exp by hand.", f"输入 input: {inputs}")
    sums = weights.sum(dim=-1)
    expect(bool(torch.allclose(sums, torch.ones_like(sums), atol=1e-4)),
           "attention_weights 的每一行（最后一维）之和不为 1：softmax 应沿最后一维（键）计算。",
           "The rows of attention_weights (last axis) do not sum to 1: the softmax must run over "
           "the last axis (the keys).",
           f"行和 row sums: min {float(sums.min()):.4g}, max {float(sums.max()):.4g}", f"输入 input: {inputs}")
