"""Judge-side helpers for ex09: what the observations of the probes must show.

Nothing here runs next to student code.
"""

from __future__ import annotations

from typing import Any

import torch

from chapters.ch3.probes.ex09 import Built
from grader.judge.expect import expect, expect_equal, expect_tensor


def expect_recorded(seen: dict[str, Any], built: Built, names: list[str], batch_sizes: list[int], inputs: str) -> None:
    """``__enter__`` gave the recorder, and ``recorder.shapes`` holds, per name, the shape of
    every call of one pass per batch size."""
    expect(seen["returns_self"],
           "with ActivationRecorder(...) as rec 中的 rec 应是记录器本身（__enter__ 应返回 self）。",
           "In `with ActivationRecorder(...) as rec`, rec must be the recorder itself (__enter__ returns self).")
    shapes = seen["shapes"]
    expect(shapes is not None,
           f"ActivationRecorder.shapes 应是 dict（层名 → 形状列表），却是 {seen['shapes_type']}。",
           f"ActivationRecorder.shapes must be a dict (layer name -> list of shapes); it is {seen['shapes_type']}.")
    odd = sorted({entry for entries in shapes.values() for entry in
                  ([entries] if isinstance(entries, str) else entries) if isinstance(entry, str)})
    expect(not odd, f"shapes 的每个值应是形状列表，每个形状是整数元组，如 [(4, 8)]；却得到 {', '.join(odd)}。",
           f"Each value of shapes must be a list of shapes, each a tuple of ints, such as [(4, 8)]; "
           f"got {', '.join(odd)}.")
    expected = {name: [(n, *shape) for n in batch_sizes for shape in built.calls[name]] for name in names}
    got = {name: [tuple(s) for s in entries] for name, entries in shapes.items()}
    expect_equal(got, expected, "ActivationRecorder.shapes", f"输入 input: {inputs}")


def expect_recorded_through_error(seen: dict[str, Any], built: Built, names: list[str], batch_sizes: list[int],
                                  inputs: str) -> None:
    """The ``with`` block raised: the exception came out, the hooks are gone, the shapes are kept."""
    expect(seen["propagated"], "with 块内抛出的异常被 ActivationRecorder 吞掉了；__exit__ 不应返回 True。",
           "ActivationRecorder swallowed the exception raised in the with-block; __exit__ must not return True.",
           f"输入 input: {inputs}")
    expect_hooks_restored(seen, "ActivationRecorder (with-block raised)")
    expect_recorded(seen, built, names, batch_sizes, inputs)


def expect_no_hook_at_init(seen: dict[str, Any]) -> None:
    """Building the recorder added no hook (hooks come with ``__enter__``)."""
    added = seen["hooks_at_init"]
    expect(not added, f"ActivationRecorder(...) 在进入 with 块之前就注册了 {added} 个钩子；钩子应在 __enter__ 中注册。",
           f"ActivationRecorder(...) registered {added} hook(s) before the with-block was entered; "
           "register them in __enter__.")


def expect_unknown_layer(seen: dict[str, Any], inputs: str) -> None:
    """The ``with`` statement (not the constructor) raised KeyError, and no hook is left or lost."""
    raised = seen["raised"][0] if seen["raised"] else ""
    expect("KeyError" in seen["raised"],
           f"层名不存在时，进入 with 块应抛出 KeyError，{f'却抛出了 {raised}' if raised else '却没有抛出异常'}。",
           "An unknown layer name must raise KeyError on entering the with-block; "
           f"{f'got {raised}' if raised else 'nothing was raised'}.", f"输入 input: {inputs}")
    expect(seen["raised_by"] == "with",
           "KeyError 应在进入 with 块时（__enter__）抛出，而不是在构造 ActivationRecorder(...) 时。",
           "The KeyError must come on entering the with-block (__enter__), not from ActivationRecorder(...).",
           f"输入 input: {inputs}")
    expect_hooks_restored(seen, "ActivationRecorder (unknown layer name)")


def expect_hooks_restored(seen: dict[str, Any], what: str) -> None:
    """No hook added by ``what`` is left, and none that was there before is gone."""
    left, lost = seen["hooks_left"], seen["hooks_lost"]
    expect(not left, f"{what} 结束后留下了 {left} 个未移除的钩子。", f"{what} left {left} hook(s) registered.")
    expect(not lost, f"{what} 移除了模型原有的 {lost} 个钩子；只应移除自己添加的。",
           f"{what} removed {lost} hook(s) that the model already had; remove only your own.")


def expect_model_run(seen: dict[str, Any], built: Built, x: torch.Tensor, device: str, eval_modules: list[str],
                     inputs: str) -> None:
    """``run_model`` returned ``model(x)`` (reference in float64) with its graph, the hooks
    fired once each, and every module kept its mode (those in ``eval_modules`` eval, the rest train)."""
    expected = built.model.double()(x.double()).detach().float()
    expect_tensor(seen["result"], expected, "run_model(model, x)", device=device, atol=1e-4, inputs=inputs)
    expect(seen["result"]["has_graph"],
           "run_model 的输出没有计算图（grad_fn 为 None）：不要在 torch.no_grad() 下运行或 detach，"
           "应与 model(x) 完全相同。",
           "run_model's output has no autograd graph (grad_fn is None): do not run under torch.no_grad() or "
           "detach; return exactly what model(x) returns.", f"输入 input: {inputs}")
    changed = sorted(name or "<model>" for name, training in seen["training"].items()
                     if training == (name in eval_modules))
    in_eval = ", ".join(name or "<model>" for name in eval_modules)
    expect(not changed,
           f"run_model 改变了这些模块的 train/eval 模式：{', '.join(changed)}；应保持模型原来的模式。",
           f"run_model changed the train/eval mode of: {', '.join(changed)}; leave the model's modes as they were.",
           f"输入 input: {inputs}; eval 模式的模块 modules in eval mode: {in_eval}")
    fired = seen["fired"]
    expect(fired == {"model": 1, "inner": 1},
           f"run_model 运行时，模型本身的钩子触发了 {fired['model']} 次、内部层的钩子触发了 {fired['inner']} 次，"
           "应各 1 次：要用 model(x)（经过 __call__）运行模型。",
           f"During run_model the model's own hook fired {fired['model']} time(s) and an inner layer's hook "
           f"{fired['inner']} time(s); each must fire once: run the model as model(x), through __call__.",
           f"输入 input: {inputs}")


def expect_hook_counts(seen: dict[str, Any]) -> None:
    """``count_hook_calls`` gave (1, 0) as ints, really ran both calls, and removed its hook."""
    result = seen["result"]
    expect(result["type"] == "tuple", f"count_hook_calls 返回了 {result['type']}，应为两个 int 的元组。",
           f"count_hook_calls returned {result['type']}; expected a tuple of two ints.")
    counts = [item["value"] if item["type"] == "int" else f"<{item['type']}>" for item in result["items"]]
    expect_equal(tuple(counts), (1, 0), "count_hook_calls(model, x)")
    runs = seen["forward_runs"]
    expect(runs == 2,
           f"count_hook_calls 运行 model.forward 共 {runs} 次，应为 2 次："
           "经 model(x) 一次，直接调用 model.forward(x) 一次。",
           f"count_hook_calls ran model.forward {runs} time(s); expected 2: once through model(x), "
           "once as model.forward(x).")
    expect_hooks_restored(seen, "count_hook_calls")
