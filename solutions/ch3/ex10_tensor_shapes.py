"""练习 10：创建张量，view、reshape、permute 与广播规则，原地赋值与重新绑定。

本章用 `torch.zeros`、`torch.ones`、`torch.arange`、`torch.randn` 等创建张量，创建时可指定
dtype 与设备；用固定种子的随机数生成器可以每次得到相同的随机数。`view()` 改变形状而不复制
数据（结果与原张量共享内存），元素总数必须不变（6 个元素无法 `view(4, -1)`），且只适用于
内存连续的张量：转置后的张量 `view` 会报错，`reshape` 则在必要时复制。`permute()` 重新排列
维度顺序。逐元素运算按广播规则对齐形状（从最后一维起逐维比较：相等、或其中一个为 1、或
缺失）；`torch.matmul` 对一维向量临时补一维，批维度按广播规则对齐。笔记中还提到：
`Y = X + Y` 会为 Y 分配新的内存，`Y[:] = X + Y` 则原地写入 Y 原有的内存。

1. `make_tensors`：按要求的 dtype 与设备创建七个张量，随机部分只取决于 `seed`。
2. `rows_of`：把张量按行优先顺序排成 `cols` 列；能 `view` 时共享内存，不连续时复制。
3. `channels_last`：(N, C, H, W) → (N, H, W, C)，用 `permute`，不复制。
4. `broadcast_shape`、`matmul_shape`：只根据两个形状预测逐元素运算与 `a @ b` 结果的形状，
   PyTorch 会拒绝的情况抛出 `ValueError`（不得借助 torch 或 NumPy 计算）。
5. `add_into`：像 `Y[:] = X + Y` 那样把 x + out 原地写入 out，out 的存储不变。

Exercise 10: creating tensors; view, reshape, permute and broadcasting rules; in-place
assignment against rebinding.

The chapter creates tensors with `torch.zeros`, `torch.ones`, `torch.arange`,
`torch.randn` and the like, with a dtype and a device chosen at creation; a random number
generator with a fixed seed gives the same numbers every time. `view()` changes the shape
without copying (the result shares memory with the tensor), keeps the number of elements
(6 elements cannot be `view(4, -1)`), and works only on a contiguous tensor: `view` on a
transposed tensor fails, while `reshape` copies when it must. `permute()` reorders the
dimensions. Element-wise operations align shapes by broadcasting (compare dimensions from
the last one: equal, or one of them 1, or missing); `torch.matmul` lends a 1-d vector a
dimension for the product, and broadcasts the batch dimensions. The notes add: `Y = X + Y`
gives Y new memory, while `Y[:] = X + Y` writes into the memory Y already has.

1. `make_tensors`: seven tensors in the requested dtype and on the requested device, the
   random one depending on `seed` alone.
2. `rows_of`: lay a tensor out in `cols` columns in row-major order; a view sharing memory
   when `view` can do it, a copy when the tensor is not contiguous.
3. `channels_last`: (N, C, H, W) → (N, H, W, C) with `permute`, without copying.
4. `broadcast_shape`, `matmul_shape`: predict, from the two shapes alone, the result's
   shape of an element-wise operation and of `a @ b`, raising `ValueError` where PyTorch
   refuses (computed without torch or NumPy).
5. `add_into`: write x + out into out in place, as `Y[:] = X + Y` does, keeping out's storage.
"""

from collections.abc import Sequence

import torch


def make_tensors(n: int, seed: int, dtype: torch.dtype = torch.float32,
                 device: str | torch.device = "cpu") -> dict[str, torch.Tensor]:
    """Seven tensors, each of ``dtype`` on ``device``.

    Args:
        n: a size, n ≥ 2.
        seed: the seed of the random tensor.
        dtype: a floating dtype (torch.float32 or torch.float64).
        device: any torch device ("cpu", "cuda", "meta", or a torch.device).
    Returns:
        A dict with exactly these keys:
        "zeros": (n, n) of 0; "ones": (n,) of 1; "arange": (n,) holding 0, 1, …, n − 1;
        "linspace": (n,) of n evenly spaced values from 0 to 1, both ends included;
        "full": (2, n) of 7; "eye": (n, n) identity matrix;
        "randn": (n, 3) standard normal values, drawn on the CPU in ``dtype`` from
        ``torch.Generator().manual_seed(seed)`` (torch.randn with that generator), then moved
        to ``device``: the same seed gives the same values on every device, whatever the
        global random state, and the global random state is left untouched.
    """
    ### BEGIN SOLUTION
    generator = torch.Generator().manual_seed(seed)
    return {
        "zeros": torch.zeros(n, n, dtype=dtype, device=device),
        "ones": torch.ones(n, dtype=dtype, device=device),
        "arange": torch.arange(n, dtype=dtype, device=device),
        "linspace": torch.linspace(0, 1, n, dtype=dtype, device=device),
        "full": torch.full((2, n), 7, dtype=dtype, device=device),
        "eye": torch.eye(n, dtype=dtype, device=device),
        "randn": torch.randn((n, 3), generator=generator, dtype=dtype).to(device),
    }
    ### END SOLUTION


