"""Public checks for ex18_jacobian / 练习 18 的公开检查。"""

import torch

from chapters.ch3.judging.ex18 import check_jacobian, check_vjp, check_x_alone, random_params
from grader.judge.check import Judge, check

EX = "ex18_jacobian"


@check(EX, 1.5)
def test_jacobian_vector(judge: Judge) -> None:
    """jacobian 对向量到向量的函数给出 (m, n) 的 J（不依赖 x 的输出为 0），只用 torch.autograd.grad
    jacobian of a vector → vector function is the (m, n) J (0 for outputs that do not depend on x), by
    torch.autograd.grad only"""
    x = judge.randn(3, dtype=torch.float64)
    check_jacobian(judge, "jacobian", "affine_tanh", random_params("affine_tanh", (3,), 4, judge.gen), x)
    check_jacobian(judge, "jacobian", "square", {}, judge.randn(4))
    check_jacobian(judge, "jacobian", "constant", random_params("constant", (3,), 2, judge.gen), x)


@check(EX, 1.5)
def test_jacobian_matrix_input(judge: Judge) -> None:
    """jacobian 对矩阵输入给出形状 y.shape + x.shape 的 J：笔记 002 的 x² 对 (2, 3) 的 x 为 (2, 3, 2, 3)
    jacobian of a matrix input has the shape y.shape + x.shape: note 002's x² for a (2, 3) x is (2, 3, 2, 3)"""
    x = judge.randn(2, 3, dtype=torch.float64)
    check_jacobian(judge, "jacobian", "square", {}, x, "note 002's y = x², float64 x (2, 3)")
    check_jacobian(judge, "jacobian", "matmul_right", random_params("matmul_right", (2, 3), 4, judge.gen), x)
    check_jacobian(judge, "jacobian", "softmax_rows", {}, judge.randn(2, 3))


@check(EX, 1)
def test_jacobian_functional(judge: Judge) -> None:
    """jacobian_functional 用 torch.autograd.functional.jacobian(f, x) 给出同样的 J（笔记 002 的例子与 x / ‖x‖）
    jacobian_functional gives the same J with torch.autograd.functional.jacobian(f, x) (note 002's example and
    x / ‖x‖)"""
    check_jacobian(judge, "jacobian_functional", "square", {}, judge.randn(2, 3), "note 002's y = x², float32 x (2, 3)")
    check_jacobian(judge, "jacobian_functional", "normalize", {}, judge.randn(2, 2, dtype=torch.float64))


@check(EX, 1.5)
def test_vjp(judge: Judge) -> None:
    """vjp 给出 vᵀJ，只用一次 torch.autograd.grad（grad_outputs=v），不构造 J；向量与矩阵输入
    vjp gives vᵀJ with one torch.autograd.grad call (grad_outputs=v), never forming J; vector and matrix inputs"""
    x = judge.randn(3, dtype=torch.float64)
    check_vjp(judge, "affine_tanh", random_params("affine_tanh", (3,), 6, judge.gen), x,
              judge.randn(6, dtype=torch.float64))
    x = judge.randn(2, 3)
    check_vjp(judge, "matmul_right", random_params("matmul_right", (2, 3), 4, judge.gen), x, judge.randn(2, 4))
    check_vjp(judge, "constant", random_params("constant", (2, 3), 5, judge.gen), x, judge.randn(5))


@check(EX, 1)
def test_leaves_x_alone(judge: Judge) -> None:
    """三个函数都返回普通张量，且不改变调用者的 x（requires_grad、.grad、数值）
    all three functions return plain tensors and leave the caller's x alone (requires_grad, .grad, values)"""
    x = judge.randn(4, dtype=torch.float64)
    check_x_alone(judge, "jacobian", "normalize", {}, x)
    check_x_alone(judge, "jacobian_functional", "normalize", {}, x)
    check_x_alone(judge, "vjp", "normalize", {}, x, judge.randn(4, dtype=torch.float64))
