"""Judge-side helpers for ex02: the initialisation laws and the reference of ``linear_forward``.

Nothing here runs next to student code.
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F

from grader.judge.check import Judge
from grader.judge.expect import expect, expect_tensor
from grader.judge.usage import UNREADABLE, forbidden, unverifiable

SCHEMES = ("xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal", "normal", "zeros")
# what linear_forward must not reach in its source: F.linear and nn.Linear, however imported
LINEAR = ("torch.nn.functional.linear", "torch.nn.Linear", "torch.nn.modules.linear", ".linear")


def init_law(scheme: str, fan_in: int, fan_out: int) -> dict[str, Any]:
    """The law a scheme draws the weight from, as ``expect_sample`` takes it: law, std."""
    xavier, kaiming = math.sqrt(2 / (fan_in + fan_out)), math.sqrt(2 / fan_in)
    law, std = {
        "xavier_uniform": ("uniform", xavier),  # bound √3·std = √(6 / (fan_in + fan_out))
        "xavier_normal": ("normal", xavier),
        "kaiming_uniform": ("uniform", kaiming),  # bound √(6 / fan_in)
        "kaiming_normal": ("normal", kaiming),
        "normal": ("normal", 0.01),
        "zeros": ("constant", 0.0),
    }[scheme]
    return {"law": law, "std": std}


def expect_own_linear(judge: Judge, seen: dict[str, Any]) -> None:
    """``linear_forward`` computed y = x Wᵀ + b itself: no F.linear or nn.Linear in its source,
    read here, nor among the torch functions the probe saw it call."""
    source = judge.source()  # None: no source to read (a missing module was reported by the probe)
    found = [] if source is None else list(dict.fromkeys(forbidden(source, "linear_forward", LINEAR)
                                                          + unverifiable(source, "linear_forward")))
    if "linear" in seen["calls"]:
        found.append("F.linear (运行时 at run time)")
    unreadable = ["评分程序读不出源代码中的 linear_forward（语法错误，或没有顶层的 def linear_forward）。 / "
                  "The grader cannot read linear_forward in the source (a syntax error, or no top-level def "
                  "linear_forward)."] if UNREADABLE in found else []
    expect(not found, f"linear_forward 用到了 {'、'.join(found)}：不借助 F.linear 或 nn.Linear，"
           "自己按 y = x Wᵀ + b 计算。",
           f"linear_forward uses {', '.join(found)}: compute y = x Wᵀ + b yourself, without F.linear or nn.Linear.",
           *unreadable,
           "评分程序从源代码读出用法：getattr 取计算出的名字、eval、globals()、torch 的私有模块等写法读不出，"
           "也不允许 / the grader reads usage from the source: getattr with a computed name, eval, globals(), "
           "torch's private modules and the like cannot be read and are not allowed.")


def expect_init_in_place(seen: dict[str, Any], what: str, n_in: int, n_out: int, bias: bool, dtype: torch.dtype,
                         device: str, inputs: str) -> torch.Tensor:
    """``init_linear_`` (seen by ``ex02.init``) returned the layer itself and changed its very
    Parameters in place: their shape, dtype, device and ``requires_grad`` kept, the bias zero.
    Returns the weight's values."""
    where = f"输入 input: {inputs}"
    expect(seen["same_layer"], f"{what} 没有返回传入的那个层对象。", f"{what} did not return the layer it was given.",
           f"返回了 returned: {(seen['result'] or {}).get('type')}", where)
    expect(seen["same_parameters"], f"{what} 换掉了层的 weight 或 bias 参数对象，应原地修改（如 nn.init.*_）。",
           f"{what} replaced the layer's weight or bias Parameter; it must change them in place (nn.init.*_), "
           "so that an optimiser holding them sees the new values.", where)
    weight = expect_tensor(seen["weight"], torch.zeros(n_out, n_in, dtype=dtype), f"{what}: layer.weight",
                           device=device, atol=math.inf, inputs=inputs)  # shape, dtype, device; values by the law
    parameters = {"weight": seen["weight"]} | ({"bias": seen["bias"]} if bias else {})
    for name, obs in parameters.items():
        expect(obs["requires_grad"], f"{what} 之后 layer.{name} 不再需要梯度。",
               f"After {what}, layer.{name} no longer requires grad.", where)
    if bias:
        expect_tensor(seen["bias"], torch.zeros(n_out, dtype=dtype), f"{what}: layer.bias", device=device,
                      atol=0, rtol=0, inputs=inputs)
    return weight


def expect_unknown_scheme(judge: Judge, scheme: str) -> None:
    """``init_linear_(layer, scheme)`` for a scheme not in SCHEMES raises a ValueError naming every valid scheme."""
    what = f"init_linear_(layer, {scheme!r})"
    err = judge.raises("ch3.ex02.init", scheme=scheme, in_features=4, out_features=3, seed=0)
    expect(err is not None, f"{what} 没有引发异常，应引发 ValueError（{scheme!r} 不在 SCHEMES 中）。",
           f"{what} raised nothing; expected a ValueError ({scheme!r} is not in SCHEMES).")
    expect(err.is_a("ValueError"), f"{what} 引发了 {err.exc_type}，应为 ValueError。",
           f"{what} raised {err.exc_type}; expected ValueError.")
    missing = [s for s in SCHEMES if s not in err.message]
    expect(not missing, "ValueError 的消息没有列出所有有效方案。",
           "The ValueError's message does not list every valid scheme.", f"缺少 missing: {', '.join(missing)}")


def linear_reference(
    x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None, upstream: torch.Tensor | None = None,
) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """Judge side: ``F.linear`` in float64 and, with ``upstream``, the gradients of
    ⟨upstream, y⟩ with respect to each input (keyed "x", "weight", "bias")."""
    leaves = {"x": x, "weight": weight} | ({} if bias is None else {"bias": bias})
    leaves = {k: v.to(torch.float64).requires_grad_() for k, v in leaves.items()}
    y = F.linear(leaves["x"], leaves["weight"], leaves.get("bias"))
    if upstream is None:
        return y.detach(), {}
    grads = torch.autograd.grad(y, list(leaves.values()), upstream.to(torch.float64))
    return y.detach(), dict(zip(leaves, grads, strict=True))