def rows_of(x: torch.Tensor, cols: int) -> torch.Tensor:
    """``x``'s elements in row-major order, laid out in rows of ``cols``.

    Args:
        x: any shape (...), any dtype, contiguous or not (a transposed matrix, say).
        cols: the number of columns, ≥ 1.
    Returns:
        (x.numel() // cols, cols), x's dtype and device, the values of ``x.flatten()``
        row after row. When x is contiguous the result is a view: it shares x's memory (a
        write to one is seen in the other); when x is not, it is a copy.
    Raises:
        ValueError: x.numel() is not a multiple of cols.
    """
    ### BEGIN SOLUTION
    if x.numel() % cols:
        raise ValueError(f"{x.numel()} elements cannot be laid out in rows of {cols}")
    return x.reshape(-1, cols)
    ### END SOLUTION


def channels_last(x: torch.Tensor) -> torch.Tensor:
    """Images (N, C, H, W) as (N, H, W, C): ``out[n, h, w, c] = x[n, c, h, w]``.

    Args:
        x: (N, C, H, W), any dtype.
    Returns:
        (N, H, W, C), x's dtype and device, a view sharing x's memory (no copy).
    """
    ### BEGIN SOLUTION
    return x.permute(0, 2, 3, 1)
    ### END SOLUTION


def broadcast_shape(a: Sequence[int], b: Sequence[int]) -> tuple[int, ...]:
    """The shape of an element-wise operation (``x + y``) on tensors of shapes ``a`` and ``b``.

    Computed from the shapes alone, by the broadcasting rules, without torch or NumPy.

    Args:
        a, b: shapes, sequences of ints ≥ 1 (possibly empty: a 0-d tensor).
    Returns:
        The result's shape as a tuple of ints.
    Raises:
        ValueError: the shapes do not broadcast (PyTorch refuses ``x + y``).
    """
    ### BEGIN SOLUTION
    result = []
    for i in range(1, max(len(a), len(b)) + 1):
        p = a[-i] if i <= len(a) else 1
        q = b[-i] if i <= len(b) else 1
        if p != q and 1 not in (p, q):
            raise ValueError(f"shapes {tuple(a)} and {tuple(b)} do not broadcast")
        result.append(max(p, q))
    return tuple(reversed(result))
    ### END SOLUTION


def matmul_shape(a: Sequence[int], b: Sequence[int]) -> tuple[int, ...]:
    """The shape of ``x @ y`` (``torch.matmul``) for tensors of shapes ``a`` and ``b``.

    Computed from the shapes alone, without torch or NumPy. A 1-d x is taken as (1, k) and
    a 1-d y as (k, 1), the added dimension then dropped from the result; dimensions before
    the last two are batch dimensions and broadcast.

    Args:
        a, b: shapes, sequences of ints ≥ 1 (possibly empty: a 0-d tensor).
    Returns:
        The result's shape as a tuple of ints (empty for vector @ vector).
    Raises:
        ValueError: PyTorch refuses ``x @ y``: a 0-d operand, inner dimensions that differ,
            or batch dimensions that do not broadcast.
    """
    ### BEGIN SOLUTION
    if not a or not b:
        raise ValueError("matmul needs operands of at least one dimension")
    left = (1, *a) if len(a) == 1 else tuple(a)
    right = (*b, 1) if len(b) == 1 else tuple(b)
    if left[-1] != right[-2]:
        raise ValueError(f"inner dimensions differ: {tuple(a)} @ {tuple(b)}")
    batch = broadcast_shape(left[:-2], right[:-2])
    rows = () if len(a) == 1 else (left[-2],)
    cols = () if len(b) == 1 else (right[-1],)
    return (*batch, *rows, *cols)
    ### END SOLUTION


def add_into(x: torch.Tensor, out: torch.Tensor) -> torch.Tensor:
    """``out[:] = x + out``: the sum written into out's own memory; out itself returned.

    Args:
        x: any shape that broadcasts to out's shape, out's dtype and device.
        out: any shape of at least one dimension.
    Returns:
        ``out`` itself (the same object), now holding x + out (its old values), its storage
        unchanged (``out.data_ptr()`` as before): never a new tensor bound to the name.
        x is left unchanged.
    """
    ### BEGIN SOLUTION
    out[:] = x + out
    return out
    ### END SOLUTION
