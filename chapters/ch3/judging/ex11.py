"""Judge-side helpers for ex11: the data RandomData must hold, and the checks of its items.

Nothing here runs next to student code.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from chapters.ch3.judging.ex04 import expected_draws
from grader.judge.check import Judge
from grader.judge.expect import expect, expect_equal, expect_kind, expect_tensor


def reference(feature: int, length: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(data float64 (N, d), one-hot labels int64 (N, d)) as the docstring defines them."""
    data = torch.from_numpy(np.random.default_rng(seed).dirichlet(np.ones(feature), size=length))
    labels = torch.nn.functional.one_hot(data.argmax(dim=1), feature) if length else torch.zeros(0, feature)
    return data, labels.to(torch.int64)


def _pair(item: dict[str, Any], what: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The (x, y) of an item description, failing plainly when it is no pair."""
    expect_kind(item, "sequence", what)
    expect(len(item["items"]) == 2, f"{what} 返回了 {len(item['items'])} 项，应为 (x, y) 两项。",
           f"{what} returned {len(item['items'])} values; expected the pair (x, y).")
    return item["items"][0], item["items"][1]


def random_data(judge: Judge, feature: int, length: int, seed: int | None, global_seed: int = 0) -> dict[str, Any]:
    """What the ``ch3.ex11.random_data`` probe saw; its len checked first."""
    seen: dict[str, Any] = judge.probe("ch3.ex11.random_data", feature=feature, length=length, seed=seed,
                                       global_seed=global_seed)
    expect_equal(seen["len"], length, f"len(RandomData({feature}, {length}))")
    return seen


def expect_items(seen: dict[str, Any], feature: int, length: int, seed: int, inputs: str, *,
                 values: bool = True, labels: bool = True) -> None:
    """Every item, read twice, is (x float32 (d,), y int64 (d,)); with ``values``, x is the
    reference row (in float32); with ``labels``, y is the reference one-hot row."""
    data, onehot = reference(feature, length, seed)
    for i, (item, again) in enumerate(zip(seen["items"], seen["again"], strict=True)):
        for read, when in ((item, ""), (again, " (read again)")):
            x, y = _pair(read, f"dataset[{i}]{when}")
            for part, dtype, name in ((x, "float32", "[0]"), (y, "int64", "[1]")):
                expect(part.get("kind") == "tensor" and part["dtype"] == dtype and part["shape"] == [feature],
                       f"dataset[{i}]{name}{when} 应为形状 ({feature},) 的 {dtype} 张量，得到 {part.get('type')} "
                       f"{part.get('dtype', '')} {part.get('shape', '')}。",
                       f"dataset[{i}]{name}{when} must be a {dtype} tensor of shape ({feature},); got "
                       f"{part.get('type')} {part.get('dtype', '')} {part.get('shape', '')}.", f"输入 input: {inputs}")
            if values:
                expect_tensor(x, data[i].to(torch.float32), f"dataset[{i}][0]{when}", atol=1e-7, rtol=0,
                              inputs=inputs)
            if labels:
                expect_tensor(y, onehot[i], f"dataset[{i}][1]{when}", inputs=inputs)


def expect_batch(seen: dict[str, Any], feature: int, length: int, seed: int, inputs: str) -> None:
    """DataLoader(dataset, batch_size=4)'s first batch: [x float32 (b, d), y int64 (b, d)], the first rows."""
    data, onehot = reference(feature, length, seed)
    x, y = _pair(seen["batch"], "next(iter(DataLoader(dataset, batch_size=4)))")
    rows = min(4, length)
    expect_tensor(x, data[:rows].to(torch.float32), "the first batch's data", atol=1e-7, rtol=0, inputs=inputs)
    expect_tensor(y, onehot[:rows], "the first batch's labels", inputs=inputs)


def expect_global_state_kept(seen: dict[str, Any], global_seed: int, inputs: str) -> None:
    """Building and reading the dataset left every global generator as seeded."""
    changed = [name for name, draws in expected_draws(global_seed).items() if seen["global_draws"][name] != draws]
    expect(not changed, f"RandomData 改变了全局随机状态（{', '.join(changed)}）：应使用 np.random.default_rng(seed)，"
           "不要调用 np.random.seed 或 np.random.dirichlet。",
           f"RandomData changed the global random state ({', '.join(changed)}): use np.random.default_rng(seed), "
           "not np.random.seed or np.random.dirichlet.", f"输入 input: {inputs}")
