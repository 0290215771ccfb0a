"""Probes for ex16_logistic_softmax: one call, its result, the gradient of a loss it returned,
and which of torch's ready-made losses and (log-)softmax functions it called."""

from __future__ import annotations

from typing import TypedDict

import torch

from chapters.ch3.probes.ex02 import CallRecorder
from grader.probing.observe import Description, describe, to_device
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex16_logistic_softmax"
# what the hand-written functions must not call, as torch's function mode names them
READY_MADE = frozenset({"binary_cross_entropy_with_logits", "binary_cross_entropy", "cross_entropy", "nll_loss",
                        "log_softmax", "softmax", "logsigmoid", "softplus", "logsumexp", "special_log_softmax",
                        "special_softmax", "special_logsumexp"})


class ApplyObservation(TypedDict):
    """The result; the gradient of a 0-d result with respect to the first input (None when not
    asked for, or when the result has no graph back to it); whether the inputs kept their values;
    the ready-made functions called."""

    result: Description
    grad: Description | None
    inputs_unchanged: bool
    ready_made: list[str]


@probe("ch3.ex16.apply")
def apply(sub: Submission, device: str, func: str, args: list[torch.Tensor], grad: bool = False) -> ApplyObservation:
    """``func(*args)`` with the tensors on ``device``; with ``grad``, the first input requires grad
    and the gradient of the (0-d) result with respect to it is taken."""
    inputs = [to_device(a, device) for a in args]
    if grad:
        inputs[0].requires_grad_(True)
    before = [a.detach().clone() for a in inputs]
    with CallRecorder() as recorder:
        result = sub.call(getattr(sub.module(MODULE), func), *inputs)
    gradient = None
    if grad and isinstance(result, torch.Tensor) and result.numel() == 1 and result.grad_fn is not None:
        (gradient,) = torch.autograd.grad(result.sum(), inputs[0], allow_unused=True)
    return {
        "result": describe(result),
        "grad": describe(gradient) if gradient is not None else None,
        "inputs_unchanged": all(torch.equal(a.detach(), b) for a, b in zip(inputs, before, strict=True)),
        "ready_made": sorted(recorder.names & READY_MADE),
    }
