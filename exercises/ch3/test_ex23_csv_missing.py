"""Public checks for ex23_csv_missing / 练习 23 的公开检查。"""

from chapters.ch3.judging.ex23 import expect_loaded
from grader.judge.check import Judge, check

EX = "ex23_csv_missing"
HOUSE_TINY = "NumRooms,Alley,Price\nNA,Pave,127500\n2,NA,106000\n4,NA,178100\nNA,NA,140000\n"


@check(EX, 2)
def test_house_tiny(judge: Judge) -> None:
    """笔记中的 house_tiny.csv：NumRooms 的缺失值填为均值 3，Alley 变为 Alley_Pave 与 Alley_nan
    the notes' house_tiny.csv: NumRooms' gaps filled with the mean 3, Alley becomes Alley_Pave and Alley_nan"""
    expect_loaded(judge, HOUSE_TINY, [[3, 1, 0], [2, 0, 1], [4, 0, 1], [3, 0, 1]], [127500, 106000, 178100, 140000],
                  ["NumRooms", "Alley_Pave", "Alley_nan"], "house_tiny.csv (path as a str)")


@check(EX, 0.5)
def test_path_object(judge: Judge) -> None:
    """path 也可以是 pathlib.Path
    path may be a pathlib.Path as well"""
    expect_loaded(judge, HOUSE_TINY, [[3, 1, 0], [2, 0, 1], [4, 0, 1], [3, 0, 1]], [127500, 106000, 178100, 140000],
                  ["NumRooms", "Alley_Pave", "Alley_nan"], "house_tiny.csv (path as a pathlib.Path)", as_path=True)


@check(EX, 1.5)
def test_numeric_means(judge: Judge) -> None:
    """数值列的缺失值（空或 NA）填为该列其余值的均值，各列按文件顺序
    a numeric column's missing values (empty or NA) become the mean of its present values; columns in file order"""
    text = "a,b,c,target\n1,,0.5,1\n,4,NA,2\n2,5,1.5,3\n4,,-1,4\n"
    expect_loaded(judge, text, [[1, 4.5, 0.5], [7 / 3, 4, 1 / 3], [2, 5, 1.5], [4, 4.5, -1]], [1, 2, 3, 4],
                  ["a", "b", "c"], "numeric columns a, b, c with empty and NA fields")


@check(EX, 1.5)
def test_categories_order(judge: Judge) -> None:
    """先是数值列，再按文件顺序是每个类别列的 one-hot 列：取值排序，最后是 _nan
    numeric columns first, then each categorical column's one-hot columns in file order: values sorted, then _nan"""
    text = "colour,size,shape,price\nred,1,round,10\nblue,NA,square,20\n,3,round,30\ngreen,2,,40\n"
    x = [[1, 0, 0, 1, 0, 1, 0, 0], [2, 1, 0, 0, 0, 0, 1, 0], [3, 0, 0, 0, 1, 1, 0, 0], [2, 0, 1, 0, 0, 0, 0, 1]]
    expect_loaded(judge, text, x, [10, 20, 30, 40],
                  ["size", "colour_blue", "colour_green", "colour_red", "colour_nan", "shape_round", "shape_square",
                   "shape_nan"], "colour, size (numeric), shape, price; values out of order, gaps in each")


@check(EX, 0.5)
def test_nan_column_always(judge: Judge) -> None:
    """类别列没有缺失值时也有 _nan 列（全为 0）
    a categorical column with no missing value still has its _nan column (all 0)"""
    expect_loaded(judge, "city,y\nParis,1\nOslo,2\nParis,3\n", [[0, 1, 0], [1, 0, 0], [0, 1, 0]], [1, 2, 3],
                  ["city_Oslo", "city_Paris", "city_nan"], "one categorical column, nothing missing")


@check(EX, 1)
def test_numeric_or_categorical(judge: Judge) -> None:
    """只有每个非缺失值都能读成 float 的列才是数值列（如 1.5、2e1），否则是类别列
    a column is numeric only when every present value reads as a float (1.5, 2e1), else categorical"""
    text = "code,amount,y\n1,1.5,0\n2,2e1,1\nx,NA,2\n1,-3,3\n"
    x = [[1.5, 1, 0, 0, 0], [20, 0, 1, 0, 0], [37 / 6, 0, 0, 1, 0], [-3, 1, 0, 0, 0]]
    expect_loaded(judge, text, x, [0, 1, 2, 3], ["amount", "code_1", "code_2", "code_x", "code_nan"],
                  "code holds 1, 2 and x (categorical); amount holds 1.5, 2e1, NA, -3 (numeric)")
