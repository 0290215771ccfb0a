"""Public checks for ex11_random_data / 练习 11 的公开检查。"""

from chapters.ch3.judging.ex11 import expect_batch, expect_global_state_kept, expect_items, random_data
from grader.judge.check import Judge, check

EX = "ex11_random_data"


@check(EX, 1.5)
def test_len_and_item_types(judge: Judge) -> None:
    """len 为 length；每个样本为 (x, y)：x 为 float32 (d,)，y 为 int64 (d,)（含 d = 1 与空数据集）
    len is length; each item is (x, y): x float32 (d,), y int64 (d,) (d = 1 and an empty dataset too)"""
    for feature, length in ((10, 6), (1, 3), (4, 0)):
        seen = random_data(judge, feature, length, seed=1)
        expect_items(seen, feature, length, 1, f"RandomData({feature}, {length}, seed=1)", values=False, labels=False)


@check(EX, 2)
def test_values(judge: Judge) -> None:
    """x 为 np.random.default_rng(seed).dirichlet(np.ones(d), size=N) 的第 i 行（float32），每次读取都相同
    x is row i of np.random.default_rng(seed).dirichlet(np.ones(d), size=N) (as float32), the same at every read"""
    for feature, length, seed in ((10, 8, 5), (3, 5, 42)):
        inputs = f"RandomData({feature}, {length}, seed={seed})"
        expect_items(random_data(judge, feature, length, seed), feature, length, seed, inputs, labels=False)


@check(EX, 0.5)
def test_default_seed(judge: Judge) -> None:
    """seed 默认为 0
    seed defaults to 0"""
    seen = random_data(judge, 5, 4, seed=None)
    expect_items(seen, 5, 4, 0, "RandomData(5, 4)", labels=False)


@check(EX, 1.5)
def test_labels(judge: Judge) -> None:
    """y 为 one-hot：x 最大分量的位置为 1，其余为 0
    y is one-hot: 1 where x's largest component is, 0 elsewhere"""
    for feature, length, seed in ((10, 8, 5), (2, 6, 7), (1, 2, 0)):
        inputs = f"RandomData({feature}, {length}, seed={seed})"
        expect_items(random_data(judge, feature, length, seed), feature, length, seed, inputs, values=False)


@check(EX, 1)
def test_seeded(judge: Judge) -> None:
    """同一 seed 在不同全局随机状态下给出同样的数据，且不改变全局随机状态（NumPy、torch、random）
    the same seed gives the same data under any global random state, which it leaves alone (NumPy, torch, random)"""
    for global_seed in (1, 2):
        inputs = f"RandomData(6, 5, seed=3), global seeds {global_seed}"
        seen = random_data(judge, 6, 5, 3, global_seed=global_seed)
        expect_items(seen, 6, 5, 3, inputs)
        expect_global_state_kept(seen, global_seed, inputs)


@check(EX, 0.5)
def test_dataloader_batch(judge: Judge) -> None:
    """DataLoader(dataset, batch_size=4) 的第一批为 x (4, d) float32 与 y (4, d) int64
    DataLoader(dataset, batch_size=4)'s first batch is x (4, d) float32 and y (4, d) int64"""
    seen = random_data(judge, 10, 9, 2)
    expect_batch(seen, 10, 9, 2, "RandomData(10, 9, seed=2), DataLoader(batch_size=4)")
