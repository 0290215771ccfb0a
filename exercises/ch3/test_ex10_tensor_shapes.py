"""Public checks for ex10_tensor_shapes / 练习 10 的公开检查。"""

import torch

from chapters.ch3.judging.ex10 import expect_global_state_kept, expect_made, expect_shapes, expect_shared
from grader.judge.check import Judge, check
from grader.judge.expect import expect, expect_equal, expect_tensor, fail

EX = "ex10_tensor_shapes"


@check(EX, 1)
def test_make_tensors_values(judge: Judge) -> None:
    """make_tensors 的七个张量形状、dtype、数值正确（默认 float32，以及 float64）
    make_tensors gives the seven tensors with the right shapes, dtypes and values (float32 by default, and float64)"""
    for n, dtype in ((4, None), (5, "float64")):
        seen = judge.probe("ch3.ex10.make", n=n, seed=3, dtype=dtype)
        expect_made(seen, n, 3, getattr(torch, dtype or "float32"), judge.device,
                    f"n={n}, seed=3, dtype={dtype or 'default'}, device={judge.device}")


@check(EX, 0.5)
def test_make_tensors_device(judge: Judge) -> None:
    """make_tensors 的每个张量都在 device 上、为 dtype（device=torch.device("meta")）
    every tensor of make_tensors is on device and of dtype (device=torch.device("meta"))"""
    seen = judge.probe("ch3.ex10.make_meta", n=3, seed=0, dtype="float64")
    expect(seen["facts"] is not None, f"make_tensors 返回了 {seen['type']}，应为 dict。",
           f"make_tensors returned a {seen['type']}; expected a dict.")
    wrong = sorted(key for key, facts in seen["facts"].items()
                   if facts.get("kind") != "tensor" or (facts.get("device"), facts.get("dtype")) != ("meta", "float64"))
    expect(not wrong, f"make_tensors(3, 0, torch.float64, torch.device('meta')) 中这些张量不在 meta 设备上或不是 "
           f"float64：{wrong}。创建时应传入 dtype 与 device。",
           f"make_tensors(3, 0, torch.float64, torch.device('meta')): these are not float64 tensors on the meta "
           f"device: {wrong}. Pass dtype and device when creating them.")


@check(EX, 0.5)
def test_make_tensors_seeded(judge: Judge) -> None:
    """randn 只取决于 seed（与全局随机状态无关、不改变全局随机状态），不同 seed 不同
    randn depends on seed alone (not on, and leaving alone, the global random state); other seeds differ"""
    runs = [(5, 1), (5, 2), (6, 1)]
    seen = [judge.probe("ch3.ex10.make", n=3, seed=seed, global_seed=g) for seed, g in runs]
    for (seed, global_seed), one in zip(runs, seen, strict=True):
        inputs = f"n=3, seed={seed}, torch.manual_seed({global_seed}) before"
        expect_made(one, 3, seed, torch.float32, judge.device, inputs)
        expect_global_state_kept(one, global_seed, "make_tensors", inputs)


@check(EX, 0.75)
def test_rows_of_view(judge: Judge) -> None:
    """rows_of 对连续张量返回按行优先排列的视图（共享内存）
    rows_of returns a row-major view (sharing memory) of a contiguous tensor"""
    for x, cols in ((judge.randn(3, 4), 6), (torch.arange(12).view(2, 3, 2), 4)):
        inputs = f"{str(x.dtype).removeprefix('torch.')} {tuple(x.shape)}, cols={cols}"
        seen = judge.probe("ch3.ex10.shared", func="rows_of", x=x, args=[cols])
        expect_tensor(seen["result"], x.flatten().view(-1, cols), f"rows_of(x, {cols})", device=judge.device,
                      atol=0, rtol=0, inputs=inputs)
        expect_shared(seen, "rows_of", inputs, shared=True)


@check(EX, 0.5)
def test_rows_of_transposed(judge: Judge) -> None:
    """rows_of 对转置（不连续）的张量也能工作（view 会报错，应复制）
    rows_of works on a transposed (non-contiguous) tensor too (view fails there: copy)"""
    x = judge.randn(3, 4)
    seen = judge.probe("ch3.ex10.shared", func="rows_of", x=x, args=[2], transposed=True)
    inputs = "x.t() of a float32 (3, 4), cols=2"
    expect_tensor(seen["result"], x.t().flatten().view(-1, 2), "rows_of(x.t(), 2)", device=judge.device,
                  atol=0, rtol=0, inputs=inputs)
    expect_shared(seen, "rows_of", inputs, shared=False)


