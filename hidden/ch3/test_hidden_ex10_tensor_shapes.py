"""Hidden checks for ex10_tensor_shapes / 练习 10 的隐藏检查: random sizes, seeds, dtypes and
shapes; predicted shapes compared with what PyTorch does on random pairs."""

import torch

from chapters.ch3.judging.ex10 import expect_global_state_kept, expect_made, expect_shapes, expect_shared
from grader.judge.check import Judge, check
from grader.judge.expect import expect, expect_tensor, shape_text

EX = "ex10_tensor_shapes"
DTYPES = (torch.float32, torch.float64, torch.int64, torch.int32)


def _shape(judge: Judge, low: int, high: int) -> list[int]:
    """A shape of ``low`` to ``high`` dimensions, each of size 1 to 3 (1 often, to make broadcasting matter)."""
    return [judge.choice([1, 1, 2, 3]) for _ in range(judge.randint(low, high))]


@check(EX, 0.5, hidden=True)
def test_make_tensors_random(judge: Judge) -> None:
    """make_tensors 对随机的 n、seed、dtype 与全局种子都正确
    make_tensors is right for random n, seed, dtype and global seed"""
    for _ in range(2):
        n, seed, global_seed = judge.randint(2, 7), judge.randint(0, 10**6), judge.randint(0, 10**6)
        dtype = judge.choice(["float32", "float64"])
        inputs = f"random n={n}, seed, {dtype}"
        seen = judge.probe("ch3.ex10.make", n=n, seed=seed, dtype=dtype, global_seed=global_seed)
        expect_made(seen, n, seed, getattr(torch, dtype), judge.device, inputs)
        expect_global_state_kept(seen, global_seed, "make_tensors", inputs)


@check(EX, 0.5, hidden=True)
def test_rows_of_random(judge: Judge) -> None:
    """rows_of 对随机形状、dtype、转置与否都正确；不能整除时抛出 ValueError
    rows_of is right for random shapes, dtypes, transposed or not; ValueError when cols does not divide"""
    for transposed in (False, True, judge.choice([False, True])):
        dtype = judge.choice(list(DTYPES))
        shape = ([judge.randint(1, 5), judge.randint(1, 5)] if transposed
                 else [*_shape(judge, 1, 4), judge.randint(1, 4)])
        x = (judge.randn(*shape) * 10).to(dtype)
        source = x.t() if transposed else x
        cols = judge.choice([d for d in range(1, x.numel() + 1) if x.numel() % d == 0])
        inputs = f"random {str(dtype).removeprefix('torch.')} {shape_text(shape)}{', transposed' if transposed else ''}"
        seen = judge.probe("ch3.ex10.shared", func="rows_of", x=x, args=[cols], transposed=transposed)
        expect_tensor(seen["result"], source.flatten().view(-1, cols), "rows_of(x, cols)", device=judge.device,
                      atol=0, rtol=0, inputs=f"{inputs}, cols={cols}")
        expect_shared(seen, "rows_of", inputs, shared=not transposed or 1 in shape)
    x = judge.randn(judge.randint(1, 3) * 2 + 1, 3)
    err = judge.raises("call", module=EX, func="rows_of", args=[x, 2], kwargs={})
    expect(err is not None and err.is_a("ValueError"),
           f"rows_of 把 {x.numel()} 个元素排成 2 列时应抛出 ValueError。",
           f"rows_of must raise ValueError for {x.numel()} elements in rows of 2.")


@check(EX, 0.25, hidden=True)
def test_channels_last_random(judge: Judge) -> None:
    """channels_last 对随机形状与 dtype 都正确且共享内存
    channels_last is right for random shapes and dtypes, and shares memory"""
    shape = [judge.randint(1, 3), judge.randint(1, 4), judge.randint(1, 5), judge.randint(1, 5)]
    x = (judge.randn(*shape) * 10).to(judge.choice(list(DTYPES)))
    inputs = f"random {str(x.dtype).removeprefix('torch.')} {shape_text(shape)}"
    seen = judge.probe("ch3.ex10.shared", func="channels_last", x=x, args=[])
    want = torch.stack([x[:, c] for c in range(shape[1])], dim=-1)
    expect_tensor(seen["result"], want, "channels_last(x)", device=judge.device, atol=0, rtol=0, inputs=inputs)
    expect_shared(seen, "channels_last", inputs, shared=True)


def _pairs(judge: Judge, matmul: bool) -> list[list[list[int]]]:
    """Random pairs of shapes, about half of them compatible (the other operand derived from the first)."""
    pairs = []
    for _ in range(24):
        a = _shape(judge, 1 if matmul else 0, 4)
        b = _shape(judge, 1 if matmul else 0, 4)
        if judge.randint(0, 1):  # make b agree with a where they meet, or be 1 there
            meet = min(len(a), len(b))
            b[len(b) - meet:] = [judge.choice([d, d, 1]) for d in a[len(a) - meet:]]
            if matmul and len(a) >= 1 and len(b) >= 2:
                b[-2] = a[-1]
        pairs.append([a, b])
    return pairs


@check(EX, 0.75, hidden=True)
def test_broadcast_shape_random(judge: Judge) -> None:
    """broadcast_shape 在随机形状上与 PyTorch 一致
    broadcast_shape agrees with PyTorch on random shapes"""
    expect_shapes(judge, "broadcast_shape", _pairs(judge, matmul=False))


@check(EX, 0.75, hidden=True)
def test_matmul_shape_random(judge: Judge) -> None:
    """matmul_shape 在随机形状上与 torch.matmul 一致
    matmul_shape agrees with torch.matmul on random shapes"""
    expect_shapes(judge, "matmul_shape", _pairs(judge, matmul=True))


@check(EX, 0.25, hidden=True)
def test_add_into_random(judge: Judge) -> None:
    """add_into 对随机形状、dtype 与广播都原地写入
    add_into writes in place for random shapes, dtypes and broadcasting"""
    dtype = judge.choice(list(DTYPES))
    shape = [judge.randint(1, 4) for _ in range(judge.randint(1, 3))]
    x_shape = [judge.choice([d, 1]) for d in shape[judge.randint(0, len(shape) - 1):]]
    x, out = (judge.randn(*x_shape) * 10).to(dtype), (judge.randn(*shape) * 10).to(dtype)
    inputs = f"random {str(dtype).removeprefix('torch.')}, x {shape_text(x_shape)}, out {shape_text(shape)}"
    seen = judge.probe("ch3.ex10.add_into", x=x, out=out)
    expect(seen["same_object"] and seen["same_storage"],
           "add_into 没有原地写入 out（返回了别的对象，或 out 的 data_ptr 变了）。",
           "add_into did not write into out in place (it returned another object, or out's data_ptr changed).",
           f"输入 input: {inputs}")
    expect_tensor(seen["out_after"], x + out, "out after add_into(x, out)", device=judge.device, inputs=inputs)
    expect_tensor(seen["x_after"], x, "x after add_into(x, out)", device=judge.device, atol=0, rtol=0, inputs=inputs)
