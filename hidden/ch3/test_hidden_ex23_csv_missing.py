"""Hidden checks for ex23_csv_missing / 练习 23 的隐藏检查: random tables (sizes, column kinds
and order, categories, gaps and their spelling), written by the probe from the judge's draws."""

from chapters.ch3.judging.ex23 import expect_loaded
from grader.judge.check import Judge, check

EX = "ex23_csv_missing"
NAMES = ["age", "rooms", "area", "city", "road", "zone", "floor", "kind", "Alley", "NumRooms"]
CATEGORIES = ["Pave", "Grvl", "A", "B", "low", "high", "x1", "north"]


def _table(judge: Judge, numeric: int, categorical: int) -> tuple[str, list[list[float]], list[float], list[str], str]:
    """A random CSV text with ``numeric`` and ``categorical`` input columns in random order, and
    what load_csv must give for it: X's rows, y, names; and how to describe it."""
    rows = judge.randint(3, 8)
    pool = list(NAMES)
    columns: list[tuple[str, bool, list[str | None]]] = []  # name, is numeric, values (None: missing)
    for is_numeric in [True] * numeric + [False] * categorical:
        name = pool.pop(judge.randint(0, len(pool) - 1))
        kinds = [CATEGORIES[judge.randint(0, len(CATEGORIES) - 1)] for _ in range(judge.randint(1, 3))]
        values: list[str | None] = [str(judge.randint(-20, 20) / 2) if is_numeric else judge.choice(kinds)
                                    for _ in range(rows)]
        for i in range(rows):
            if judge.randint(0, 2) == 0:
                values[i] = None
        if all(v is None for v in values):
            values[0] = "1.5" if is_numeric else kinds[0]
        columns.insert(judge.randint(0, len(columns)), (name, is_numeric, values))
    target = [float(judge.randint(0, 500)) for _ in range(rows)]
    lines = [",".join([name for name, _, _ in columns] + ["target"])]
    for i in range(rows):
        fields = [judge.choice(["", "NA"]) if values[i] is None else str(values[i]) for _, _, values in columns]
        lines.append(",".join([*fields, f"{target[i]:g}"]))
    names: list[str] = []
    table: list[list[float]] = []
    for name, is_numeric, values in [c for c in columns if c[1]] + [c for c in columns if not c[1]]:
        if is_numeric:
            present = [float(v) for v in values if v is not None]
            table.append([sum(present) / len(present) if v is None else float(v) for v in values])
            names.append(name)
            continue
        for category in sorted({v for v in values if v is not None}):
            table.append([float(v == category) for v in values])
            names.append(f"{name}_{category}")
        table.append([float(v is None) for v in values])
        names.append(f"{name}_nan")
    x = [[column[i] for column in table] for i in range(rows)]
    inputs = f"random table: {rows} rows, {numeric} numeric and {categorical} categorical input columns"
    return "\n".join(lines) + "\n", x, target, names, inputs


@check(EX, 1.5, hidden=True)
def test_random_numeric(judge: Judge) -> None:
    """随机的数值表：均值填补、列顺序、y 正确
    random numeric tables: mean imputation, column order and y are right"""
    for _ in range(2):
        text, x, y, names, inputs = _table(judge, judge.randint(1, 3), 0)
        expect_loaded(judge, text, x, y, names, inputs, as_path=judge.choice([False, True]))


@check(EX, 1.5, hidden=True)
def test_random_mixed(judge: Judge) -> None:
    """随机的混合表：数值列在前，类别列的 one-hot 列（排序，_nan 在后）在后
    random mixed tables: numeric columns first, then each categorical column's sorted one-hot columns and _nan"""
    for _ in range(2):
        text, x, y, names, inputs = _table(judge, judge.randint(0, 2), judge.randint(1, 2))
        expect_loaded(judge, text, x, y, names, inputs, as_path=judge.choice([False, True]))
