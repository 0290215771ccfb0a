"""Hidden checks for ex14_checkpoints / 练习 14 的隐藏检查: random models, dtypes, files and optimizers."""

from chapters.ch3.judging.ex14 import (
    expect_loaded,
    expect_refused,
    expect_resumed,
    expect_saved_safetensors,
    expect_saved_state,
)
from grader.judge.check import Judge, check

EX = "ex14_checkpoints"


@check(EX, 1, hidden=True)
def test_state_files_random(judge: Judge) -> None:
    """两种格式的保存与加载对随机模型与 dtype 都正确，来自 GPU 的文件加载到 CPU 上
    saving and loading in both formats are right for random models and dtypes, a file from a GPU lands on the CPU"""
    seed, width, double = judge.randint(0, 10**6), judge.randint(1, 12), judge.choice([True, False])
    inputs = f"grader model of width {width}, {'float64' if double else 'float32'}"
    expect_saved_state(judge, seed, width, double, inputs)
    expect_saved_safetensors(judge, seed + 1, width, double, inputs)
    expect_loaded(judge, "load_state", seed + 2, width, from_cuda=judge.choice([True, False]), double=double)
    expect_loaded(judge, "load_safetensors", seed + 3, width, double=double)


@check(EX, 0.5, hidden=True)
def test_refuses_pickled_objects(judge: Judge) -> None:
    """load_state 与 load_checkpoint 拒绝含有任意 pickle 对象的文件，不执行其中代码
    load_state and load_checkpoint refuse a file holding any pickled object, running none of it"""
    for func in ("load_state", "load_checkpoint"):
        expect_refused(judge, func, judge.choice(["object", "whole_model"]), judge.randint(0, 10**6))


@check(EX, 1, hidden=True)
def test_resume_random(judge: Judge) -> None:
    """断点续训对 Adam 与 SGD、随机宽度与步数都与不中断的训练相同
    resuming matches uninterrupted training for Adam and SGD, random widths and numbers of steps"""
    for optimizer in ("adam", "sgd"):
        expect_resumed(judge, optimizer, judge.randint(2, 10), judge.choice([0.01, 0.05]), judge.randint(1, 3),
                       judge.randint(1, 3))
