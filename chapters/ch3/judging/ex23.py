"""Judge-side helpers for ex23: the check of what load_csv returned against the judge's table.

Nothing here runs next to student code.
"""

from __future__ import annotations

from typing import Any

import torch

from grader.judge.check import Judge
from grader.judge.expect import expect, expect_kind, expect_tensor


def expect_loaded(judge: Judge, text: str, x: list[list[float]], y: list[float], names: list[str], inputs: str,
                  *, as_path: bool = False) -> None:
    """load_csv on a file holding ``text`` gives (X float64, y float64, names) equal to the
    expected table (to float64 rounding of the means)."""
    seen: dict[str, Any] = judge.probe("ch3.ex23.load", text=text, as_path=as_path)["result"]
    expect_kind(seen, "sequence", "load_csv(path)")
    expect(len(seen["items"]) == 3, f"load_csv 返回了 {len(seen['items'])} 项，应为 (X, y, names) 三项。",
           f"load_csv returned {len(seen['items'])} values; expected the triple (X, y, names).")
    got_x, got_y, got_names = seen["items"]
    expect(got_names.get("kind") == "sequence" and got_names["type"] == "list"
           and all(item.get("type") == "str" for item in got_names["items"]),
           f"load_csv 的 names 应为由 str 组成的 list，得到 {got_names.get('type')}。",
           f"load_csv's names must be a list of str; got a {got_names.get('type')}.", f"输入 input: {inputs}")
    listed = [item["value"] for item in got_names["items"]]
    expect(listed == names, f"load_csv 的列名（及其顺序）是 {listed}，应为 {names}。",
           f"load_csv named the columns {listed}; expected {names} (numeric columns first, then each categorical "
           "column's sorted values, then its _nan column).", f"输入 input: {inputs}")
    want_x = torch.tensor(x, dtype=torch.float64).reshape(len(y), len(names))
    expect_tensor(got_x, want_x, "load_csv(path)[0] (X)", atol=1e-9, rtol=1e-12, inputs=inputs)
    expect_tensor(got_y, torch.tensor(y, dtype=torch.float64), "load_csv(path)[1] (y)", atol=0, rtol=0,
                  inputs=inputs)
