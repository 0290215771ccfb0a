"""Judge-side helpers for ex22: the LSTM's shapes, the tagger's and the masked loss's references
in float64, inputs with padding, and what the probes' observations must show.

Nothing here runs next to student code.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from grader.judge.check import Judge
from grader.judge.expect import expect, expect_kind, expect_tensor, fail, shape_text

PAD = 0
DEFAULTS = {"embed_dim": 16, "hidden_size": 32, "num_layers": 1}


def shapes_reference(batch: int, seq_len: int, input_size: int, hidden_size: int, num_layers: int,
                     batch_first: bool) -> dict[str, tuple[int, ...]]:
    """The shapes a real ``nn.LSTM`` gives, run here on zeros."""
    lstm = nn.LSTM(input_size, hidden_size, num_layers, batch_first=batch_first)
    x = torch.zeros((batch, seq_len, input_size) if batch_first else (seq_len, batch, input_size))
    with torch.no_grad():
        y, (h_n, c_n) = lstm(x)
    return {name: tuple(t.shape) for name, t in (("x", x), ("y", y), ("h_n", h_n), ("c_n", c_n))}


def expect_shapes(seen: dict[str, Any], want: dict[str, tuple[int, ...]], what: str) -> None:
    """``lstm_output_shapes`` (seen by ``call``) is the dict ``want`` of tuples of Python ints."""
    expect_kind(seen, "dict", what)
    expect(sorted(seen["items"]) == sorted(want), f"{what} 的键是 {sorted(seen['items'])}，应为 {sorted(want)}。",
           f"{what} has the keys {sorted(seen['items'])}; expected {sorted(want)}.")
    for name, shape in want.items():
        item = seen["items"][name]
        ints = item["kind"] == "sequence" and all(i["kind"] == "scalar" and i["type"] == "int" for i in item["items"])
        expect(ints and item["type"] == "tuple", f"{what}[{name!r}] 不是 Python int 的元组（得到 {item['type']}）。",
               f"{what}[{name!r}] is not a tuple of Python ints (got {item['type']}).")
        got = tuple(i["value"] for i in item["items"])
        expect(got == shape, f"{what}[{name!r}] 为 {shape_text(got)}，应为 {shape_text(shape)}。",
               f"{what}[{name!r}] is {shape_text(got)}; expected {shape_text(shape)}.")


def padded(judge: Judge, n: int, length: int, high: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(n, length) int64 values in [1, high) with a random-length tail of ``PAD`` in each row (at
    least one real position, the longest row unpadded), and the boolean mask of real positions."""
    lengths = torch.tensor([length] + [judge.randint(1, length) for _ in range(n - 1)])
    lengths = lengths[torch.randperm(n, generator=judge.gen)]
    real = torch.arange(length)[None, :] < lengths[:, None]
    values = torch.randint(1, high, (n, length), generator=judge.gen)
    return torch.where(real, values, PAD), real


def state_shapes(config: dict[str, int]) -> dict[str, tuple[int, ...]]:
    """Each state entry's shape for the tagger of ``config``."""
    c = {**DEFAULTS, **config}
    e, h, layers = c["embed_dim"], c["hidden_size"], c["num_layers"]
    shapes = {"embedding.weight": (c["vocab_size"], e), "head.weight": (c["num_tags"], h),
              "head.bias": (c["num_tags"],)}
    for k in range(layers):
        shapes |= {f"lstm.weight_ih_l{k}": (4 * h, e if k == 0 else h), f"lstm.weight_hh_l{k}": (4 * h, h),
                   f"lstm.bias_ih_l{k}": (4 * h,), f"lstm.bias_hh_l{k}": (4 * h,)}
    return shapes


def expect_structure(seen: dict[str, Any], config: dict[str, int], device: str, what: str) -> dict[str, torch.Tensor]:
    """The tagger (seen by ``ex22.tagger``) holds exactly the parameters the docstring names, float32,
    with their shapes, and the embedding's ``PAD`` row is zero. Returns the state's values."""
    where = f"输入 input: {what}"
    expect(seen["is_module"], f"{what} 不是 nn.Module。", f"{what} is not an nn.Module.", where)
    shapes = state_shapes(config)
    got, want = sorted(seen["state_dict"]), sorted(shapes)
    if got != want:
        fail(f"{what} 的 state_dict 键与期望不符（子模块应名为 embedding、lstm、head）。",
             f"{what}'s state_dict keys are not the expected ones (the submodules are named embedding, lstm, head).",
             f"多出 extra: {', '.join(sorted(set(got) - set(want))) or '无 none'}",
             f"缺少 missing: {', '.join(sorted(set(want) - set(got))) or '无 none'}", where)
    expect(sorted(seen["parameters"]) == want, f"{what} 的参数与 state_dict 不一致（有缓冲区或未登记的参数）。",
           f"{what}'s parameters are not its state_dict entries (a buffer, or a parameter not registered).", where)
    state = {name: expect_tensor(seen["state_dict"][name], torch.zeros(shape), f"{what}: {name}", device=device,
                                 atol=math.inf, inputs=what) for name, shape in shapes.items()}
    expect(bool((state["embedding.weight"][PAD] == 0).all()),
           f"{what}: embedding.weight 的第 PAD = {PAD} 行不为 0：Embedding 应设 padding_idx=PAD。",
           f"{what}: row PAD = {PAD} of embedding.weight is not zero: give the Embedding padding_idx=PAD.", where)
    return state