@check(EX, 0.25)
def test_rows_of_bad_cols(judge: Judge) -> None:
    """元素个数不能整除 cols 时 rows_of 抛出 ValueError（6 个元素不能排成 4 列）
    rows_of raises ValueError when cols does not divide the number of elements (6 elements in rows of 4)"""
    err = judge.raises("call", module=EX, func="rows_of", args=[judge.randn(2, 3), 4], kwargs={})
    if err is None:
        fail("rows_of 把 6 个元素排成了 4 列而没有报错；应抛出 ValueError。",
             "rows_of laid 6 elements out in rows of 4 without complaint; it must raise ValueError.")
    expect(err.is_a("ValueError"), f"rows_of 抛出了 {err.exc_type}，应为 ValueError。",
           f"rows_of raised {err.exc_type}; expected ValueError.", err.message)


@check(EX, 0.75)
def test_channels_last(judge: Judge) -> None:
    """channels_last 把 (N, C, H, W) 变为 (N, H, W, C)，数值正确且共享内存
    channels_last turns (N, C, H, W) into (N, H, W, C) with the right values, sharing memory"""
    x = judge.randn(2, 3, 4, 5)
    inputs = "float32 (2, 3, 4, 5)"
    seen = judge.probe("ch3.ex10.shared", func="channels_last", x=x, args=[])
    want = torch.stack([x[:, c] for c in range(3)], dim=-1)
    expect_tensor(seen["result"], want, "channels_last(x)", device=judge.device, atol=0, rtol=0, inputs=inputs)
    expect_shared(seen, "channels_last", inputs, shared=True)


@check(EX, 0.75)
def test_broadcast_shape(judge: Judge) -> None:
    """broadcast_shape 与 PyTorch 的逐元素运算一致，不能广播时抛出 ValueError，且不借助 torch
    broadcast_shape agrees with PyTorch's element-wise operations, raises ValueError where they fail, without torch"""
    expect_shapes(judge, "broadcast_shape", [
        [[2, 3], [2, 3]], [[3, 1], [1, 4]], [[5, 1, 4], [3, 1]], [[4], [2, 1]], [[], [2, 3]], [[2, 3], []],
        [[2, 3], [3, 2]], [[4, 3], [4]], [[2, 1, 3], [5, 2, 2, 3]],
    ])


@check(EX, 1)
def test_matmul_shape(judge: Judge) -> None:
    """matmul_shape 与 torch.matmul 一致（向量、矩阵、批、批广播），PyTorch 拒绝时抛出 ValueError，且不借助 torch
    matmul_shape agrees with torch.matmul (vectors, matrices, batches, broadcast batches), ValueError where it fails"""
    expect_shapes(judge, "matmul_shape", [
        [[2, 3], [3, 4]], [[2], [2]], [[2], [2, 2]], [[3, 4], [4]], [[3, 2, 3], [3, 3, 2]], [[3, 2, 3], [3, 2]],
        [[2, 3], [2, 3]], [[], [3]], [[4], []], [[2, 1, 3, 4], [5, 4, 2]], [[2, 3, 4], [5, 4, 2]], [[3], [2, 3, 4]],
    ])


@check(EX, 1)
def test_add_into(judge: Judge) -> None:
    """add_into 原地写入 out（同一对象、data_ptr 不变），值为 x + out，x 不变，可广播
    add_into writes into out in place (same object, same data_ptr), x + out, x unchanged, x broadcast"""
    for x, out in ((judge.randn(3, 4), judge.randn(3, 4)), (judge.randn(4), judge.randn(2, 4))):
        inputs = f"x float32 {tuple(x.shape)}, out float32 {tuple(out.shape)}"
        seen = judge.probe("ch3.ex10.add_into", x=x, out=out)
        expect_equal(seen["same_object"], True, "add_into(x, out) is out",
                     "应返回 out 本身 / return out itself", f"输入 input: {inputs}")
        expect(seen["same_storage"],
               "add_into 让 out 换了一块新内存（data_ptr 改变）：应像 out[:] = x + out 那样原地写入。",
               "add_into gave out new memory (its data_ptr changed): write into it in place, as out[:] = x + out "
               "does.", f"输入 input: {inputs}")
        expect_tensor(seen["out_after"], x + out, "out after add_into(x, out)", device=judge.device, inputs=inputs)
        expect_tensor(seen["x_after"], x, "x after add_into(x, out)", device=judge.device, atol=0, rtol=0,
                      inputs=inputs)
