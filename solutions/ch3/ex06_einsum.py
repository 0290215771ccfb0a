"""深化 6：用 `torch.einsum` 表示张量运算。

用 `torch.einsum` 实现矩阵乘法、转置、批处理矩阵乘法、双线性变换（bilinear
transformation）等运算：给出每种运算的爱因斯坦符号表示（填入 `EQUATIONS`），并用
PyTorch 代码实现。`torch.einsum(equation, *operands)` 中，`'ij,jk->ik'` 表示把 (i, j)
张量与 (j, k) 张量相乘，对只出现在 `->` 左边的下标（这里是 j）求和，得到 (i, k) 张量。

约定：`EQUATIONS` 以函数名为键，值是该函数的方程字符串（用什么字母都可以）：按函数参数的
顺序调用 `torch.einsum(EQUATIONS[name], *args)` 就得到结果；`attention_weights` 的方程
给出缩放与 softmax 之前的打分 q kᵀ。下面每个函数都必须调用 `torch.einsum`，保持输入的
dtype 与设备，且不修改输入。输入为浮点张量。

用 `torch.einsum` 是本练习的要求，也是计分的前提：评分程序既读源代码（`torch.einsum` 须写在
函数或它调用的本模块函数里），也在运行时核对每次调用；没有用 `torch.einsum` 的函数，检查它
结果的每一项都不得分（只用 `@`、`torch.bmm` 等写出的答案至多得 1/10 分）。getattr 取计算出的
名字、eval、torch 的私有模块、sys 等让用法无法核实的写法，按没有用处理。

Deeper 6: tensor operations in Einstein notation with `torch.einsum`.

Implement matrix multiplication, transpose, batched matrix multiplication, the bilinear
transformation and more with `torch.einsum`: give the Einstein notation of each
operation (in `EQUATIONS`) and implement it in PyTorch. In `torch.einsum(equation,
*operands)`, `'ij,jk->ik'` multiplies an (i, j) tensor by a (j, k) tensor, sums over the
indices that appear only left of `->` (here j) and gives an (i, k) tensor.

Conventions: `EQUATIONS` maps each function's name to its equation string (any letters
will do): `torch.einsum(EQUATIONS[name], *args)`, with the function's arguments in order,
gives the result; for `attention_weights` it gives the scores q kᵀ before the scaling and
the softmax. Every function below must call `torch.einsum`, keep the inputs' dtype and
device, and leave its inputs unchanged. Inputs are floating-point tensors.

Using `torch.einsum` is the point of this exercise, and what its points depend on: the
grader reads the source (`torch.einsum` must be written in the function or in this
module's functions it calls) and also watches every call at run time; a function that does
not use `torch.einsum` earns nothing on any check of its results (an answer written with
`@`, `torch.bmm` and the like scores at most 1/10). Code that makes the use unverifiable
(getattr with a computed name, eval, torch's private modules, sys, ...) counts as not using it.
"""

import math

import torch

EQUATIONS: dict[str, str] = {
    ### BEGIN SOLUTION
    "matmul": "ij,jk->ik",
    "transpose": "ij->ji",
    "batch_matmul": "bij,bjk->bik",
    "bilinear": "bi,ijk,bj->bk",
    "trace": "ii->",
    "inner": "i,i->",
    "outer": "i,j->ij",
    "attention_weights": "bqd,bkd->bqk",
    ### END SOLUTION
}


def matmul(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Matrix product c[i,k] = Σⱼ a[i,j] b[j,k].

    Args:
        a: (I, J) float.
        b: (J, K) float, same dtype and device.
    Returns:
        (I, K), same dtype and device.
    """
    ### BEGIN SOLUTION
    return torch.einsum(EQUATIONS["matmul"], a, b)
    ### END SOLUTION


def transpose(a: torch.Tensor) -> torch.Tensor:
    """Transpose t[j,i] = a[i,j] (the result may be a view of ``a``, as einsum returns).

    Args:
        a: (I, J) float.
    Returns:
        (J, I), same dtype and device.
    """
    ### BEGIN SOLUTION
    return torch.einsum(EQUATIONS["transpose"], a)
    ### END SOLUTION


def batch_matmul(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Batched matrix product c[b,i,k] = Σⱼ a[b,i,j] b[b,j,k] (like torch.bmm).

    Args:
        a: (B, I, J) float.
        b: (B, J, K) float.
    Returns:
        (B, I, K), same dtype and device.
    """
    ### BEGIN SOLUTION
    return torch.einsum(EQUATIONS["batch_matmul"], a, b)
    ### END SOLUTION


def bilinear(x: torch.Tensor, w: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Bilinear transformation z[b,k] = Σᵢⱼ x[b,i] w[i,j,k] y[b,j] (no bias).

    Args:
        x: (B, I) float.
        w: (I, J, K) float.
        y: (B, J) float.
    Returns:
        z: (B, K), same dtype and device.
    """
    ### BEGIN SOLUTION
    return torch.einsum(EQUATIONS["bilinear"], x, w, y)
    ### END SOLUTION


def trace(a: torch.Tensor) -> torch.Tensor:
    """Trace Σᵢ a[i,i] of a square matrix.

    Args:
        a: (N, N) float.
    Returns:
        0-d tensor, same dtype and device.
    """
    ### BEGIN SOLUTION
    return torch.einsum(EQUATIONS["trace"], a)
    ### END SOLUTION


def inner(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Inner (dot) product Σᵢ a[i] b[i] of two vectors.

    Args:
        a: (N,) float.
        b: (N,) float.
    Returns:
        0-d tensor, same dtype and device.
    """
    ### BEGIN SOLUTION
    return torch.einsum(EQUATIONS["inner"], a, b)
    ### END SOLUTION


def outer(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Outer product o[i,j] = a[i] b[j].

    Args:
        a: (M,) float.
        b: (N,) float.
    Returns:
        (M, N), same dtype and device.
    """
    ### BEGIN SOLUTION
    return torch.einsum(EQUATIONS["outer"], a, b)
    ### END SOLUTION


def attention_weights(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    """Scaled dot-product attention weights softmax(q kᵀ / √D) over the last axis.

    The scores s[b,i,j] = Σ_d q[b,i,d] k[b,j,d] come from einsum; then divide by √D and
    take a numerically stable softmax over j (torch.softmax), so each row sums to 1.

    Args:
        q: (B, Lq, D) float, the queries.
        k: (B, Lk, D) float, the keys.
    Returns:
        (B, Lq, Lk), same dtype and device; rows (last axis) sum to 1.
    """
    ### BEGIN SOLUTION
    scores = torch.einsum(EQUATIONS["attention_weights"], q, k) / math.sqrt(q.shape[-1])
    return torch.softmax(scores, dim=-1)
    ### END SOLUTION
