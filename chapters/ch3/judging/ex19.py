"""Judge-side helpers for ex19: the grader model's logits, loss and SGD step in float64, and
what autocast and the scaler must have done.

Low-precision results are compared with float64 references at low-precision tolerances
(bfloat16 keeps 8 significant bits, float16 11). Nothing here runs next to student code.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, Literal

import torch
import torch.nn.functional as F

from chapters.ch3.probes.ex19 import build_model
from grader.judge.check import Judge
from grader.judge.expect import expect, expect_close, expect_equal, expect_kind, expect_number, fail

LOW = {"cpu": torch.bfloat16, "cuda": torch.float16}
TOL = 3e-2  # relative to the largest value: low-precision matmuls against float64


@dataclass
class Setup:
    """The grader model's seed and sizes, and a batch."""

    seed: int
    hidden: int
    classes: int
    x: torch.Tensor
    target: torch.Tensor
    activation: Literal["tanh", "relu"] = "tanh"

    def inputs(self) -> dict[str, Any]:
        return {"seed": self.seed, "hidden": self.hidden, "classes": self.classes, "activation": self.activation,
                "x": self.x, "target": self.target}

    def text(self) -> str:
        n, features = self.x.shape
        act = {"tanh": "Tanh", "relu": "ReLU"}[self.activation]
        return (f"grader model Linear({features}, {self.hidden}), {act}, Linear({self.hidden}, {self.classes}) "
                f"in float32, x float32 ({n}, {features})")

    def model(self) -> torch.nn.Sequential:
        """The grader model in float64."""
        return build_model(self.x.shape[1], self.hidden, self.classes, self.seed, self.activation).double()


def draw(judge: Judge, n: int, features: int, hidden: int, classes: int, *, overflow: bool = False) -> Setup:
    """A random batch for the Tanh model. With ``overflow``, for the ReLU model instead: x times
    ten, every target the class of the smallest logit, and drawn again until some gradient
    exceeds 4 in size, so that a scale of float32's largest value overflows the scaled gradients."""
    while True:
        setup = Setup(judge.randint(0, 10**6), hidden, classes, judge.randn(n, features),
                      torch.randint(0, classes, (n,), generator=judge.gen), "relu" if overflow else "tanh")
        if not overflow:
            return setup
        setup.x = setup.x * 10
        with torch.no_grad():
            setup.target = setup.model()(setup.x.double()).argmin(1)
        if max(float(g.abs().max()) for g in _reference(setup)[2].values()) >= 4:
            return setup


def low_dtype(judge: Judge) -> torch.dtype:
    return LOW[torch.device(judge.device).type]


