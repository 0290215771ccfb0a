"""Judge-side helpers for ex12: the statistics and the normalised data, in float64, and the
checks every answer shares (the inputs left unchanged, a pair or triple of tensors).

Nothing here runs next to student code.
"""

from __future__ import annotations

from typing import Any

import torch

from grader.judge.check import Judge
from grader.judge.expect import expect, expect_kind, expect_tensor


def stats(train: torch.Tensor, correction: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-channel (dim 1) mean and std of ``train`` over every other dim, computed in float64
    from the sums (divisor n − correction), returned in float64."""
    values = train.to(torch.float64).transpose(0, 1).reshape(train.shape[1], -1)
    n = values.shape[1]
    mean = values.sum(dim=1) / n
    std = (((values - mean[:, None]) ** 2).sum(dim=1) / (n - correction)).sqrt()
    return mean, std


def normalised(x: torch.Tensor, mean: torch.Tensor, std: torch.Tensor) -> torch.Tensor:
    """(x − mean) / std per channel in float64, a zero std taken as 1; in x's dtype."""
    moved = x.to(torch.float64).movedim(1, -1)  # channels last: mean and std broadcast along it
    scale = torch.where(std == 0, 1.0, std.to(torch.float64))
    return ((moved - mean.to(torch.float64)) / scale).movedim(-1, 1).to(x.dtype)


def tolerance(dtype: torch.dtype) -> float:
    """The absolute and relative tolerance of a result in ``dtype``."""
    return 1e-4 if dtype == torch.float32 else 1e-10


def call(judge: Judge, func: str, args: list[torch.Tensor], inputs: str, parts: int = 0,
         **kwargs: Any) -> Any:
    """``func(*args, **kwargs)`` on the student side, each argument checked unchanged after it;
    the result's description, or with ``parts`` the descriptions of the tuple's ``parts`` items."""
    seen = judge.probe("ch3.ex12.run", func=func, args=args, kwargs=kwargs)
    for index, (after, before) in enumerate(zip(seen["args_after"], args, strict=True)):
        same = after.get("kind") == "tensor" and bool(torch.equal(after["value"], before))
        expect(same, f"{func} 修改了第 {index + 1} 个输入：不得修改输入（不要用 -=、/=、sub_ 等原地运算）。",
               f"{func} changed its input number {index + 1}: inputs must be left unchanged (no in-place "
               "operations such as -=, /= or sub_).", f"输入 input: {inputs}")
    result = seen["result"]
    if not parts:
        return result
    expect_kind(result, "sequence", func)
    expect(len(result["items"]) == parts, f"{func} 返回了 {len(result['items'])} 项，应为 {parts} 项。",
           f"{func} returned {len(result['items'])} values; expected {parts}.")
    return result["items"]


def expect_stats(judge: Judge, train: torch.Tensor, inputs: str, correction: int | None = None) -> None:
    """fit_stats(train[, correction]) gives the float64 reference's mean and std in train's dtype."""
    kwargs = {} if correction is None else {"correction": correction}
    got = call(judge, "fit_stats", [train], inputs, 2, **kwargs)
    mean, std = stats(train, 1 if correction is None else correction)
    tol = tolerance(train.dtype)
    what = f"fit_stats(train{'' if correction is None else f', correction={correction}'})"
    for seen, want, name in ((got[0], mean, "[0] (mean)"), (got[1], std, "[1] (std)")):
        expect_tensor(seen, want.to(train.dtype), what + name, device=judge.device, inputs=inputs, atol=tol, rtol=tol)


def expect_normalised(judge: Judge, x: torch.Tensor, mean: torch.Tensor, std: torch.Tensor, inputs: str) -> None:
    """normalise(x, mean, std) is the float64 reference, in x's dtype."""
    seen = call(judge, "normalise", [x, mean, std], inputs)
    expect_tensor(seen, normalised(x, mean, std), "normalise(x, mean, std)", device=judge.device,
                  inputs=inputs, atol=tolerance(x.dtype), rtol=tolerance(x.dtype))


def expect_splits(judge: Judge, splits: list[torch.Tensor], inputs: str, correction: int | None = None) -> None:
    """normalise_splits(train, val, test[, correction]) normalises all three with train's statistics."""
    kwargs = {} if correction is None else {"correction": correction}
    got = call(judge, "normalise_splits", splits, inputs, 3, **kwargs)
    mean, std = stats(splits[0], 1 if correction is None else correction)
    for name, seen, x in zip(("train", "val", "test"), got, splits, strict=True):
        expect_tensor(seen, normalised(x, mean, std), f"normalise_splits(...) 的 {name} / its {name}",
                      device=judge.device, inputs=f"{inputs}; 统计量只来自 train / statistics from train alone",
                      atol=tolerance(x.dtype), rtol=tolerance(x.dtype))
