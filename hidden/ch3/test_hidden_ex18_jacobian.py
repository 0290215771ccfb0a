"""Hidden checks for ex18_jacobian / 练习 18 的隐藏检查: random functions, shapes, sizes and dtypes."""

import torch

from chapters.ch3.judging.ex18 import check_jacobian, check_vjp, random_params, reference
from grader.judge.check import Judge, check

EX = "ex18_jacobian"
VECTOR = ["square", "affine_tanh", "normalize", "constant"]
MATRIX = ["square", "matmul_right", "softmax_rows", "normalize"]


def _draw(judge: Judge) -> tuple[str, dict[str, torch.Tensor], torch.Tensor]:
    """A random named function, its parameters and a random x (vector or matrix, float32 or float64)."""
    dtype = judge.choice([torch.float32, torch.float64])
    if judge.choice([True, False]):
        f, shape = judge.choice(VECTOR), (judge.randint(1, 5),)
    else:
        f, shape = judge.choice(MATRIX), (judge.randint(1, 4), judge.randint(1, 4))
    return f, random_params(f, shape, judge.randint(2, 5), judge.gen), judge.randn(*shape, dtype=dtype) + 0.5


@check(EX, 1.5, hidden=True)
def test_jacobian_random(judge: Judge) -> None:
    """jacobian 对随机函数、形状（向量或矩阵输入）与 dtype 都正确，只用 torch.autograd.grad
    jacobian is right for random functions, shapes (vector or matrix inputs) and dtypes, by torch.autograd.grad only"""
    for _ in range(3):
        f, params, x = _draw(judge)
        check_jacobian(judge, "jacobian", f, params, x)


@check(EX, 0.75, hidden=True)
def test_jacobian_functional_random(judge: Judge) -> None:
    """jacobian_functional 对随机函数、形状与 dtype 都正确
    jacobian_functional is right for random functions, shapes and dtypes"""
    f, params, x = _draw(judge)
    check_jacobian(judge, "jacobian_functional", f, params, x)


@check(EX, 1.25, hidden=True)
def test_vjp_random(judge: Judge) -> None:
    """vjp 对随机函数、形状、v 与 dtype 都正确，一次反向传播
    vjp is right for random functions, shapes, v and dtypes, in one backward pass"""
    for _ in range(2):
        f, params, x = _draw(judge)
        y, _ = reference(f, params, x)
        check_vjp(judge, f, params, x, torch.randn(y.shape, generator=judge.gen, dtype=torch.float64).to(x.dtype))
