"""Hidden checks for ex09_module_call / 深化 9 的隐藏检查: random models, names and batches."""

import torch

from chapters.ch3.judging.ex09 import (
    expect_hook_counts,
    expect_hooks_restored,
    expect_model_run,
    expect_recorded,
)
from chapters.ch3.probes.ex09 import Built, build_model
from grader.judge.check import Judge, check
from grader.judge.expect import expect

EX = "ex09_module_call"


def _draw(judge: Judge, count: int) -> tuple[int, Built, list[str]]:
    """A random grader model (seed and build) and ``count`` of its layer names in random order."""
    seed = judge.randint(0, 10**6)
    built = build_model(seed)
    names = list(built.calls)
    order = torch.randperm(len(names), generator=judge.gen)[:count]
    return seed, built, [names[int(i)] for i in order]


def _batches(judge: Judge, built: Built, passes: int) -> tuple[list[int], list[torch.Tensor]]:
    sizes = [judge.randint(1, 6) for _ in range(passes)]
    return sizes, [judge.randn(n, *built.sample_shape) for n in sizes]


@check(EX, 2, hidden=True)
def test_recorder_random_models(judge: Judge) -> None:
    """ActivationRecorder 对随机模型、随机层名（任意嵌套层、共享层或模型本身）与多次前向传播都正确
    ActivationRecorder is right for random models, any layer names (nested, shared, root), several passes"""
    for _ in range(2):
        seed, built, names = _draw(judge, judge.randint(3, 6))
        sizes, xs = _batches(judge, built, judge.randint(1, 3))
        seen = judge.probe("ch3.ex09.record", model_seed=seed, names=names, xs=xs)
        expect_recorded(seen, built, names, sizes, f"random grader MLP, {len(sizes)} forward pass(es)")
        expect_hooks_restored(seen, "ActivationRecorder")


@check(EX, 1.5, hidden=True)
def test_recorder_exit_on_error(judge: Judge) -> None:
    """with 块内抛出异常时，异常照常传出，钩子仍被移除
    When the with-block raises, the exception propagates and the hooks are still removed"""
    seed, built, names = _draw(judge, 3)
    sizes, xs = _batches(judge, built, 1)
    seen = judge.probe("ch3.ex09.record", model_seed=seed, names=names, xs=xs, raise_inside=True)
    expect(seen["propagated"], "with 块内抛出的异常被 ActivationRecorder 吞掉了；__exit__ 不应返回 True。",
           "ActivationRecorder swallowed the exception raised in the with-block; __exit__ must not return True.")
    expect_hooks_restored(seen, "ActivationRecorder (with-block raised)")
    expect_recorded(seen, built, names, sizes, "random grader MLP, block raised after one pass")


@check(EX, 0.5, hidden=True)
def test_recorder_unknown_layer(judge: Judge) -> None:
    """未知层名在进入时抛出 KeyError，且不留下任何钩子
    An unknown layer name raises KeyError on entry and leaves no hook behind"""
    seed, _, names = _draw(judge, 2)
    seen = judge.probe("ch3.ex09.unknown_layer", model_seed=seed, names=[*names, "no_such_layer"])
    raised = seen["raised"][0] if seen["raised"] else ""
    expect("KeyError" in seen["raised"],
           f"层名不存在时应在进入时抛出 KeyError，{f'却抛出了 {raised}' if raised else '却没有抛出异常'}。",
           "An unknown layer name must raise KeyError on entry; "
           f"{f'got {raised}' if raised else 'nothing was raised'}.",
           "输入 input: two known layer names, then an unknown one")
    expect_hooks_restored(seen, "ActivationRecorder (unknown layer name)")


@check(EX, 0.5, hidden=True)
def test_run_model_random(judge: Judge) -> None:
    """run_model 对随机模型与批大小返回 model(x) 并触发钩子
    run_model returns model(x) and fires the hooks for random models and batch sizes"""
    seed, built, _ = _draw(judge, 0)
    _, (x,) = _batches(judge, built, 1)
    seen = judge.probe("ch3.ex09.run_model", model_seed=seed, x=x)
    expect_model_run(seen, built, x, judge.device, f"random grader MLP, x {tuple(x.shape)} float32")


@check(EX, 0.5, hidden=True)
def test_count_hook_calls_random(judge: Judge) -> None:
    """count_hook_calls 对随机模型也真正运行两种调用并移除钩子
    count_hook_calls runs both calls and removes its hook for a random model too"""
    seed, built, _ = _draw(judge, 0)
    _, (x,) = _batches(judge, built, 1)
    expect_hook_counts(judge.probe("ch3.ex09.count_hook_calls", model_seed=seed, x=x))
