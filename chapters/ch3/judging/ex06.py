"""Judge-side helpers for ex06: what each function computes, written without einsum (float64),
the rule that every function calls torch.einsum, and what else every answer must respect.

Nothing here runs next to student code.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch

from grader.judge.check import Judge
from grader.judge.expect import expect
from grader.judge.usage import unverifiable, uses


def _bilinear(x: torch.Tensor, w: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (x[:, :, None, None] * w * y[:, None, :, None]).sum(dim=(1, 2))


def _scores(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return q @ k.transpose(1, 2)


def _attention(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return torch.softmax(_scores(q, k) / math.sqrt(q.shape[-1]), dim=-1)


_MEANING: dict[str, Callable[..., torch.Tensor]] = {
    "matmul": torch.matmul,
    "transpose": torch.t,
    "batch_matmul": torch.bmm,
    "bilinear": _bilinear,
    "trace": torch.trace,
    "inner": torch.dot,
    "outer": torch.outer,
    "attention_weights": _attention,
}
NAMES = tuple(_MEANING)


def reference(name: str, *operands: torch.Tensor, equation: bool = False) -> torch.Tensor:
    """What ``name(*operands)`` must return, computed in float64, in the operands' dtype.

    With ``equation``, what ``torch.einsum(EQUATIONS[name], *operands)`` must give: the
    same, except the scores q kᵀ (before scaling and softmax) for attention_weights.
    """
    fn = _scores if equation and name == "attention_weights" else _MEANING[name]
    return fn(*(o.to(torch.float64) for o in operands)).to(operands[0].dtype)


def expect_einsum(judge: Judge, calls: dict[str, int]) -> None:
    """Each function of ``calls`` (its name → the fewest torch.einsum calls the probe's spy saw in
    one of its runs) called torch.einsum in every run, and its source, as the judge reads it,
    calls torch.einsum and nothing that could reach the spy."""
    source = judge.source()  # None: no source to read (a missing module was reported by the probe)
    why: dict[str, list[str]] = {}
    for name, count in calls.items():
        hidden = unverifiable(source, name) if source is not None else []
        reasons = ([] if count else ["运行时没有调用 torch.einsum / no torch.einsum call at run time"]) + \
            ([] if source is None or uses(source, name, "torch.einsum")
             else ["代码中没有 torch.einsum / no torch.einsum in its code"]) + \
            ([f"无法核实 cannot be verified: {', '.join(hidden)}"] if hidden else [])
        if reasons:
            why[name] = reasons
    names = ", ".join(why)
    expect(not why, f"这些函数没有调用 torch.einsum：{names}。本练习的每个运算都必须用 torch.einsum 计算，"
           "没有用 torch.einsum 的函数不得分。",
           f"These functions do not call torch.einsum: {names}. Every operation of this exercise must be "
           "computed with torch.einsum; a function that does not use it earns no points.",
           *(f"{name}: {'; '.join(reasons)}" for name, reasons in why.items()),
           "torch.einsum 须写在函数（或它调用的本模块函数）的代码里；getattr 取计算出的名字、eval、torch 的私有模块、"
           "sys 等写法无法核实，不允许 / torch.einsum must be written in the function's code (or in this "
           "module's functions it calls); getattr with a computed name, eval, torch's private modules, sys and "
           "the like cannot be verified and are not allowed.")


def expect_unchanged(seen: dict[str, Any], operands: list[torch.Tensor], name: str, inputs: str) -> None:
    """``name`` left each of ``operands`` (what the judge sent) as it was, by the probe's
    description of them after the call."""
    for index, (after, before) in enumerate(zip(seen["operands"], operands, strict=True)):
        same = after.get("kind") == "tensor" and bool(torch.equal(after["value"].cpu(), before))
        expect(same, f"{name} 修改了第 {index + 1} 个输入：本练习的函数不得修改输入（不要用 /=、mul_ 等原地运算）。",
               f"{name} changed its input number {index + 1}: the functions of this exercise leave their inputs "
               "unchanged (no in-place operations such as /= or mul_).", f"输入 input: {inputs}")


def expect_rows(weights: torch.Tensor, inputs: str) -> None:
    """Finite attention weights whose rows sum to 1, else the likely mistake in one sentence."""
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
