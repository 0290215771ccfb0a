"""Judge-side helpers for ex01: the values the checks draw and the comparisons they share.

Nothing here runs next to student code.
"""

from __future__ import annotations

from typing import Any

import torch

from grader.judge.check import Judge
from grader.judge.expect import expect, expect_tensor


def draw_values(judge: Judge, shape: tuple[int, ...], dtype: torch.dtype) -> torch.Tensor:
    """Values of ``shape`` and ``dtype`` from the check's seed: floats of either sign, ints in
    [0, 100), bools."""
    if dtype.is_floating_point:
        return (judge.randn(*shape) * 50).to(dtype)
    return torch.randint(0, 2 if dtype == torch.bool else 100, shape, generator=judge.gen).to(dtype)


def kind_of(values: torch.Tensor, transposed: bool = False) -> str:
    """How a check names an input: its dtype, its number of dimensions, whether it is transposed."""
    return f"{str(values.dtype).removeprefix('torch.')}, {values.dim()}-d{', transposed' if transposed else ''}"


def expect_converted(seen: dict[str, Any], values: torch.Tensor, func: str, kind: str, inputs: str,
                     transposed: bool = False) -> None:
    """``func`` (seen by ``ex01.from_array`` or ``ex01.to_numpy``) gave ``kind`` (tensor or ndarray)
    with the shape, dtype and exact values of ``values`` (transposed when the input was)."""
    what = f"{func}({'tensor' if kind == 'ndarray' else 'array'}{'.T' if transposed else ''})"
    expect_tensor(seen["result"], values.t() if transposed else values, what, kind=kind, atol=0, rtol=0,
                  inputs=inputs)


def expect_sharing(seen: dict[str, Any], func: str, inputs: str, shared: bool) -> None:
    """A write to either side is seen by the other (``shared``), or by neither."""
    crossed = [seen.get("array_write_seen", not shared), seen.get("tensor_write_seen", not shared)]
    if shared:
        expect(all(crossed),
               f"{func} 复制了数据：修改数组后张量没有随之改变（或反之）。应像 torch.from_numpy 那样共享内存。",
               f"{func} copied the data: a write to the array was not seen in the tensor (or the other way "
               "round). It must share memory, as torch.from_numpy does.", f"输入 input: {inputs}")
    else:
        expect(not any(crossed),
               f"{func} 与数组共享内存：修改一方会改变另一方。应复制数据（如 torch.tensor(array)）。",
               f"{func} shares memory with the array: a write to one changes the other. It must copy the data "
               "(torch.tensor(array), say).", f"输入 input: {inputs}")
