"""练习 23：把含缺失值的 CSV 读成张量。

笔记中把一个小的 CSV（如 `NumRooms,Alley,Price`，缺失值写作 NA）读入，最后一列作为输出，
其余列作为输入；用插值法处理缺失值：数值列的缺失值用该列其余值的均值填补
（`inputs.fillna(inputs.mean())`）；类别列用 one-hot 编码，把“缺失”也当作一个类别
（`pd.get_dummies(inputs, dummy_na=True)`：`Alley` 变为 `Alley_Pave` 与 `Alley_nan` 两列）；
最后转为 float64 张量（`torch.tensor(inputs.to_numpy(dtype=float))`）。本题只用 Python 自带
的 `csv` 模块实现同样的结果，列的顺序与命名与 pandas 相同。

Exercise 23: a CSV with missing values to tensors.

The notes read a small CSV (such as `NumRooms,Alley,Price`, with missing values written
NA), take its last column as the output and the others as inputs, and fill the gaps by
imputation: a missing value of a numeric column becomes the mean of that column's other
values (`inputs.fillna(inputs.mean())`); a categorical column is one-hot encoded, with
"missing" as a category of its own (`pd.get_dummies(inputs, dummy_na=True)`: `Alley`
becomes the two columns `Alley_Pave` and `Alley_nan`); then everything becomes float64
tensors (`torch.tensor(inputs.to_numpy(dtype=float))`). Here the same result is built with
Python's own `csv` module, with pandas' column order and names.
"""

import csv
from pathlib import Path

import torch

MISSING = ("", "NA")  # the fields that mean "missing"


def load_csv(path: str | Path) -> tuple[torch.Tensor, torch.Tensor, list[str]]:
    """The inputs X, the outputs y and X's column names, from the CSV file at ``path``.

    The file: a header row of column names, then one row per sample, fields separated by
    commas. A field that is empty or ``NA`` is missing. The last column is the output
    (numbers, none missing); the others are inputs, each with at least one value present.
    An input column is numeric when every present value reads as a float (``float(v)``),
    else categorical.

    Args:
        path: the CSV file, as a str or a pathlib.Path.
    Returns:
        X: float64 (N, F). First the numeric input columns, in file order, a missing value
            replaced by the mean of the column's present values; then, for each categorical
            column in file order, one 0/1 column per distinct present value (values in
            sorted order), then one 0/1 column that is 1 where the value is missing (always
            there, even when nothing is missing).
        y: float64 (N,), the last column.
        names: F strings, X's column names: a numeric column's own name; ``<column>_<value>``
            and ``<column>_nan`` for the one-hot columns (as pandas' get_dummies names them).
    """
    ### BEGIN SOLUTION
    with open(path, newline="", encoding="utf-8") as file:
        header, *rows = list(csv.reader(file))
    y = torch.tensor([float(row[-1]) for row in rows], dtype=torch.float64)
    numeric, categorical, names = [], [], []
    for j, name in enumerate(header[:-1]):
        column = [row[j] for row in rows]
        present = [v for v in column if v not in MISSING]
        try:
            values = [float(v) for v in present]
        except ValueError:
            for category in sorted(set(present)):
                categorical.append([float(v == category) for v in column])
                names.append(f"{name}_{category}")
            categorical.append([float(v in MISSING) for v in column])
            names.append(f"{name}_nan")
            continue
        mean = sum(values) / len(values)
        numeric.append([mean if v in MISSING else float(v) for v in column])
        names.insert(len(numeric) - 1, name)
    columns = numeric + categorical
    x = torch.tensor(columns, dtype=torch.float64).T if columns else torch.zeros(len(rows), 0, dtype=torch.float64)
    return x.contiguous(), y, names
    ### END SOLUTION
