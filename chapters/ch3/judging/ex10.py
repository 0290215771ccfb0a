"""Judge-side helpers for ex10: what PyTorch itself does with two shapes, the checks of the
predicted shapes, of the tensors made and of memory shared.

Nothing here runs next to student code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from chapters.ch3.judging.ex04 import expected_draws
from grader.judge.check import Judge
from grader.judge.expect import expect, expect_kind, expect_tensor, shape_text
from grader.judge.usage import forbidden

SHAPE_FUNCS: dict[str, Callable[[torch.Tensor, torch.Tensor], torch.Tensor]] = {
    "broadcast_shape": torch.add, "matmul_shape": torch.matmul}
OPERATOR = {"broadcast_shape": "x + y", "matmul_shape": "x @ y"}


def torch_shape(func: str, a: list[int], b: list[int]) -> tuple[int, ...] | None:
    """The shape PyTorch gives ``x + y`` or ``x @ y`` for tensors of shapes a and b; None where it refuses."""
    try:
        return tuple(SHAPE_FUNCS[func](torch.zeros(a), torch.zeros(b)).shape)
    except RuntimeError:
        return None


def expect_shapes(judge: Judge, func: str, pairs: list[list[list[int]]]) -> None:
    """``func`` predicted, for each pair of shapes, what PyTorch does (the shape, or ValueError
    where PyTorch refuses), without calling torch (by the probe's spy) and without torch or
    NumPy in its code (read judge-side)."""
    seen = judge.probe("ch3.ex10.shapes", func=func, pairs=pairs)
    for (a, b), answer in zip(pairs, seen["answers"], strict=True):
        expected = torch_shape(func, a, b)
        case = f"a = {shape_text(a)}, b = {shape_text(b)}"
        what = f"{func}({shape_text(a)}, {shape_text(b)})"
        if expected is None:
            raised = answer["raised"]
            expect("ValueError" in raised,
                   f"{what}：PyTorch 拒绝计算 {OPERATOR[func]}，应抛出 ValueError，"
                   f"却{'抛出了 ' + raised[0] if raised else '没有报错'}。",
                   f"{what}: PyTorch refuses {OPERATOR[func]}, so it must raise ValueError; it "
                   f"{'raised ' + raised[0] if raised else 'raised nothing'}.", f"输入 input: {case}")
            continue
        raised = (answer["raised"] or [""])[0]
        expect(not raised, f"{what} 抛出了 {raised}，但 PyTorch 可以计算 {OPERATOR[func]}。",
               f"{what} raised {raised}, but PyTorch computes {OPERATOR[func]}.",
               f"期望 expected {shape_text(expected)}", f"输入 input: {case}")
        result = answer["result"]
        expect_kind(result, "sequence", what)
        got = [item.get("value") for item in result["items"]]
        plain = result["type"] == "tuple" and all(item.get("type") == "int" for item in result["items"])
        expect(plain, f"{what} 返回了 {result['type']} {got}，应为由 int 组成的 tuple。",
               f"{what} returned the {result['type']} {got}; expected a tuple of ints.", f"输入 input: {case}")
        expect(tuple(got) == expected, f"{what} 预测的形状是 {shape_text(got)}，PyTorch 给出 {shape_text(expected)}。",
               f"{what} predicted {shape_text(got)}; PyTorch gives {shape_text(expected)}.", f"输入 input: {case}")
    source = judge.source()
    found = forbidden(source, func, ["torch", "numpy"]) if source is not None else []
    calls = seen["torch_calls"]
    expect(not calls and not found,
           f"{func} 借助了 torch 或 NumPy：本题要求只根据形状推算，不创建张量。",
           f"{func} relied on torch or NumPy: the shape must be worked out from the shapes alone, "
           "without making tensors.",
           *([f"运行时调用 called at run time: {', '.join(calls)}"] if calls else []),
           *([f"代码中 in its code: {', '.join(found)}"] if found else []))


def expected_tensors(n: int, seed: int, dtype: torch.dtype) -> dict[str, torch.Tensor]:
    """What make_tensors(n, seed, dtype) must hold, on the CPU."""
    expected = {
        "zeros": torch.zeros(n, n, dtype=dtype), "ones": torch.ones(n, dtype=dtype),
        "arange": torch.tensor(list(range(n)), dtype=dtype),
        "linspace": torch.tensor([i / (n - 1) for i in range(n)], dtype=torch.float64).to(dtype),
        "full": torch.full((2, n), 7.0, dtype=dtype), "eye": torch.diag(torch.ones(n, dtype=dtype)),
        "randn": torch.randn((n, 3), generator=torch.Generator().manual_seed(seed), dtype=dtype),
    }
    return expected


def expect_made(seen: dict[str, Any], n: int, seed: int, dtype: torch.dtype, device: str, inputs: str) -> None:
    """The dict make_tensors returned: exactly the seven keys, each of the expected shape, dtype,
    device and values (to float rounding; the random one exactly)."""
    result = seen["result"]
    expect_kind(result, "dict", f"make_tensors({n}, {seed})")
    expected = expected_tensors(n, seed, dtype)
    expect(sorted(result["items"]) == sorted(expected),
           f"make_tensors 返回的键是 {sorted(result['items'])}，应为 {sorted(expected)}。",
           f"make_tensors returned the keys {sorted(result['items'])}; expected {sorted(expected)}.")
    for key, want in expected.items():
        tol = 0.0 if key == "randn" else 1e-6
        expect_tensor(result["items"][key], want, f'make_tensors(...)["{key}"]', device=device, atol=tol,
                      rtol=tol, inputs=inputs)


def expect_global_state_kept(seen: dict[str, Any], global_seed: int, what: str, inputs: str) -> None:
    """The global generators drew after the call what they draw right after being seeded."""
    changed = [name for name, draws in expected_draws(global_seed).items() if seen["global_draws"][name] != draws]
    expect(not changed, f"{what} 改变了全局随机状态（{', '.join(changed)}）：应使用自己的 torch.Generator，"
           "不要调用 torch.manual_seed。",
           f"{what} changed the global random state ({', '.join(changed)}): use a torch.Generator of its own, "
           "not torch.manual_seed.", f"输入 input: {inputs}")


def expect_shared(seen: dict[str, Any], func: str, inputs: str, shared: bool) -> None:
    """The input was left as it was; a write to the result was seen in it (``shared``), or not."""
    expect(seen["input_unchanged"], f"{func} 修改了输入张量。", f"{func} changed its input tensor.",
           f"输入 input: {inputs}")
    if shared:
        expect(bool(seen["write_seen"]),
               f"{func} 复制了数据：修改结果后输入没有随之改变；应返回共享内存的视图（view）。",
               f"{func} copied the data: a write to the result was not seen in the input; it must return a "
               "view that shares the input's memory.", f"输入 input: {inputs}")