def tagger_reference(
    state: dict[str, torch.Tensor], config: dict[str, int], tokens: torch.Tensor, upstream: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, dict[str, torch.Tensor]]:
    """The docstring's tagger in float64 with the values of ``state``: logits, h_n, c_n, and the
    gradients of ``logits.backward(upstream)`` by parameter name."""
    c = {**DEFAULTS, **config}
    model = nn.ModuleDict({
        "embedding": nn.Embedding(c["vocab_size"], c["embed_dim"], padding_idx=PAD),
        "lstm": nn.LSTM(c["embed_dim"], c["hidden_size"], c["num_layers"], batch_first=True),
        "head": nn.Linear(c["hidden_size"], c["num_tags"]),
    }).double()
    model.load_state_dict({name: t.double() for name, t in state.items()})
    y, (h_n, c_n) = model["lstm"](model["embedding"](tokens))
    logits = model["head"](y)
    logits.backward(upstream.double())
    grads = {name: p.grad for name, p in model.named_parameters() if p.grad is not None}
    return logits.detach(), h_n.detach(), c_n.detach(), grads


def expect_tagger(seen: dict[str, Any], config: dict[str, int], tokens: torch.Tensor, upstream: torch.Tensor,
                  device: str, what: str) -> None:
    """``model(tokens)`` (seen by ``ex22.tagger``) gives the reference's logits and final states, and
    the gradients of every parameter (none for the embedding's ``PAD`` row) are the reference's."""
    state = expect_structure(seen, config, device, what)
    logits, h_n, c_n, grads = tagger_reference(state, config, tokens, upstream)
    out, call = seen["result"], f"{what}(tokens)"
    shaped = (out["kind"] == "sequence" and len(out["items"]) == 2 and out["items"][1]["kind"] == "sequence"
              and len(out["items"][1]["items"]) == 2)
    expect(shaped, f"{call} 应返回 (logits, (h_n, c_n))，得到 {out['type']}。",
           f"{call} must return (logits, (h_n, c_n)); got a {out['type']}.", f"输入 input: {what}")
    expect_tensor(out["items"][0], logits.float(), f"{call}: logits", device=device, inputs=what)
    for name, want, got in (("h_n", h_n, out["items"][1]["items"][0]), ("c_n", c_n, out["items"][1]["items"][1])):
        expect_tensor(got, want.float(), f"{call}: {name}", device=device, inputs=what)
    for name, want in grads.items():
        got = seen["grads"][name]
        expect(got["kind"] == "tensor", f"logits.backward(g) 之后 {name}.grad 为 None。",
               f"After logits.backward(g), {name}.grad is None.", f"输入 input: {what}")
        expect_tensor(got, want.float(), f"logits.backward(g) 之后 after it: {name}.grad", inputs=what)


def loss_reference(logits: torch.Tensor, tags: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The mean cross-entropy over the non-``PAD`` positions and its gradient w.r.t. logits, in float64."""
    leaf = logits.double().requires_grad_(True)
    real = tags != PAD
    log_p = leaf.log_softmax(-1).gather(-1, tags.unsqueeze(-1)).squeeze(-1)
    loss = -(log_p * real).sum() / real.sum()
    (grad,) = torch.autograd.grad(loss, leaf)
    return loss.detach(), grad


def expect_loss(judge: Judge, seen: dict[str, Any], logits: torch.Tensor, tags: torch.Tensor, inputs: str) -> None:
    """``masked_loss`` (seen by ``ex22.loss``): the reference's 0-d loss in logits' dtype, and its gradient."""
    loss, grad = loss_reference(logits, tags)
    expect_tensor(seen["result"], loss.to(logits.dtype), "masked_loss(logits, tags)", device=judge.device,
                  inputs=inputs)
    expect(seen["grad"]["kind"] == "tensor", "loss.backward() 之后 logits.grad 为 None：损失应可微。",
           "After loss.backward(), logits.grad is None: the loss must be differentiable.", f"输入 input: {inputs}")
    expect_tensor(seen["grad"], grad.to(logits.dtype), "logits.grad", inputs=inputs)


def loss_case(judge: Judge, n: int, length: int, classes: int, dtype: torch.dtype) -> tuple[torch.Tensor, ...]:
    """Logits (n, length, classes) whose padded positions hold large scores, and padded tags."""
    tags, real = padded(judge, n, length, classes)
    logits = judge.randn(n, length, classes, dtype=torch.float64) * 2
    logits = torch.where(real[..., None], logits, logits * 20)  # what a pad position scores must not matter
    return logits.to(dtype), tags