def _name(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")


def expect_autocast_dtype(judge: Judge, device_type: str) -> None:
    seen = judge.call("autocast_dtype", device_type)
    want = f"torch.{_name(LOW[device_type])}"
    expect(seen.get("type") == "torch.dtype" and seen.get("repr") == want,
           f"autocast_dtype({device_type!r}) 应返回 {want}。", f"autocast_dtype({device_type!r}) must return {want}.",
           f"得到 got {seen.get('repr', seen.get('value', seen.get('type')))}")


def expect_scaler(judge: Judge, device_type: str) -> None:
    """One GradScaler built for ``device_type``, enabled exactly on "cuda" (and so where it runs)."""
    seen = judge.probe("ch3.ex19.make_scaler", device_type=device_type)
    what = f"make_scaler({device_type!r})"
    expect(seen["enabled"] is not None, f"{what} 返回了 {seen['type']}，应为 torch.amp.GradScaler。",
           f"{what} returned {seen['type']}; expected a torch.amp.GradScaler.")
    defaults = {name: p.default for name, p in inspect.signature(torch.amp.GradScaler.__init__).parameters.items()
                if name != "self"}
    want = defaults | {"device": device_type, "enabled": device_type == "cuda"}
    call = f"GradScaler({device_type!r}, enabled={want['enabled']})"
    expect(want in seen["made"], f"{what} 应构造 {call}，其余参数为默认值。",
           f"{what} must build {call}, the other settings left at their defaults: float16 on CUDA needs loss "
           "scaling, bfloat16 on the CPU does not.",
           f"期望 expected {want}", f"构造时的参数 constructed with: {seen['made']}")
    if torch.device(judge.device).type == device_type:
        expect_equal(seen["enabled"], want["enabled"], f"{what}.is_enabled()")


def _reference(setup: Setup) -> tuple[torch.Tensor, torch.Tensor, dict[str, torch.Tensor]]:
    """Logits, loss and each parameter's gradient, in float64."""
    model = setup.model()
    logits = model(setup.x.double())
    loss = F.cross_entropy(logits, setup.target)
    loss.backward()
    return logits.detach(), loss.detach(), {name: p.grad for name, p in model.named_parameters() if p.grad is not None}


def _close_low(got: torch.Tensor, want: torch.Tensor, what: str, inputs: str) -> None:
    scale = float(want.abs().max()) if want.numel() else 1.0
    expect_close(got.double(), want, what, atol=TOL * max(scale, 1e-6), rtol=TOL, inputs=inputs)


def expect_forward(judge: Judge, setup: Setup) -> None:
    """(logits, loss): logits in the low dtype, loss float32, both with a graph, values near the
    float64 reference; the model left float32 and autocast off."""
    inputs = setup.text()
    seen = judge.probe("ch3.ex19.forward", **setup.inputs())
    result = seen["result"]
    expect(result.get("kind") == "sequence" and len(result["items"]) == 2,
           "amp_forward 应返回 (logits, loss) 两个张量。", "amp_forward must return two tensors, (logits, loss).",
           f"得到 got {result.get('type')}")
    logits, loss = result["items"]
    want_logits, want_loss, _ = _reference(setup)
    low = _name(low_dtype(judge))
    why = {"logits": "the linear layers run in low precision", "loss": "cross-entropy runs in float32"}
    for obs, what, dtype, want in ((logits, "logits", low, want_logits), (loss, "loss", "float32", want_loss)):
        expect_kind(obs, "tensor", f"amp_forward(...) {what}")
        expect(list(obs["shape"]) == list(want.shape), f"amp_forward 的 {what} 形状不对。",
               f"amp_forward's {what} has the wrong shape.",
               f"期望 expected {list(want.shape)}, 得到 got {obs['shape']}", f"输入 input: {inputs}")
        expect(obs["dtype"] == dtype, f"amp_forward 的 {what} 是 {obs['dtype']}，在 autocast 下应为 {dtype}。",
               f"amp_forward's {what} is {obs['dtype']}; under autocast it must be {dtype} "
               f"({why[what]}).",
               f"输入 input: {inputs}")
        expect(obs["has_graph"], f"amp_forward 的 {what} 没有计算图。", f"amp_forward's {what} has no graph.",
               f"输入 input: {inputs}")
        _close_low(obs["value"], want, f"amp_forward(...) {what}", inputs)
    expect(seen["param_dtypes"] == ["float32"], f"amp_forward 之后模型参数为 {seen['param_dtypes']}：不要转换模型，"
           "autocast 在上下文中自动转换。", f"After amp_forward the parameters are {seen['param_dtypes']}: do not "
           "convert the model; autocast casts inside its context.", f"输入 input: {inputs}")
    expect(not seen["autocast_after"], "amp_forward 返回后 autocast 仍然开启：应使用 with torch.autocast(...)。",
           "autocast is still on after amp_forward: use it as a context, with torch.autocast(...).",
           f"输入 input: {inputs}")


def _expect_unscaled_loss(result: Any, want: float, inputs: str) -> None:
    """train_step returned the unscaled loss as a Python float."""
    loss = expect_number(result, "train_step(...)", f"输入 input: {inputs}")
    expect(abs(loss - want) <= TOL * abs(want), "train_step 返回的损失不对（应为未放大的 loss.item()）。",
           "train_step returned a wrong loss (the unscaled loss.item() expected).",
           f"期望 expected {want:.5g}, 得到 got {loss:.5g}", f"输入 input: {inputs}")


def expect_step(judge: Judge, setup: Setup, *, lr: float, init_scale: float, enabled: bool,
                stale_grad: float) -> None:
    """One step: the loss as a Python float, the parameters moved by −lr·(unscaled gradient),
    the scale doubled (growth_interval=1) when enabled, training mode."""
    inputs = (f"{setup.text()}, SGD(lr={lr:g}), GradScaler(init_scale={init_scale:g}, growth_interval=1, "
              f"enabled={enabled}), every .grad {stale_grad:g} before the call, model in eval mode")
    seen = judge.probe("ch3.ex19.step", lr=lr, init_scale=init_scale, enabled=enabled, stale_grad=stale_grad,
                       **setup.inputs())
    _, want_loss, grads = _reference(setup)
    _expect_unscaled_loss(seen["result"], float(want_loss), inputs)
    expect(bool(seen["training"]) and all(seen["training"]), "train_step 应在训练模式下运行模型（model.train()）。",
           "train_step must run the model in training mode (model.train()).", f"输入 input: {inputs}")
    before = dict(setup.model().named_parameters())
    largest = max(float(g.abs().max()) for g in grads.values()) * lr  # low-precision error scales with the whole step
    for name, grad in grads.items():
        moved = seen["params"][name].double() - before[name].detach()
        expect_close(moved, -lr * grad, f"train_step: Δ{name} (= −lr·gradient)", atol=TOL * largest, rtol=TOL,
                     inputs=inputs + "; 顺序 order: zero_grad, scale(loss).backward(), step(optimizer), update()")
    want_scale = init_scale * 2 if enabled else 1.0
    expect(seen["scale"] == want_scale, "train_step 之后 scaler 的 scale 不对：每步最后应调用 scaler.update()。",
           "The scaler's scale after train_step is wrong: end every step with scaler.update().",
           f"期望 expected {want_scale:g}, 得到 got {seen['scale']:g}", f"输入 input: {inputs}")


def expect_skipped(judge: Judge, setup: Setup, *, lr: float) -> None:
    """With a scale that overflows the scaled loss, the step is skipped and the scale halved."""
    init_scale = float(torch.finfo(torch.float32).max)
    inputs = (f"{setup.text()} (scaled up), targets the least likely classes, SGD(lr={lr:g}), "
              f"GradScaler(init_scale=float32 max, growth_interval=1): the scaled gradients overflow")
    seen = judge.probe("ch3.ex19.step", lr=lr, init_scale=init_scale, enabled=True, stale_grad=0.0, **setup.inputs())
    _, want_loss, _ = _reference(setup)
    _expect_unscaled_loss(seen["result"], float(want_loss), inputs)
    for name, param in setup.model().named_parameters():
        got = seen["params"][name].double()
        if not torch.equal(got, param.detach()):
            fail("放大后的梯度含有 inf/NaN 时，train_step 仍然更新了参数：应使用 scaler.step(optimizer)，"
                 "它会跳过这一步。",
                 "train_step updated the parameters although the scaled gradients held inf/NaN: use "
                 "scaler.step(optimizer), which skips such a step.", f"参数 parameter {name}", f"输入 input: {inputs}")
    expect(seen["scale"] == init_scale / 2, "跳过一步之后 scale 应减半：应调用 scaler.update()。",
           "After a skipped step the scale must be halved: call scaler.update().",
           f"期望 expected {init_scale / 2:g}, 得到 got {seen['scale']:g}", f"输入 input: {inputs}")
