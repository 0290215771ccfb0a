"""Judge-side helpers for ex17: float64 replays on the grader model (gradients, outputs, running
statistics, clipping) and what each probe's observations must show.

Nothing here runs next to student code.
"""

from __future__ import annotations

from typing import Any

import torch

from chapters.ch3.probes.ex17 import build_model
from grader.judge.check import Judge
from grader.judge.expect import expect, expect_kind, expect_number, expect_tensor
from grader.judge.usage import uses

TOLERANCE = {torch.float32: (1e-5, 1e-4), torch.float64: (1e-10, 1e-9)}  # atol, rtol
INPLACE_ERROR = "modified by an inplace operation"


def preset_grads(judge: Judge, seed: int, share: float = 0.5) -> dict[str, torch.Tensor]:
    """Random gradients for a random part (about ``share``) of the grader model's parameters."""
    return {name: judge.randn(*p.shape) for name, p in build_model(seed).named_parameters()
            if float(judge.rand(1)) < share}


def model_probe(judge: Judge, func: str, seed: int, train: bool, args: list[Any], grads: dict[str, torch.Tensor],
                kind: str = "batchnorm") -> dict[str, Any]:
    seen: dict[str, Any] = judge.probe("ch3.ex17.model", func=func, model_seed=seed, train=train, args=args,
                                       grads=grads, kind=kind)
    return seen


def _returns_none(seen: dict[str, Any], what: str) -> None:
    expect(seen["result"]["type"] == "NoneType", f"{what} 应返回 None，却返回了 {seen['result']['type']}。",
           f"{what} must return None; it returned {seen['result']['type']}.")


def _grad_of(seen: dict[str, Any], name: str, what: str, inputs: str) -> dict[str, Any]:
    grad = seen["grads"][name]
    expect(grad is not None, f"{what} 之后参数 {name} 的 .grad 是 None。",
           f"After {what}, the .grad of {name} is None.", f"输入 input: {inputs}")
    return dict(grad)


def expect_accumulated(judge: Judge, seen: dict[str, Any], seed: int, train: bool, batches: list[torch.Tensor],
                       preset: dict[str, torch.Tensor], inputs: str) -> None:
    """Each .grad is its preset value (or 0) plus the sum of the batches' gradients, replayed in float64."""
    what = "accumulate_grads(model, batches)"
    _returns_none(seen, what)
    model = build_model(seed).double().train(train)
    for x in batches:
        model(x.double()).pow(2).mean().backward()
    atol, rtol = TOLERANCE[torch.float32]
    for name, p in model.named_parameters():
        assert p.grad is not None
        want = p.grad + preset[name].double() if name in preset else p.grad
        expect_tensor(_grad_of(seen, name, what, inputs), want.float(), f"{what} → {name}.grad", device=judge.device,
                      inputs=inputs, atol=atol, rtol=rtol)


def expect_cleared(judge: Judge, seen: dict[str, Any], set_to_none: bool, preset: dict[str, torch.Tensor],
                   inputs: str) -> None:
    """All .grad None (``set_to_none``), or the preset ones zeros and the others still None."""
    what = f"clear_grads(model, set_to_none={set_to_none})"
    _returns_none(seen, what)
    for name, grad in seen["grads"].items():
        if set_to_none or name not in preset:
            expect(grad is None, f"{what} 之后参数 {name} 的 .grad 应为 None，却是张量。",
                   f"After {what}, the .grad of {name} must be None; it is a tensor.",
                   f"之前 before: {'张量 a tensor' if name in preset else 'None'}; 输入 input: {inputs}")
        else:
            expect_tensor(_grad_of(seen, name, what, inputs), torch.zeros_like(preset[name]), f"{what} → {name}.grad",
                          device=judge.device, inputs=inputs, atol=0, rtol=0)


def expect_modes_kept(seen: dict[str, Any], what: str, inputs: str) -> None:
    changed = [name or "(model)" for name, mode in seen["modes_after"].items() if seen["modes_before"][name] != mode]
    expect(not changed, f"{what} 之后模型（或子模块）的 training 标志与调用前不同。",
           f"After {what}, the training flag of the model (or a submodule) is not what it was before.",
           f"改变的 changed: {', '.join(changed)}", f"输入 input: {inputs}")
    expect(seen["parameters_unchanged"], f"{what} 改变了模型参数。", f"{what} changed the model's parameters.",
           f"输入 input: {inputs}")


