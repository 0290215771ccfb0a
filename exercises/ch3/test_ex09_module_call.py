"""Public checks for ex09_module_call / 深化 9 的公开检查。"""

from chapters.ch3.judging.ex09 import (
    expect_hook_counts,
    expect_hooks_restored,
    expect_model_run,
    expect_recorded,
)
from chapters.ch3.probes.ex09 import build_model
from grader.judge.check import Judge, check
from grader.judge.expect import expect

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
    expect(seen["returns_self"],
           "with ActivationRecorder(...) as rec 中的 rec 应是记录器本身（__enter__ 应返回 self）。",
           "In `with ActivationRecorder(...) as rec`, rec must be the recorder itself (__enter__ returns self).")
    expect_recorded(seen, built, names, [4, 2], "grader MLP, batches of 4 then 2")


@check(EX, 1.5)
def test_recorder_removes_hooks(judge: Judge) -> None:
    """退出 with 块后移除自己添加的全部钩子，模型原有的钩子保留
    On exit the recorder removes every hook it added and keeps the model's own hooks"""
    built = build_model(SEED)
    names = ["0", "1.1", "1"]
    seen = judge.probe("ch3.ex09.record", model_seed=SEED, names=names, xs=[judge.randn(3, *built.sample_shape)])
    expect_recorded(seen, built, names, [3], "grader MLP, one batch of 3")
    expect_hooks_restored(seen, "ActivationRecorder")


@check(EX, 1)
def test_run_model_fires_hooks(judge: Judge) -> None:
    """run_model 的输出等于 model(x)，且模型及其内部层的钩子都被触发
    run_model returns model(x) and fires the hooks of the model and of its inner layers"""
    built = build_model(SEED)
    x = judge.randn(5, *built.sample_shape)
    seen = judge.probe("ch3.ex09.run_model", model_seed=SEED, x=x)
    expect_model_run(seen, built, x, judge.device, "grader MLP, x (5, ...) float32")


@check(EX, 1)
def test_count_hook_calls(judge: Judge) -> None:
    """count_hook_calls 真正运行 model(x) 与 model.forward(x)，返回 (1, 0)，并移除自己的钩子
    count_hook_calls really runs model(x) and model.forward(x), returns (1, 0), removes its hook"""
    built = build_model(SEED)
    seen = judge.probe("ch3.ex09.count_hook_calls", model_seed=SEED, x=judge.randn(3, *built.sample_shape))
    expect_hook_counts(seen)
