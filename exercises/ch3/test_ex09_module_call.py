"""Public checks for ex09_module_call / 深化 9 的公开检查。"""

from chapters.ch3.judging.ex09 import (
    expect_hook_counts,
    expect_hooks_restored,
    expect_model_run,
    expect_no_hook_at_init,
    expect_recorded,
    expect_recorded_through_error,
    expect_unknown_layer,
)
from chapters.ch3.probes.ex09 import build_model
from grader.judge.check import Judge, check

EX = "ex09_module_call"
SEED = 9  # the grader model of the public checks


@check(EX, 1.5)
def test_recorder_records_shapes(judge: Judge) -> None:
    """ActivationRecorder 记录每层每次输出的形状（两次前向传播依次追加）
    ActivationRecorder records each layer's output shape per call (two forward passes append)"""
    built = build_model(SEED)
    names = ["1.0", "2", ""]
    xs = [judge.randn(4, *built.sample_shape), judge.randn(2, *built.sample_shape)]
    seen = judge.probe("ch3.ex09.record", model_seed=SEED, names=names, xs=xs)
    expect_recorded(seen, built, names, [4, 2], "grader MLP, batches of 4 then 2")


@check(EX, 1)
def test_recorder_removes_hooks(judge: Judge) -> None:
    """钩子在进入 with 块时才注册，退出时移除自己添加的全部钩子，模型原有的钩子保留
    Hooks are registered on entering the with-block; on exit the recorder removes all its own, keeps the model's"""
    built = build_model(SEED)
    names = ["0", "1.1", "1"]
    seen = judge.probe("ch3.ex09.record", model_seed=SEED, names=names, xs=[judge.randn(3, *built.sample_shape)])
    expect_no_hook_at_init(seen)
    expect_recorded(seen, built, names, [3], "grader MLP, one batch of 3")
    expect_hooks_restored(seen, "ActivationRecorder")


@check(EX, 0.5)
def test_recorder_exit_on_error(judge: Judge) -> None:
    """with 块内抛出异常时，异常照常传出，钩子仍被移除
    When the with-block raises, the exception propagates and the hooks are still removed"""
    built = build_model(SEED)
    names = ["2", "1.1", "0"]
    seen = judge.probe("ch3.ex09.record", model_seed=SEED, names=names, xs=[judge.randn(2, *built.sample_shape)],
                       raise_inside=True)
    expect_recorded_through_error(seen, built, names, [2], "grader MLP, one batch of 2, then the block raises")


@check(EX, 0.5)
def test_recorder_unknown_layer(judge: Judge) -> None:
    """未知层名在进入 with 块时抛出 KeyError，且不留下任何钩子
    An unknown layer name raises KeyError on entering the with-block and leaves no hook behind"""
    seen = judge.probe("ch3.ex09.unknown_layer", model_seed=SEED, names=["1.0", "", "classifier"])
    expect_unknown_layer(seen, "grader MLP, names '1.0', '' (the model), then 'classifier' (no such layer)")


@check(EX, 1)
def test_run_model_fires_hooks(judge: Judge) -> None:
    """run_model 的输出等于 model(x)（保留计算图），模型及其内部层的钩子都被触发，各模块的 train/eval 模式不变
    run_model returns model(x) with its graph, fires the hooks of the model and its inner layers, keeps every mode"""
    built = build_model(SEED)
    x = judge.randn(5, *built.sample_shape)
    eval_modules = ["", "1.0"]
    seen = judge.probe("ch3.ex09.run_model", model_seed=SEED, x=x, eval_modules=eval_modules)
    expect_model_run(seen, built, x, judge.device, eval_modules, "grader MLP, x (5, ...) float32")


@check(EX, 1)
def test_count_hook_calls(judge: Judge) -> None:
    """count_hook_calls 真正运行 model(x) 与 model.forward(x)，返回 (1, 0)，并移除自己的钩子
    count_hook_calls really runs model(x) and model.forward(x), returns (1, 0), removes its hook"""
    built = build_model(SEED)
    seen = judge.probe("ch3.ex09.count_hook_calls", model_seed=SEED, x=judge.randn(3, *built.sample_shape))
    expect_hook_counts(seen)


@check(EX, 0.5)
def test_count_hook_calls_on_error(judge: Judge) -> None:
    """模型运行时抛出异常，count_hook_calls 也移除自己的钩子
    count_hook_calls removes its hook when the model raises too"""
    built = build_model(SEED)
    seen = judge.probe("ch3.ex09.count_hook_calls_error", model_seed=SEED, x=judge.randn(3, *built.sample_shape),
                       fail_on_run=1)
    expect_hooks_restored(seen, "count_hook_calls (model(x) raised)")
