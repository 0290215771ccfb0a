"""Hidden checks for ex01_tensor_numpy / 基础 1 的隐藏检查: random shapes and dtypes."""

import torch

from chapters.ch3.judging.ex01 import draw_values, expect_converted, expect_sharing, kind_of
from grader.judge.check import Judge, check
from grader.judge.expect import expect

EX = "ex01_tensor_numpy"
DTYPES = [torch.float16, torch.float32, torch.float64, torch.int32, torch.int64, torch.uint8, torch.bool]


def _draw(judge: Judge) -> torch.Tensor:
    """Random values of a random shape (0-d to 4-d) and dtype."""
    shape = tuple(judge.randint(1, 5) for _ in range(judge.randint(0, 4)))
    return draw_values(judge, shape, judge.choice(DTYPES))


@check(EX, 1, hidden=True)
def test_to_tensor_any_dtype(judge: Judge) -> None:
    """to_tensor 对各种 dtype 与形状（含 0 维、转置）都零拷贝
    to_tensor is zero-copy for every dtype and shape (0-d and transposed included)"""
    for _ in range(4):
        values = _draw(judge)
        transposed = values.dim() == 2
        inputs = kind_of(values, transposed) + " array"
        seen = judge.probe("ch3.ex01.from_array", func="to_tensor", values=values, transposed=transposed)
        expect_converted(seen, values, "to_tensor", "tensor", inputs, transposed)
        expect_sharing(seen, "to_tensor", inputs, shared=True)


@check(EX, 1.5, hidden=True)
def test_to_numpy_any_tensor(judge: Judge) -> None:
    """to_numpy 对任意设备、dtype、requires_grad 的张量都正确；CPU 无梯度时共享内存
    to_numpy is right for any device, dtype and requires_grad; shares memory for CPU no-grad"""
    for requires_grad, cpu in ((False, False), (True, False), (False, True), (judge.choice([True, False]), True)):
        values = _draw(judge)
        if requires_grad:
            values = values.to(judge.choice([torch.float32, torch.float64]))
        device = "cpu" if cpu else judge.device
        inputs = f"{kind_of(values)}, requires_grad={requires_grad}, device={device}"
        seen = judge.probe("ch3.ex01.to_numpy", values=values, requires_grad=requires_grad, cpu=cpu)
        expect_converted(seen, values, "to_numpy", "ndarray", inputs)
        expect(seen["input_unchanged"], "to_numpy 修改了输入张量（数值或 requires_grad）。",
               "to_numpy changed its input tensor (its values or requires_grad).", f"输入 input: {inputs}")
        if device == "cpu" and not requires_grad:
            expect(seen.get("array_write_seen", False),
                   "对 CPU 上不需要梯度的张量，to_numpy 应共享内存，却复制了数据。",
                   "For a CPU tensor that does not require grad, to_numpy must share memory; it copied.",
                   f"输入 input: {inputs}")


@check(EX, 0.5, hidden=True)
def test_to_numpy_transposed(judge: Judge) -> None:
    """to_numpy 对非连续（转置）张量给出正确数值
    to_numpy gives the right values for a non-contiguous (transposed) tensor"""
    values = draw_values(judge, (judge.randint(2, 6), judge.randint(2, 6)), judge.choice(DTYPES))
    inputs = f"{kind_of(values, True)}, device={judge.device}"
    seen = judge.probe("ch3.ex01.to_numpy", values=values, requires_grad=False, transposed=True)
    expect_converted(seen, values, "to_numpy", "ndarray", inputs, transposed=True)


@check(EX, 0.5, hidden=True)
def test_independent_copy_any_dtype(judge: Judge) -> None:
    """independent_copy 对各种 dtype 与形状都复制数据
    independent_copy copies for every dtype and shape"""
    for _ in range(3):
        values = _draw(judge)
        inputs = kind_of(values) + " array"
        seen = judge.probe("ch3.ex01.from_array", func="independent_copy", values=values)
        expect_converted(seen, values, "independent_copy", "tensor", inputs)
        expect_sharing(seen, "independent_copy", inputs, shared=False)
