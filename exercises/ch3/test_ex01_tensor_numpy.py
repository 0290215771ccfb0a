"""Public checks for ex01_tensor_numpy / 基础 1 的公开检查。"""

import torch

from grader.judge.check import Judge, check
from grader.judge.expect import expect, expect_tensor

EX = "ex01_tensor_numpy"


@check(EX, 1)
def test_to_tensor_values(judge: Judge) -> None:
    """to_tensor 返回同形状、同 dtype、同数值的张量
    to_tensor returns a tensor with the array's shape, dtype and values"""
    values = judge.randn(3, 4)
    seen = judge.probe("ch3.ex01.from_array", func="to_tensor", values=values)
    expect_tensor(seen["result"], values, "to_tensor(array)", inputs="float32 array (3, 4)")


@check(EX, 1.5)
def test_to_tensor_shares_memory(judge: Judge) -> None:
    """to_tensor 与数组共享内存（零拷贝）
    to_tensor shares memory with the array (zero-copy)"""
    values = judge.randn(5, 2, dtype=torch.float64)
    seen = judge.probe("ch3.ex01.from_array", func="to_tensor", values=values)
    expect_tensor(seen["result"], values, "to_tensor(array)", inputs="float64 array (5, 2)")
    expect(
        seen["array_write_seen"] and seen["tensor_write_seen"],
        "to_tensor 复制了数据：修改数组后张量没有随之改变（或反之）。应像 torch.from_numpy 那样共享内存。",
        "to_tensor copied the data: a write to the array was not seen in the tensor (or the other "
        "way round). It must share memory, as torch.from_numpy does.",
    )


@check(EX, 1)
def test_to_numpy_values(judge: Judge) -> None:
    """to_numpy 返回同形状、同 dtype、同数值的数组
    to_numpy returns an array with the tensor's shape, dtype and values"""
    values = judge.randn(4, 3)
    seen = judge.probe("ch3.ex01.to_numpy", values=values, requires_grad=False)
    expect_tensor(seen["result"], values, "to_numpy(tensor)", kind="ndarray", inputs="float32 (4, 3)")


@check(EX, 1)
def test_to_numpy_requires_grad(judge: Judge) -> None:
    """to_numpy 能转换需要梯度的张量，且不改变输入
    to_numpy converts a tensor that requires grad, leaving the input as it was"""
    values = judge.randn(2, 5)
    seen = judge.probe("ch3.ex01.to_numpy", values=values, requires_grad=True)
    expect_tensor(seen["result"], values, "to_numpy(tensor)", kind="ndarray",
                  inputs="float32 (2, 5), requires_grad=True")
    expect(seen["input_unchanged"], "to_numpy 修改了输入张量（数值或 requires_grad）。",
           "to_numpy changed its input tensor (its values or requires_grad).")


@check(EX, 1.5)
def test_independent_copy(judge: Judge) -> None:
    """independent_copy 数值相同且不共享内存
    independent_copy has the same values and shares no memory"""
    values = judge.randn(3, 3, dtype=torch.float64)
    seen = judge.probe("ch3.ex01.from_array", func="independent_copy", values=values)
    expect_tensor(seen["result"], values, "independent_copy(array)", inputs="float64 array (3, 3)")
    expect(
        not seen["array_write_seen"] and not seen["tensor_write_seen"],
        "independent_copy 与数组共享内存：修改一方会改变另一方。应复制数据（如 torch.tensor(array)）。",
        "independent_copy shares memory with the array: a write to one changes the other. "
        "It must copy the data (torch.tensor(array), say).",
    )
