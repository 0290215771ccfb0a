"""Judge-side helpers for ex16: float64 references (torch's own losses and softmax, on the
judge's side), the rule "by hand, no ready-made loss or softmax", and what each observation
must show.

Nothing here runs next to student code.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from grader.judge.check import Judge
from grader.judge.expect import expect, expect_kind, expect_tensor
from grader.judge.usage import UNREADABLE, forbidden, unverifiable

TOLERANCE = {torch.float32: (1e-5, 1e-4), torch.float64: (1e-10, 1e-9)}  # atol, rtol
# what the hand-written functions must not reach in the source: a name ending so, however imported or called
READY_MADE = (".binary_cross_entropy_with_logits", ".binary_cross_entropy", ".cross_entropy", ".nll_loss",
              ".log_softmax", ".softmax", ".logsigmoid", ".softplus", ".logsumexp", ".BCEWithLogitsLoss",
              ".BCELoss", ".CrossEntropyLoss", ".NLLLoss", ".LogSoftmax", ".Softmax", ".LogSigmoid", ".Softplus")
RULE_ZH = "本练习要手写，否则这一项不得分"
RULE_EN = "this exercise writes them by hand; otherwise this check earns nothing"


def run(judge: Judge, func: str, *args: torch.Tensor, grad: bool = False) -> dict[str, Any]:
    """``func(*args)`` on the student side (``ex16.apply``), held to the rule and to leaving its inputs alone."""
    seen: dict[str, Any] = judge.probe("ch3.ex16.apply", func=func, args=list(args), grad=grad)
    expect(seen["inputs_unchanged"], f"{func} 修改了输入。", f"{func} changed its inputs.")
    if func != "logistic_predict":
        expect_by_hand(judge, func, seen)
    return seen


def expect_by_hand(judge: Judge, func: str, seen: dict[str, Any]) -> None:
    """``func`` reaches none of ``READY_MADE`` in the source, nothing that could reach the spy, and
    called none of them at run time."""
    source = judge.source()  # None: no source to read (a missing module was reported by the probe)
    if source is not None:
        found = list(dict.fromkeys(forbidden(source, func, READY_MADE) + unverifiable(source, func)))
        expect(found != [UNREADABLE], f"评分程序读不出源代码中的 {func}，无法确认它是手写的：{RULE_ZH}。",
               f"The grader cannot read {func} in the source, so it cannot confirm it is written by hand: {RULE_EN}.")
        expect(not found, f"{func} 用到了 {'、'.join(found)}：{RULE_ZH}。",
               f"{func} uses {', '.join(found)}: {RULE_EN}.")
    expect(not seen["ready_made"], f"{func} 调用了 {'、'.join(seen['ready_made'])}：{RULE_ZH}。",
           f"{func} called {', '.join(seen['ready_made'])}: {RULE_EN}.")


def expect_loss(judge: Judge, seen: dict[str, Any], expected: torch.Tensor, expected_grad: torch.Tensor | None,
                what: str, inputs: str, dtype: torch.dtype) -> None:
    """A finite 0-d loss equal to the float64 ``expected``; with ``expected_grad``, its gradient too."""
    atol, rtol = TOLERANCE[dtype]
    got = expect_tensor(seen["result"], expected.to(dtype), what, device=judge.device, inputs=inputs, atol=atol,
                        rtol=rtol)
    expect(bool(torch.isfinite(got).all()), f"{what} 不是有限值（inf 或 nan）：计算不稳定。",
           f"{what} is not finite (inf or nan): the computation is not stable.", f"输入 input: {inputs}")
    if expected_grad is None:
        return
    expect(seen["grad"] is not None, f"{what} 不可微：结果没有连到 logits 的计算图。",
           f"{what} is not differentiable: the result has no graph back to the logits.", f"输入 input: {inputs}")
    gradient = expect_tensor(seen["grad"], expected_grad.to(dtype), f"∂{what}/∂logits", device=judge.device,
                             inputs=inputs, atol=atol, rtol=rtol)
    expect(bool(torch.isfinite(gradient).all()), f"{what} 的梯度不是有限值（inf 或 nan）。",
           f"The gradient of {what} is not finite (inf or nan).", f"输入 input: {inputs}")


def bce_reference(logits: torch.Tensor, targets: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """BCEWithLogitsLoss and its gradient (σ(z) − y)/numel, in float64."""
    z, y = logits.double(), targets.double()
    return F.binary_cross_entropy_with_logits(z, y), (torch.sigmoid(z) - y) / z.numel()


def cross_entropy_reference(logits: torch.Tensor, targets: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """F.cross_entropy and its gradient (softmax − one-hot)/N, in float64."""
    z = logits.double()
    onehot = F.one_hot(targets, z.shape[1]).double()
    return F.cross_entropy(z, targets), (torch.softmax(z, dim=1) - onehot) / len(z)


def check_bce(judge: Judge, logits: torch.Tensor, targets: torch.Tensor, inputs: str) -> None:
    seen = run(judge, "bce_with_logits", logits, targets, grad=True)
    value, gradient = bce_reference(logits, targets)
    expect_loss(judge, seen, value, gradient, "bce_with_logits(logits, targets)", inputs, logits.dtype)


def check_cross_entropy(judge: Judge, logits: torch.Tensor, targets: torch.Tensor, inputs: str) -> None:
    seen = run(judge, "cross_entropy", logits, targets, grad=True)
    value, gradient = cross_entropy_reference(logits, targets)
    expect_loss(judge, seen, value, gradient, "cross_entropy(logits, targets)", inputs, logits.dtype)


def check_log_softmax(judge: Judge, logits: torch.Tensor, inputs: str) -> None:
    seen = run(judge, "log_softmax", logits)
    atol, rtol = TOLERANCE[logits.dtype]
    got = expect_tensor(seen["result"], F.log_softmax(logits.double(), dim=-1).to(logits.dtype), "log_softmax(logits)",
                        device=judge.device, inputs=inputs, atol=atol, rtol=rtol)
    expect(bool(torch.isfinite(got).all()), "log_softmax(logits) 含 inf 或 nan：应先减去每行的最大值。",
           "log_softmax(logits) holds inf or nan: subtract each row's maximum first.", f"输入 input: {inputs}")


def _pair(seen: dict[str, Any], what: str) -> tuple[dict[str, Any], dict[str, Any]]:
    result = seen["result"]
    expect_kind(result, "sequence", what)
    expect(len(result["items"]) == 2, f"{what} 应返回两个张量，却返回了 {len(result['items'])} 个值。",
           f"{what} must return two tensors; it returned {len(result['items'])} values.")
    return result["items"][0], result["items"][1]


def check_logistic_predict(judge: Judge, x: torch.Tensor, w: torch.Tensor, b: torch.Tensor, inputs: str) -> None:
    what = "logistic_predict(x, w, b)"
    p, labels = _pair(run(judge, "logistic_predict", x, w, b), what)
    z = x.double() @ w.double() + b.double()
    atol, rtol = TOLERANCE[x.dtype]
    expect_tensor(p, torch.sigmoid(z).to(x.dtype), f"{what} → p", device=judge.device, inputs=inputs, atol=atol,
                  rtol=rtol)
    expect_tensor(labels, (z > 0).long(), f"{what} → labels", device=judge.device, inputs=inputs)


def check_softmax_predict(judge: Judge, x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor,
                          inputs: str) -> None:
    what = "softmax_predict(x, weight, bias)"
    probabilities, classes = _pair(run(judge, "softmax_predict", x, weight, bias), what)
    o = x.double() @ weight.double().T + bias.double()
    atol, rtol = TOLERANCE[x.dtype]
    got = expect_tensor(probabilities, torch.softmax(o, dim=1).to(x.dtype), f"{what} → probabilities",
                        device=judge.device, inputs=inputs, atol=atol, rtol=rtol)
    expect(bool(torch.isfinite(got).all()), f"{what} 的概率含 inf 或 nan：应从稳定的 log_softmax 求得。",
           f"The probabilities of {what} hold inf or nan: take them from the stable log_softmax.",
           f"输入 input: {inputs}")
    expect_tensor(classes, o.argmax(dim=1), f"{what} → classes", device=judge.device, inputs=inputs)
