"""Judge-side helpers for ex21: what the new head, the frozen backbone, the optimizer and the
training steps must show, with the head's references computed here in float64 from the
features the probes send back.

Nothing here runs next to student code.
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F

from chapters.ch3.probes.ex21 import FEATURES
from grader.judge.expect import expect, expect_number, expect_sample, expect_tensor, fail

LINEAR = "torch.nn.modules.linear.Linear"
HEAD = ["fc.bias", "fc.weight"]


def expect_head(seen: dict[str, Any], k: int, n: int, device: str, inputs: str) -> None:
    """``replace_head(model, k)`` (seen by ``ex21.head``): it returned the new ``model.fc``, an
    ``nn.Linear(1024, k)`` with a bias and the default init; ``model(x)`` gives (N, k) logits equal to
    features · Wᵀ + b; the backbone is untouched."""
    where = f"输入 input: {inputs}"
    expect(seen["fc_type"] == LINEAR, f"replace_head 之后 model.fc 是 {seen['fc_type']}，应为 nn.Linear。",
           f"After replace_head, model.fc is a {seen['fc_type']}; expected an nn.Linear.", where)
    weight = expect_tensor(seen["weight"], torch.zeros(k, FEATURES), "model.fc.weight", device=device,
                           atol=math.inf, inputs=inputs)  # shape, dtype, device here; values below
    expect(seen["bias"]["kind"] == "tensor", "新的 model.fc 没有偏置（bias=False）；应为带偏置的 nn.Linear。",
           "The new model.fc has no bias (bias=False); expected an nn.Linear with a bias.", where)
    bias = expect_tensor(seen["bias"], torch.zeros(k), "model.fc.bias", device=device, atol=math.inf, inputs=inputs)
    expect(seen["returned_fc"], "replace_head 返回的不是新的 model.fc 层对象。",
           "replace_head did not return the new layer now at model.fc.",
           f"返回了 returned: {seen['result']['type']}", where)
    bound = 1 / math.sqrt(FEATURES)
    expect_sample(weight, "model.fc.weight", law="uniform", std=bound / math.sqrt(3),
                  inputs=f"{inputs}; 期望 PyTorch 的默认初始化 expected PyTorch's default init U(−1/√1024, 1/√1024)")
    expect(bool((bias.abs() <= bound * (1 + 1e-6)).all()), "model.fc.bias 超出默认初始化的范围 U(−1/√1024, 1/√1024)。",
           "model.fc.bias is outside the default init's range U(−1/√1024, 1/√1024).", where)
    features = expect_tensor(seen["features"], torch.zeros(n, FEATURES), "model(x) 的特征 features of model(x)",
                             atol=math.inf, inputs=inputs)
    logits = features.double() @ weight.double().T + bias.double()
    expect_tensor(seen["output"], logits.float(), "model(x)", device=device, inputs=inputs)
    expect(seen["backbone_unchanged"], "replace_head 改变了 model.fc 以外的部分。",
           "replace_head changed the model outside model.fc.", where)


def expect_frozen(seen: dict[str, Any], inputs: str) -> None:
    """``freeze_backbone(model)`` (seen by ``ex21.freeze``): exactly fc.weight and fc.bias require
    grad, it returned None, values stayed."""
    where = f"输入 input: {inputs}"
    trainable = sorted(name for name, flag in seen["requires_grad"].items() if flag)
    if trainable != HEAD:
        extra = [name for name in trainable if name not in HEAD]
        missing = [name for name in HEAD if name not in trainable]
        shown = ", ".join(extra[:6]) + (f" … (+{len(extra) - 6})" if len(extra) > 6 else "")
        fail("freeze_backbone 之后需要梯度的参数不恰好是 model.fc 的 weight 与 bias。",
             "After freeze_backbone, the parameters that require grad are not exactly model.fc's weight and bias.",
             *([f"仍可训练 still trainable: {shown}"] if extra else []),
             *([f"被冻结的头部参数 head parameters frozen: {', '.join(missing)}"] if missing else []), where)
    expect(seen["result"]["kind"] == "scalar" and seen["result"]["value"] is None,
           f"freeze_backbone 返回了 {seen['result']['type']}，应返回 None。",
           f"freeze_backbone returned {seen['result']['type']}; expected None.", where)
    expect(seen["values_unchanged"], "freeze_backbone 改变了参数的数值。", "freeze_backbone changed parameter values.",
           where)


def expect_optimizer(seen: dict[str, Any], what: str, lr: float, momentum: float) -> None:
    """``head_optimizer`` (one of ``ex21.optimizer``'s observations): an SGD whose groups hold exactly
    fc.weight and fc.bias, once each, with ``lr`` and ``momentum``."""
    expect(seen["type"] == "torch.optim.sgd.SGD", f"{what} 返回了 {seen['type']}，应为 torch.optim.SGD。",
           f"{what} returned a {seen['type']}; expected a torch.optim.SGD.")
    held = sorted(name for group in seen["groups"] for name in group["params"])
    expect(held == HEAD, f"{what} 的参数组应恰好包含 model.fc.weight 与 model.fc.bias 各一次。",
           f"{what}'s parameter groups must hold exactly model.fc.weight and model.fc.bias, once each.",
           f"持有 holds: {', '.join(held[:6]) + (f' … (+{len(held) - 6})' if len(held) > 6 else '') or '无 nothing'}")
    for group in seen["groups"]:
        for key, want in (("lr", lr), ("momentum", momentum)):
            got = expect_number(group[key], f"{what}: param_groups[…]['{key}']")
            expect(math.isclose(got, want, rel_tol=1e-9),
                   f"{what} 的 {key} 为 {got:g}，应为 {want:g}。", f"{what} has {key} {got:g}; expected {want:g}.")


def train_reference(features: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, y: torch.Tensor, lr: float,
                    momentum: float, steps: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The head after ``steps`` SGD-with-momentum steps on the cross-entropy of features · Wᵀ + b
    against ``y`` (the features stay: the backbone is frozen, in eval mode), in float64."""
    params = [weight.double(), bias.double()]
    velocity: list[torch.Tensor] = []
    for step in range(steps):
        leaves = [p.clone().requires_grad_(True) for p in params]
        grads = torch.autograd.grad(F.cross_entropy(features.double() @ leaves[0].T + leaves[1], y), leaves)
        velocity = list(grads) if step == 0 else [momentum * v + g for v, g in zip(velocity, grads, strict=True)]
        params = [p - lr * v for p, v in zip(params, velocity, strict=True)]
    return params[0], params[1]


def expect_trained(seen: dict[str, Any], k: int, n: int, y: torch.Tensor, lr: float, momentum: float, steps: int,
                   device: str, inputs: str) -> None:
    """After the training steps (seen by ``ex21.train``): the backbone untouched and the head equal
    to the float64 reference from the features and the head before training."""
    expect(seen["backbone_unchanged"], "训练之后 model.fc 以外的部分变了：主干网络应被冻结，优化器只更新头部。",
           "After training, the model changed outside model.fc: the backbone must be frozen and the optimizer "
           "must update the head only.", f"输入 input: {inputs}")
    before = {name: expect_tensor(seen["before"][name], torch.zeros(shape), f"model.fc.{name}", atol=math.inf,
                                  inputs=inputs) for name, shape in (("weight", (k, FEATURES)), ("bias", (k,)))}
    features = expect_tensor(seen["features"], torch.zeros(n, FEATURES), "model(x) 的特征 features of model(x)",
                             atol=math.inf, inputs=inputs)
    weight, bias = train_reference(features, before["weight"], before["bias"], y, lr, momentum, steps)
    for name, want in (("weight", weight), ("bias", bias)):
        expect_tensor(seen["after"][name], want.float(), f"训练 {steps} 步后 after {steps} steps: model.fc.{name}",
                      device=device, inputs=inputs)
