"""Public checks for ex14_checkpoints / 练习 14 的公开检查。"""

from chapters.ch3.judging.ex14 import (
    expect_loaded,
    expect_refused,
    expect_resumed,
    expect_saved_safetensors,
    expect_saved_state,
)
from grader.judge.check import Judge, check

EX = "ex14_checkpoints"
MODEL = "grader model (Linear(5, 8), BatchNorm1d(8), ReLU, Linear(8, 3)), float32"


@check(EX, 1)
def test_save_state(judge: Judge) -> None:
    """save_state 用 torch.save 保存 state_dict（参数与缓冲区），文件中不 pickle 任何类
    save_state writes the state_dict (parameters and buffers) with torch.save, pickling no class"""
    expect_saved_state(judge, 0, 8, False, MODEL)


@check(EX, 1)
def test_load_state(judge: Judge) -> None:
    """load_state 读回 torch.save 保存的 state_dict（float32 与 float64），dtype 与数值不变，张量在 CPU 上
    load_state reads back a state_dict saved by torch.save (float32 and float64), dtypes and values kept, tensors
    on the CPU"""
    for double in (False, True):
        expect_loaded(judge, "load_state", 1, 8, double=double)


@check(EX, 1)
def test_load_state_map_location(judge: Judge) -> None:
    """load_state 把在 GPU 上保存的张量加载到 CPU 上（map_location="cpu"）
    load_state loads tensors saved from a GPU onto the CPU (map_location="cpu")"""
    expect_loaded(judge, "load_state", 2, 8, from_cuda=True)


@check(EX, 1.5)
def test_refuses_pickled_model(judge: Judge) -> None:
    """load_state 与 load_checkpoint 拒绝整个模型与任何 pickle 对象（UnpicklingError），不执行其中代码
    load_state and load_checkpoint refuse a whole model saved by torch.save(model) and any pickled object
    (UnpicklingError), running none of it"""
    for func, content in (("load_state", "whole_model"), ("load_state", "object"), ("load_checkpoint", "whole_model")):
        expect_refused(judge, func, content, 3)


@check(EX, 1)
def test_save_safetensors(judge: Judge) -> None:
    """save_safetensors 以 safetensors 格式保存 state_dict
    save_safetensors writes the state_dict in the safetensors format"""
    expect_saved_safetensors(judge, 4, 8, False, MODEL)


@check(EX, 0.5)
def test_load_safetensors(judge: Judge) -> None:
    """load_safetensors 读回 safetensors 文件中的张量，在 CPU 上
    load_safetensors reads back the tensors of a safetensors file, on the CPU"""
    expect_loaded(judge, "load_safetensors", 5, 8)


@check(EX, 1.5)
def test_checkpoint_resume(judge: Judge) -> None:
    """save_checkpoint 保存 model、optimizer 与 epoch；load_checkpoint 恢复后续训与不中断的训练相同，返回 epoch
    save_checkpoint saves model, optimizer and epoch; after load_checkpoint training goes on exactly as if
    uninterrupted, and it returns the epoch"""
    expect_resumed(judge, "sgd", 8, 0.1, 2, 2)
