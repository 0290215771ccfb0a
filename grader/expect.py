"""Judge-side comparisons that fail with a plain bilingual sentence, then the numbers."""

from __future__ import annotations

from typing import Any, NoReturn

import torch

from grader.errors import CheckFailed


def fail(zh: str, en: str, *details: str) -> NoReturn:
    """Fail the check: one sentence in 中文, the same in English, then detail lines."""
    raise CheckFailed(zh, en, list(details))


def expect(condition: bool, zh: str, en: str, *details: str) -> None:
    """Fail with the given message unless ``condition`` holds."""
    if not condition:
        fail(zh, en, *details)


def shape_text(shape: Any) -> str:
    return "(" + ", ".join(str(int(s)) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def expect_kind(obs: dict[str, Any], kind: str, what: str) -> None:
    """The returned value is of ``kind`` (``tensor``, ``ndarray``, ``scalar``, …)."""
    names = {"tensor": "torch.Tensor", "ndarray": "numpy.ndarray", "scalar": "Python number",
             "sequence": "tuple or list", "dict": "dict"}
    expect(
        obs.get("kind") == kind,
        f"{what} 返回了 {obs.get('type')}，应为 {names.get(kind, kind)}。",
        f"{what} returned {obs.get('type')}; expected a {names.get(kind, kind)}.",
    )


def expect_tensor(
    obs: dict[str, Any], expected: torch.Tensor, what: str, *, kind: str = "tensor",
    device: str | None = None, atol: float = 1e-5, rtol: float = 1e-4, inputs: str = "",
) -> torch.Tensor:
    """A plain tensor (or, with ``kind="ndarray"``, array) like ``expected``: shape, dtype,
    device, values.

    ``inputs`` names the kind of input (never its values) for the feedback. Returns the
    observed values as a tensor.
    """
    expect_kind(obs, kind, what)
    extra = [f"输入 input: {inputs}"] if inputs else []
    plain = ("torch.Tensor", "torch.nn.parameter.Parameter") if kind == "tensor" else ("numpy.ndarray",)
    expect(
        obs["type"] in plain,
        f"{what} 返回了子类 {obs['type']}，应为普通的 {plain[0]}。",
        f"{what} returned the subclass {obs['type']}; expected a plain {plain[0]}.",
    )
    got: torch.Tensor = obs["value"]
    expect(
        list(got.shape) == list(expected.shape),
        f"{what} 返回的形状是 {shape_text(got.shape)}，应为 {shape_text(expected.shape)}。",
        f"{what} returned shape {shape_text(got.shape)}; expected {shape_text(expected.shape)}.",
        *extra,
    )
    want_dtype = str(expected.dtype).removeprefix("torch.")
    expect(
        obs["dtype"] == want_dtype,
        f"{what} 返回的 dtype 是 {obs['dtype']}，应为 {want_dtype}。",
        f"{what} returned {obs['dtype']}; expected {want_dtype}.",
        *extra,
    )
    if device is not None and kind == "tensor":
        expect(
            obs["device"] == torch.device(device).type,
            f"{what} 的结果在 {obs['device']} 上，应与输入一样在 {device} 上。",
            f"{what} returned a tensor on {obs['device']}; expected {device}, the input's device.",
            *extra,
        )
    expect_close(got, expected, what, atol=atol, rtol=rtol, inputs=inputs)
    return got


def expect_close(
    got: torch.Tensor, expected: torch.Tensor, what: str, *,
    atol: float = 1e-5, rtol: float = 1e-4, inputs: str = "",
) -> None:
    """Values of ``got`` within ``atol + rtol·|expected|`` of ``expected`` (NaN never passes)."""
    if got.is_floating_point() or expected.is_floating_point():
        ref = expected.to(torch.float64)
        diff = (got.to(torch.float64) - ref).abs()
        bad = ~(diff <= atol + rtol * ref.abs())
    else:
        ref = expected
        diff = (got.to(torch.int64) - expected.to(torch.int64)).abs()
        bad = diff != 0
    if not bool(bad.any()):
        return
    flat = int(torch.nan_to_num(diff.to(torch.float64), nan=float("inf")).argmax()) if diff.numel() else 0
    index = tuple(int(i) for i in torch.unravel_index(torch.tensor(flat), got.shape)) if got.dim() else ()
    rel = diff.to(torch.float64) / ref.to(torch.float64).abs().clamp_min(1e-12)
    fail(
        f"{what} 的数值与期望不符（{int(bad.sum())} / {got.numel()} 个元素超出容差）。",
        f"{what} returned wrong values ({int(bad.sum())} of {got.numel()} elements out of tolerance).",
        f"最大绝对误差 max abs error {float(diff.max()):.3g}, 最大相对误差 max rel error "
        f"{float(rel.max()):.3g} (atol {atol:g}, rtol {rtol:g})",
        f"最差位置 worst index {index}: 期望 expected {float(ref[index]):.6g}, 得到 got {float(got[index]):.6g}",
        *([f"输入 input: {inputs}"] if inputs else []),
    )


def expect_equal(got: Any, expected: Any, what: str, *details: str) -> None:
    """``got == expected`` for plain values (ints, strings, lists, dicts)."""
    expect(
        got == expected,
        f"{what} 的结果是 {got!r}，应为 {expected!r}。",
        f"{what} gave {got!r}; expected {expected!r}.",
        *details,
    )