def expect_forward(judge: Judge, seen: dict[str, Any], func: str, seed: int, train: bool, x: torch.Tensor,
                   inputs: str) -> None:
    """``forward_no_grad`` or ``forward_eval`` on the BatchNorm model: the output of the mode it
    must run in, the graph it must (not) have, the running statistics it must (not) update."""
    what = f"{func}(model, x)"
    model = build_model(seed).double().train(train and func == "forward_no_grad")
    with torch.no_grad():
        want = model(x.double())
    atol, rtol = TOLERANCE[torch.float32]
    expect_tensor(seen["result"], want.float(), what, device=judge.device, inputs=inputs, atol=atol, rtol=rtol)
    for name, buffer in model.named_buffers():
        moved = "更新 updates" if train and func == "forward_no_grad" else "不改变 keeps"
        expect_tensor(seen["buffers"][name], buffer.to(torch.int64 if name.endswith("tracked") else torch.float32),
                      f"{what} → {name}", device=judge.device, inputs=f"{inputs}; 应 must: {moved} {name}",
                      atol=atol, rtol=rtol)
    graph = seen["result"]["has_graph"] and seen["result"]["requires_grad"]
    if func == "forward_no_grad":
        expect(not graph, f"{what} 建立了计算图：应在 torch.no_grad() 下运行。",
               f"{what} built a graph: run it under torch.no_grad().", f"输入 input: {inputs}")
    else:
        expect(graph, f"{what} 没有计算图：eval() 不停止 autograd，不应使用 torch.no_grad()。",
               f"{what} has no graph: eval() does not stop autograd, so do not use torch.no_grad().",
               f"输入 input: {inputs}")
    expect_modes_kept(seen, what, inputs)


def expect_dropout(judge: Judge, seen: dict[str, Any], func: str, train: bool, n: int, inputs: str) -> None:
    """On a lone Dropout(0.5) fed ones(n): each output 0 or 2 with about half zeros when dropout
    must be on (forward_no_grad in train mode), all ones when it must be off."""
    what = f"{func}(model, x)"
    expect_kind(seen["result"], "tensor", what)
    got = seen["result"]["value"].double().cpu()
    if train and func == "forward_no_grad":
        zeros = int((got == 0).sum())
        expect(bool(((got == 0) | (got == 2)).all()) and abs(zeros - n / 2) <= 6 * (n / 4) ** 0.5,
               f"{what} 中的 dropout 没有起作用：torch.no_grad() 不改变训练模式下 dropout 的行为。",
               f"Dropout did not act in {what}: torch.no_grad() does not change what dropout does in train mode.",
               f"置零的 zeroed: {zeros} / {n}", f"输入 input: {inputs}")
    else:
        expect_tensor(seen["result"], torch.ones(n), what, device=judge.device, inputs=inputs)
    expect_modes_kept(seen, what, inputs)


def expect_clipped(judge: Judge, seen: dict[str, Any], preset: dict[str, torch.Tensor], max_norm: float,
                   inputs: str) -> None:
    """The total norm T of the preset gradients, returned as a float, and each gradient times
    min(1, max_norm / (T + 1e-6)); parameters without a gradient keep None."""
    what = f"clip_gradients(model, max_norm={max_norm:g})"
    total = torch.cat([g.double().flatten() for g in preset.values()]).norm()
    value = expect_number(seen["result"], what, f"输入 input: {inputs}")
    expect(isinstance(value, float) and abs(value - float(total)) <= 1e-4 * float(total) + 1e-6,
           f"{what} 返回 {value!r}，应为裁剪前的总范数 {float(total):.6g}（Python float）。",
           f"{what} returned {value!r}; expected the total norm before clipping, {float(total):.6g} (a Python float).",
           f"输入 input: {inputs}")
    scale = min(1.0, max_norm / (float(total) + 1e-6))
    for name, grad in seen["grads"].items():
        if name in preset:
            expect_tensor(_grad_of(seen, name, what, inputs), (preset[name].double() * scale).float(),
                          f"{what} → {name}.grad", device=judge.device, inputs=inputs)
        else:
            expect(grad is None, f"{what} 给原本没有梯度的参数 {name} 添了 .grad。",
                   f"{what} gave a .grad to {name}, which had none.", f"输入 input: {inputs}")


