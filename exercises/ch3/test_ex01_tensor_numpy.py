"""Public checks for ex01_tensor_numpy / 基础 1 的公开检查。"""

import torch

from chapters.ch3.judging.ex01 import draw_values, expect_converted, expect_sharing, kind_of
from grader.judge.check import Judge, check
from grader.judge.expect import expect

EX = "ex01_tensor_numpy"
# (shape, dtype) of the public inputs: several numeric dtypes NumPy and torch share, 0-d to 3-d
SHAPES_DTYPES = (((3, 4), torch.float32), ((2, 3, 2), torch.int32), ((4,), torch.bool), ((), torch.float64))


@check(EX, 1)
def test_to_tensor_values(judge: Judge) -> None:
    """to_tensor 返回同形状、同 dtype、同数值的张量（多种 dtype，0 至 3 维）
    to_tensor returns a tensor with the array's shape, dtype and values (several dtypes, 0-d to 3-d)"""
    for shape, dtype in SHAPES_DTYPES:
        values = draw_values(judge, shape, dtype)
        seen = judge.probe("ch3.ex01.from_array", func="to_tensor", values=values)
        expect_converted(seen, values, "to_tensor", "tensor", kind_of(values) + " array")


@check(EX, 1.5)
def test_to_tensor_shares_memory(judge: Judge) -> None:
    """to_tensor 与数组共享内存（零拷贝），转置的数组也一样
    to_tensor shares memory with the array (zero-copy), a transposed array too"""
    for shape, dtype, transposed in (((5, 2), torch.float64, False), ((3,), torch.int64, False),
                                     ((3, 4), torch.float32, True)):
        values = draw_values(judge, shape, dtype)
        inputs = kind_of(values, transposed) + " array"
        seen = judge.probe("ch3.ex01.from_array", func="to_tensor", values=values, transposed=transposed)
        expect_converted(seen, values, "to_tensor", "tensor", inputs, transposed)
        expect_sharing(seen, "to_tensor", inputs, shared=True)


@check(EX, 1)
def test_to_numpy_values(judge: Judge) -> None:
    """to_numpy 返回同形状、同 dtype、同数值的数组（多种 dtype，0 至 3 维，转置）
    to_numpy returns an array with the tensor's shape, dtype and values (several dtypes, 0-d to 3-d, transposed)"""
    cases = [(shape, dtype, False) for shape, dtype in SHAPES_DTYPES] + [((4, 3), torch.float32, True)]
    for shape, dtype, transposed in cases:
        values = draw_values(judge, shape, dtype)
        inputs = f"{kind_of(values, transposed)}, device={judge.device}"
        seen = judge.probe("ch3.ex01.to_numpy", values=values, requires_grad=False, transposed=transposed)
        expect_converted(seen, values, "to_numpy", "ndarray", inputs, transposed)


@check(EX, 0.5)
def test_to_numpy_shares_memory(judge: Judge) -> None:
    """对 CPU 上不需要梯度的张量，to_numpy 的数组与张量共享内存
    for a CPU tensor that does not require grad, to_numpy's array shares memory with the tensor"""
    for shape, dtype in (((4, 3), torch.float32), ((5,), torch.int64)):
        values = draw_values(judge, shape, dtype)
        inputs = kind_of(values) + ", device=cpu, requires_grad=False"
        seen = judge.probe("ch3.ex01.to_numpy", values=values, requires_grad=False, cpu=True)
        expect_converted(seen, values, "to_numpy", "ndarray", inputs)
        expect(seen.get("array_write_seen", False),
               "to_numpy 复制了数据：修改返回的数组后张量没有随之改变。对 CPU 上不需要梯度的张量，.numpy() 共享内存。",
               "to_numpy copied the data: a write to the returned array was not seen in the tensor. For a CPU "
               "tensor that does not require grad, .numpy() shares memory; do not copy.", f"输入 input: {inputs}")


@check(EX, 1)
def test_to_numpy_requires_grad(judge: Judge) -> None:
    """to_numpy 能转换需要梯度的张量，且不改变输入
    to_numpy converts a tensor that requires grad, leaving the input as it was"""
    values = judge.randn(2, 5)
    inputs = f"float32 (2, 5), requires_grad=True, device={judge.device}"
    seen = judge.probe("ch3.ex01.to_numpy", values=values, requires_grad=True)
    expect_converted(seen, values, "to_numpy", "ndarray", inputs)
    expect(seen["input_unchanged"], "to_numpy 修改了输入张量（数值或 requires_grad）。",
           "to_numpy changed its input tensor (its values or requires_grad).", f"输入 input: {inputs}")


@check(EX, 1.5)
def test_independent_copy(judge: Judge) -> None:
    """independent_copy 数值、形状、dtype 相同且不共享内存（多种 dtype）
    independent_copy has the same values, shape and dtype and shares no memory (several dtypes)"""
    for shape, dtype in SHAPES_DTYPES:
        values = draw_values(judge, shape, dtype)
        inputs = kind_of(values) + " array"
        seen = judge.probe("ch3.ex01.from_array", func="independent_copy", values=values)
        expect_converted(seen, values, "independent_copy", "tensor", inputs)
        expect_sharing(seen, "independent_copy", inputs, shared=False)
