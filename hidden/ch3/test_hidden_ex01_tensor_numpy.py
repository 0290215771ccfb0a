"""Hidden checks for ex01_tensor_numpy / 基础 1 的隐藏检查: random shapes and dtypes."""

import torch

from grader.judge.check import Judge, check
from grader.judge.expect import expect, expect_tensor

EX = "ex01_tensor_numpy"
DTYPES = [torch.float16, torch.float32, torch.float64, torch.int32, torch.int64, torch.uint8, torch.bool]


def _draw(judge: Judge) -> tuple[torch.Tensor, str]:
    """Random values of a random shape (0-d to 4-d) and dtype, and how to describe them."""
    shape = [judge.randint(1, 5) for _ in range(judge.randint(0, 4))]
    dtype = judge.choice(DTYPES)
    values = (judge.randn(*shape) * 50).to(dtype) if dtype.is_floating_point else \
        torch.randint(0, 2 if dtype == torch.bool else 100, shape, generator=judge.gen).to(dtype)
    return values, f"{str(dtype).removeprefix('torch.')} array, {len(shape)}-d"


@check(EX, 1, hidden=True)
def test_to_tensor_any_dtype(judge: Judge) -> None:
    """to_tensor 对各种 dtype 与形状（含 0 维、转置）都零拷贝
    to_tensor is zero-copy for every dtype and shape (0-d and transposed included)"""
    for _ in range(4):
        values, kind = _draw(judge)
        transposed = values.dim() == 2
        seen = judge.probe("ch3.ex01.from_array", func="to_tensor", values=values, transposed=transposed)
        expect_tensor(seen["result"], values.t() if transposed else values, "to_tensor(array)", inputs=kind)
        expect(seen.get("array_write_seen", True) and seen.get("tensor_write_seen", True),
               "to_tensor 复制了数据，没有共享内存。", "to_tensor copied the data instead of sharing memory.",
               f"输入 input: {kind}")


@check(EX, 1.5, hidden=True)
def test_to_numpy_any_tensor(judge: Judge) -> None:
    """to_numpy 对任意设备、dtype、requires_grad 的张量都正确；CPU 无梯度时共享内存
    to_numpy is right for any device, dtype and requires_grad; shares memory for CPU no-grad"""
    for requires_grad in (False, True, False):
        values, kind = _draw(judge)
        if requires_grad:
            values = values.to(torch.float64)
        seen = judge.probe("ch3.ex01.to_numpy", values=values, requires_grad=requires_grad)
        where = f"{kind}, requires_grad={requires_grad}, device={judge.device}"
        expect_tensor(seen["result"], values, "to_numpy(tensor)", kind="ndarray", inputs=where)
        expect(seen["input_unchanged"], "to_numpy 修改了输入张量。", "to_numpy changed its input tensor.",
               f"输入 input: {where}")
        if judge.device == "cpu" and not requires_grad and "array_write_seen" in seen:
            expect(seen["array_write_seen"], "对 CPU 上不需要梯度的张量，to_numpy 应共享内存，却复制了数据。",
                   "For a CPU tensor that does not require grad, to_numpy must share memory; it copied.",
                   f"输入 input: {where}")


@check(EX, 1, hidden=True)
def test_to_numpy_transposed(judge: Judge) -> None:
    """to_numpy 对非连续（转置）张量给出正确数值
    to_numpy gives the right values for a non-contiguous (transposed) tensor"""
    values = judge.randn(judge.randint(2, 6), judge.randint(2, 6))
    seen = judge.probe("ch3.ex01.to_numpy", values=values, requires_grad=False, transposed=True)
    expect_tensor(seen["result"], values.t(), "to_numpy(tensor.t())", kind="ndarray",
                  inputs="float32 transposed 2-d")


@check(EX, 0.5, hidden=True)
def test_independent_copy_any_dtype(judge: Judge) -> None:
    """independent_copy 对各种 dtype 与形状都复制数据
    independent_copy copies for every dtype and shape"""
    for _ in range(3):
        values, kind = _draw(judge)
        seen = judge.probe("ch3.ex01.from_array", func="independent_copy", values=values)
        expect_tensor(seen["result"], values, "independent_copy(array)", inputs=kind)
        expect(not seen.get("array_write_seen", False) and not seen.get("tensor_write_seen", False),
               "independent_copy 与数组共享内存。", "independent_copy shares memory with the array.",
               f"输入 input: {kind}")
