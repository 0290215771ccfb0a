"""Judge-side helpers for ex15: the problems, a float64 replay of the training they define, and
what the probe's observations of ``train_manual`` and ``train_nn`` must show.

Nothing here runs next to student code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import torch

from grader.judge.check import Judge
from grader.judge.expect import expect, expect_kind, expect_tensor
from grader.judge.usage import forbidden, uses

TOLERANCE = {torch.float32: (1e-4, 1e-4), torch.float64: (1e-9, 1e-9)}  # atol, rtol
LINEAR = "torch.nn.modules.linear.Linear"
RULE_ZH = "本函数的要求，否则这一项不得分"
RULE_EN = "the function's rule; otherwise this check earns nothing"


@dataclass
class Problem:
    """One training run: the data, the start, the hyperparameters, and how to describe them."""

    x: torch.Tensor
    y: torch.Tensor
    w0: torch.Tensor
    b0: torch.Tensor
    lr: float
    epochs: int
    batch_size: int
    seed: int
    text: str = ""

    def inputs(self) -> dict[str, Any]:
        return {"x": self.x, "y": self.y, "w0": self.w0, "b0": self.b0, "lr": self.lr, "epochs": self.epochs,
                "batch_size": self.batch_size, "seed": self.seed}

    def describe(self) -> str:
        n, d = self.x.shape
        kind = ("single-sample SGD" if self.batch_size == 1 else "full batch" if self.batch_size == n
                else "mini-batch")
        return (f"{self.text or 'grader data'}: x ({n}, {d}) {str(self.x.dtype).removeprefix('torch.')}, "
                f"batch_size {self.batch_size} ({kind}), lr {self.lr:g}, epochs {self.epochs}, seed {self.seed}")

    def steps(self) -> int:
        return self.epochs * math.ceil(len(self.x) / self.batch_size)


def draw(judge: Judge, n: int, d: int, *, batch_size: int, lr: float = 0.05, epochs: int = 3,
         dtype: torch.dtype = torch.float32, seed: int | None = None) -> Problem:
    """Noisy data y = x·w + b + ε from a random w and b, and a random start (w0, b0)."""
    x = judge.randn(n, d, dtype=torch.float64)
    w, b = judge.randn(d, dtype=torch.float64) * 2, judge.randn(dtype=torch.float64)
    y = x @ w + b + 0.1 * judge.randn(n, dtype=torch.float64)
    w0, b0 = judge.randn(d, dtype=torch.float64), judge.randn(dtype=torch.float64)
    return Problem(x.to(dtype), y.to(dtype), w0.to(dtype), b0.to(dtype), lr, epochs, batch_size,
                   judge.randint(0, 10**6) if seed is None else seed)


def replay(problem: Problem) -> tuple[torch.Tensor, torch.Tensor]:
    """The parameters the docstring's training reaches, in float64, with the gradients of the
    batch's mean squared error written out: ∂/∂w = 2/B·X_Bᵀr, ∂/∂b = 2/B·Σr, r = X_B·w + b − y_B."""
    x, y = problem.x.double(), problem.y.double()
    w, b = problem.w0.double().clone(), problem.b0.double().clone()
    for epoch in range(problem.epochs):
        order = torch.randperm(len(x), generator=torch.Generator().manual_seed(problem.seed + epoch))
        for start in range(0, len(x), problem.batch_size):
            rows = order[start:start + problem.batch_size]
            r = x[rows] @ w + b - y[rows]
            w, b = w - problem.lr * 2 / len(rows) * (x[rows].T @ r), b - problem.lr * 2 / len(rows) * r.sum()
    return w, b


def _inputs_alone(seen: dict[str, Any], func: str, where: str) -> None:
    expect(seen["inputs_unchanged"], f"{func} 修改了 x、y、w0 或 b0：应在它们的副本上训练。",
           f"{func} changed x, y, w0 or b0: train on copies of them.", where)


