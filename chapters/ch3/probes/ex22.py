"""Probes for ex22_sequence: the tagger's parameters, outputs and gradients; the masked loss's gradient."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TypedDict

import torch
from torch import nn

from grader.probing.observe import Description, describe, to_device
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex22_sequence"


class TaggerObservation(TypedDict):
    """A fresh tagger's state_dict and parameter names; what ``model(tokens)`` returned; and the
    gradient of every parameter after ``logits.backward(upstream)`` (None when none came)."""

    is_module: bool
    state_dict: dict[str, Description]
    parameters: list[str]
    result: Description
    grads: dict[str, Description]


class LossObservation(TypedDict):
    """``masked_loss(logits, tags)`` and the gradient of ``logits`` after ``.backward()``."""

    result: Description
    grad: Description


@contextlib.contextmanager
def full_precision() -> Iterator[None]:
    """Full float32 precision on CUDA (no TF32 in cuDNN's LSTM or in matmuls), as the reference has."""
    allowed = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    try:
        yield
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = allowed


@probe("ch3.ex22.tagger")
def tagger(sub: Submission, device: str, seed: int, config: dict[str, int], tokens: torch.Tensor,
           upstream: torch.Tensor | None = None) -> TaggerObservation:
    """``SequenceTagger(**config)`` built with the global generator at ``seed``, on ``device``:
    its state, ``model(tokens)``, and with ``upstream`` the gradients of ``logits.backward(upstream)``
    (in full float32 precision on CUDA)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = sub.call(sub.module(MODULE).SequenceTagger, **config)
    if not isinstance(model, nn.Module):
        return {"is_module": False, "state_dict": {}, "parameters": [], "result": describe(model), "grads": {}}
    model.to(device)
    state = {name: describe(t) for name, t in model.state_dict().items()}
    with full_precision():
        out = sub.call(model, to_device(tokens, device))
        logits = out[0] if isinstance(out, tuple) and out else None
        if (upstream is not None and isinstance(logits, torch.Tensor) and logits.requires_grad
                and logits.shape == upstream.shape):
            sub.call(logits.backward, to_device(upstream, device).to(logits.dtype))
    return {
        "is_module": True,
        "state_dict": state,
        "parameters": [name for name, _ in model.named_parameters()],
        "result": describe(out),
        "grads": {name: describe(p.grad) for name, p in model.named_parameters()} if upstream is not None else {},
    }


@probe("ch3.ex22.loss")
def loss(sub: Submission, device: str, logits: torch.Tensor, tags: torch.Tensor) -> LossObservation:
    """``masked_loss(logits, tags)`` for logits that require grad, then ``.backward()`` on a 0-d result."""
    leaf = to_device(logits, device).requires_grad_(True)
    result = sub.call(sub.module(MODULE).masked_loss, leaf, to_device(tags, device))
    if isinstance(result, torch.Tensor) and result.dim() == 0 and result.requires_grad:
        sub.call(result.backward)
    return {"result": describe(result), "grad": describe(leaf.grad)}