def _autograd_seen(judge: Judge, seen: dict[str, Any], func: str, through: str) -> None:
    """``func`` changed y through ``through`` and back-propagated: read in its source, and seen at run time."""
    source = judge.source()  # None: no source to read (a missing module was reported by the probe)
    in_source = source is None or (uses(source, func, through) and uses(source, func, ".backward"))
    expect(in_source and bool(seen["autograd_calls"]),
           f"{func} 应经 y{through} 原地修改 y，再调用 y.sum().backward()。",
           f"{func} must change y in place through y{through}, then call y.sum().backward().",
           f"源代码中的 in the source {through} + .backward: {'有 yes' if in_source else '无 no'}; "
           f"运行时调用 called at run time: {', '.join(seen['autograd_calls']) or '无 none'}")


def _pair(seen: dict[str, Any], what: str) -> tuple[dict[str, Any], dict[str, Any]]:
    result = seen["result"]
    expect_kind(result, "sequence", what)
    expect(len(result["items"]) == 2, f"{what} 应返回两个值，却返回了 {len(result['items'])} 个。",
           f"{what} must return two values; it returned {len(result['items'])}.")
    return result["items"][0], result["items"][1]


def expect_edit(judge: Judge, seen: dict[str, Any], func: str, x: torch.Tensor, new: torch.Tensor,
                inputs: str) -> None:
    """``edit_through_data``: y is ``new`` and the gradient new·(1 − new); ``edit_through_detach``:
    y is ``new`` and the message is autograd's in-place error."""
    what = f"{func}(x, new)"
    y, second = _pair(seen, what)
    atol, rtol = TOLERANCE[x.dtype]
    expect_tensor(y, new, f"{what} → y", device=judge.device, inputs=inputs, atol=atol, rtol=rtol)
    expect(not y["requires_grad"], f"{what} 返回的 y 需要梯度：应返回普通张量。",
           f"{what} returned a y that requires grad: return a plain tensor.", f"输入 input: {inputs}")
    if func == "edit_through_data":
        want = (new.double() * (1 - new.double())).to(x.dtype)
        expect_tensor(second, want, f"{what} → grad", device=judge.device, inputs=inputs, atol=atol, rtol=rtol)
        expect(not second["requires_grad"], f"{what} 返回的梯度需要梯度。",
               f"{what} returned a grad that requires grad.")
        _autograd_seen(judge, seen, func, ".data")
    else:
        expect(second.get("type") == "str" and INPLACE_ERROR in str(second.get("value")),
               f"{what} 返回的第二个值应是 backward() 抛出的 RuntimeError 的消息（含 “{INPLACE_ERROR}”）。",
               f"The second value {what} returns must be the message of the RuntimeError backward() raised "
               f"(it says “{INPLACE_ERROR}”).", f"得到 got: {second.get('type')} {str(second.get('value'))[:80]!r}")
        _autograd_seen(judge, seen, func, ".detach")
    expect(seen["inputs_unchanged"], f"{what} 修改了 x 或 new。", f"{what} changed x or new.", f"输入 input: {inputs}")


def expect_average(seen: dict[str, Any], values: torch.Tensor, inputs: str) -> None:
    """The mean of ``values`` as a Python float."""
    what = "average_loss(losses)"
    value = expect_number(seen["result"], what, f"输入 input: {inputs}")
    want = float(values.double().mean())
    expect(isinstance(value, float) and abs(value - want) <= 1e-6 * abs(want) + 1e-6,
           f"{what} 返回 {value!r}，应为各损失的平均值 {want:.6g}（Python float）。",
           f"{what} returned {value!r}; expected the mean of the losses, {want:.6g} (a Python float).",
           f"输入 input: {inputs}")