def expect_manual(judge: Judge, seen: dict[str, Any], problem: Problem) -> None:
    """``train_manual`` (seen by ``ex15.train``) returned the replay's (w, b), plain, left its inputs
    alone, and trained by hand: autograd's backward (seen at run time when there was a step to
    take), no optimiser."""
    where, what = f"输入 input: {problem.describe()}", "train_manual(...)"
    result = seen["result"]
    expect_kind(result, "sequence", what)
    expect(len(result["items"]) == 2, f"{what} 应返回 (w, b) 两个张量，却返回了 {len(result['items'])} 个值。",
           f"{what} must return the two tensors (w, b); it returned {len(result['items'])} values.")
    w, b = replay(problem)
    atol, rtol = TOLERANCE[problem.x.dtype]
    for obs, want, name in zip(result["items"], (w, b), ("w", "b"), strict=True):
        expect_tensor(obs, want.to(problem.x.dtype), f"{what} → {name}", device=judge.device,
                      inputs=problem.describe(), atol=atol, rtol=rtol)
        expect(not obs["requires_grad"] and not obs["has_graph"],
               f"{what} 返回的 {name} 需要梯度：训练结果应是普通张量（.detach()）。",
               f"{what} returned a {name} that requires grad: the trained values are plain tensors (.detach()).",
               where)
    _inputs_alone(seen, "train_manual", where)
    expect(not seen["optimizer_steps"], f"train_manual 用了优化器：从零实现要手写更新，{RULE_ZH}。",
           f"train_manual used an optimiser: from scratch, the update is written by hand, {RULE_EN}.",
           f"step() 的优化器 optimiser stepped: {', '.join(sorted(set(seen['optimizer_steps'])))}", where)
    source = judge.source()  # None: no source to read (a missing module was reported by the probe)
    if source is not None:
        found = forbidden(source, "train_manual", ("torch.optim",))
        expect(not found, f"train_manual 用到了 {'、'.join(found)}：从零实现不用 torch.optim，{RULE_ZH}。",
               f"train_manual uses {', '.join(found)}: from scratch means no torch.optim, {RULE_EN}.")
    by_autograd = source is None or uses(source, "train_manual", ".backward") or \
        uses(source, "train_manual", "torch.autograd.grad")
    expect(by_autograd and (bool(seen["autograd_calls"]) or not problem.steps()),
           f"train_manual 没有用 autograd 求梯度：应对损失调用 loss.backward()，{RULE_ZH}。",
           f"train_manual did not take its gradients with autograd: call loss.backward() on the loss, {RULE_EN}.",
           f"源代码中 in the source: {'有 yes' if by_autograd else '无 no'}; 运行时调用 called at run time: "
           f"{', '.join(seen['autograd_calls']) or '无 none'}", where)


def expect_nn(judge: Judge, seen: dict[str, Any], problem: Problem) -> None:
    """``train_nn`` (seen by ``ex15.train``) returned an ``nn.Linear`` holding the replay's
    parameters, left its inputs alone, and stepped ``torch.optim.SGD`` once per batch."""
    where, what = f"输入 input: {problem.describe()}", "train_nn(...)"
    result = seen["result"]
    expect(result["type"] == LINEAR, f"{what} 返回了 {result['type']}，应为训练好的 nn.Linear。",
           f"{what} returned {result['type']}; expected the trained nn.Linear.", where)
    params = seen["parameters"]
    expect(sorted(params) == ["bias", "weight"], f"{what} 返回的 nn.Linear 应有 weight 与 bias 两个参数。",
           f"The nn.Linear {what} returned must have the two parameters weight and bias.",
           f"参数 parameters: {', '.join(sorted(params)) or '无 none'}")
    w, b = replay(problem)
    atol, rtol = TOLERANCE[problem.x.dtype]
    for name, want in (("weight", w.reshape(1, -1)), ("bias", b.reshape(1))):
        expect_tensor(params[name], want.to(problem.x.dtype), f"{what} → {name}",
                      device=judge.device, inputs=problem.describe(), atol=atol, rtol=rtol)
    _inputs_alone(seen, "train_nn", where)
    steps, want_steps = seen["optimizer_steps"], problem.steps()
    source = judge.source()
    in_source = source is None or uses(source, "train_nn", "torch.optim.SGD")
    expect(in_source and steps == ["SGD"] * want_steps,
           f"train_nn 应用 torch.optim.SGD 每批走一步（共 {want_steps} 步），{RULE_ZH}。",
           f"train_nn must take one torch.optim.SGD step per batch ({want_steps} in all), {RULE_EN}.",
           f"源代码中的 torch.optim.SGD in the source: {'有 yes' if in_source else '无 no'}; 运行时的 step() "
           f"steps at run time: {len(steps)} ({', '.join(sorted(set(steps))) or '无 none'})", where)
