"""Judge-side comparisons that fail with a plain bilingual sentence, then the numbers."""

from __future__ import annotations

import math
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


def expect_number(obs: dict[str, Any], what: str, *details: str) -> float:
    """The observation is a Python int or float (not a tensor, not a bool); its value."""
    expect(
        obs.get("kind") == "scalar" and obs.get("type") in ("int", "float"),
        f"{what} 返回了 {obs.get('type')}，应为 Python 数字（0 维张量可用 .item() 转为数字）。",
        f"{what} returned {obs.get('type')}; expected a Python number (.item() turns a 0-d tensor into one).",
        *details,
    )
    value: float = obs["value"]  # an int or a float, as just checked
    return value


def number_of(obs: dict[str, Any]) -> Any:
    """The number an observation holds: a Python scalar's value or a one-element tensor's
    item (a label, a loss); None for anything else."""
    if obs.get("kind") == "tensor" and obs["value"].numel() == 1:
        return obs["value"].item()
    return obs.get("value") if obs.get("kind") == "scalar" else None


_SIGMAS = 8.0  # tolerance of expect_sample, in standard errors


def expect_sample(
    values: torch.Tensor, what: str, *, law: str, std: float, mean: float = 0.0, inputs: str = "",
) -> None:
    """``values`` look like i.i.d. draws from ``law`` (``"uniform"``, ``"normal"`` or
    ``"constant"``) with this ``mean`` and ``std``.

    Each tolerance is 8 standard errors for the sample's size, so a correct sampler fails by
    chance with probability below 1e-12, while on 10⁴ values or more a scale off by 10 %
    (fan_out for fan_in, a std used as a bound) is caught. Uniform: nothing outside
    mean ± √3·std and both ends reached; normal: the share beyond 2 std that of a normal
    law; constant: every value equals ``mean``.
    """
    sample = values.detach().flatten().to(torch.float64)
    if law == "constant":
        expect_close(sample, torch.full_like(sample, mean), what, atol=0.0, rtol=0.0, inputs=inputs)
        return
    extra = [f"输入 input: {inputs}"] if inputs else []
    n = sample.numel()
    got_mean, got_std = float(sample.mean()), float(sample.std())
    kurtosis = {"uniform": 1.8, "normal": 3.0}[law]
    mean_tol = _SIGMAS * std / math.sqrt(n)
    std_tol = _SIGMAS * std * math.sqrt((kurtosis - 1) / (4 * n))
    numbers = (f"样本 sample: n = {n}, mean {got_mean:.4g}, std {got_std:.4g}; 期望 expected {law} law, "
               f"mean {mean:.4g} ± {mean_tol:.2g}, std {std:.4g} ± {std_tol:.2g}")
    expect(abs(got_mean - mean) <= mean_tol, f"{what} 的样本均值与期望不符。",
           f"{what} has the wrong sample mean.", numbers, *extra)
    expect(abs(got_std - std) <= std_tol, f"{what} 的样本标准差与期望不符：尺度不对。",
           f"{what} has the wrong sample std: the scale is off.", numbers, *extra)
    if law == "uniform":
        low, high = mean - math.sqrt(3) * std, mean + math.sqrt(3) * std
        slack = 1e-6 * max(abs(low), abs(high))  # rounding to the sample's dtype
        reach = 32 * (high - low) / n  # a correct sampler misses an end with probability < 2e-14
        lo, hi = float(sample.min()), float(sample.max())
        span = f"样本范围 sample range [{lo:.4g}, {hi:.4g}]; 期望 expected U({low:.4g}, {high:.4g})"
        expect(low - slack <= lo and hi <= high + slack, f"{what} 有值落在均匀分布的区间之外。",
               f"{what} has values outside the uniform law's interval.", span, *extra)
        expect(lo <= low + reach and high - reach <= hi, f"{what} 的取值没有铺满均匀分布的区间。",
               f"{what} does not fill the uniform law's interval.", span, *extra)
    else:
        share = float(((sample - mean).abs() > 2 * std).to(torch.float64).mean())
        p = math.erfc(math.sqrt(2))  # P(|z| > 2) for a normal law
        tol = _SIGMAS * math.sqrt(p * (1 - p) / n)
        expect(abs(share - p) <= tol, f"{what} 中超出 2 倍标准差的比例不像正态分布。",
               f"{what}: the share of values beyond 2 std is not that of a normal law.",
               f"比例 share {share:.4f}; 期望 expected {p:.4f} ± {tol:.2g}", *extra)
