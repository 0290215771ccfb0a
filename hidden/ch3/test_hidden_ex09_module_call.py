"""Hidden checks for ex09_module_call / 深化 9 的隐藏检查: random models, names and batches."""

import torch

from chapters.ch3.judging.ex09 import (
    expect_hook_counts,
    expect_hooks_restored,
    expect_model_run,
    expect_no_hook_at_init,
    expect_recorded,
    expect_recorded_through_error,
    expect_unknown_layer,
)
from chapters.ch3.probes.ex09 import Built, build_model
from grader.judge.check import Judge, check

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
        expect_no_hook_at_init(seen)
        expect_recorded(seen, built, names, sizes, f"random grader MLP, {len(sizes)} forward pass(es)")
        expect_hooks_restored(seen, "ActivationRecorder")


@check(EX, 0.5, hidden=True)
def test_errors_random(judge: Judge) -> None:
    """随机模型上出错时不留钩子：with 块抛出异常、未知层名、模型在 count_hook_calls 中抛出异常
    On random models errors leave no hook: the with-block raising, an unknown layer name, the model raising"""
    seed, built, names = _draw(judge, 3)
    sizes, xs = _batches(judge, built, judge.randint(1, 2))
    seen = judge.probe("ch3.ex09.record", model_seed=seed, names=names, xs=xs, raise_inside=True)
    expect_recorded_through_error(seen, built, names, sizes,
                                  f"random grader MLP, {len(sizes)} forward pass(es), then the block raises")
    seed, _, names = _draw(judge, judge.randint(1, 3))
    names.insert(judge.randint(1, len(names)), judge.choice(["no_such_layer", "fc", "9.9", "1.7"]))
    seen = judge.probe("ch3.ex09.unknown_layer", model_seed=seed, names=names)
    expect_unknown_layer(seen, f"random grader MLP, {len(names)} names, one unknown after a known one")
    seed, built, _ = _draw(judge, 0)
    _, (x,) = _batches(judge, built, 1)
    failing = judge.choice([1, 2])
    seen = judge.probe("ch3.ex09.count_hook_calls_error", model_seed=seed, x=x, fail_on_run=failing)
    expect_hooks_restored(seen, f"count_hook_calls ({['model(x)', 'model.forward(x)'][failing - 1]} raised)")


@check(EX, 0.5, hidden=True)
def test_run_model_random(judge: Judge) -> None:
    """run_model 对随机模型、批大小与 train/eval 模式返回 model(x)、触发钩子、不改模式
    run_model returns model(x), fires the hooks and keeps the modes for random models, batches and modes"""
    seed, built, eval_modules = _draw(judge, judge.randint(0, 3))
    _, (x,) = _batches(judge, built, 1)
    seen = judge.probe("ch3.ex09.run_model", model_seed=seed, x=x, eval_modules=eval_modules)
    expect_model_run(seen, built, x, judge.device, eval_modules, f"random grader MLP, x {tuple(x.shape)} float32")


@check(EX, 1, hidden=True)
def test_count_hook_calls_random(judge: Judge) -> None:
    """count_hook_calls 对随机模型也真正运行两种调用并移除钩子
    count_hook_calls runs both calls and removes its hook for a random model too"""
    seed, built, _ = _draw(judge, 0)
    _, (x,) = _batches(judge, built, 1)
    expect_hook_counts(judge.probe("ch3.ex09.count_hook_calls", model_seed=seed, x=x))
