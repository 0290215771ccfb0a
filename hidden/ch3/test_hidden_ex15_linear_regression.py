"""Hidden checks for ex15_linear_regression / 练习 15 的隐藏检查: random data, sizes, dtypes, batch sizes,
learning rates, epochs and seeds."""

import torch

from chapters.ch3.judging.ex15 import Problem, draw, expect_manual, expect_nn
from grader.judge.check import Judge, check

EX = "ex15_linear_regression"


def _random_runs(judge: Judge) -> list[Problem]:
    """Single-sample SGD, a random mini-batch size and full batch, on random data of a random dtype."""
    runs = []
    for kind in ("single", "mini", "full"):
        n, d = judge.randint(4, 16), judge.randint(1, 4)
        batch_size = {"single": 1, "mini": judge.randint(2, n - 1), "full": n}[kind]
        runs.append(draw(judge, n, d, batch_size=batch_size, lr=judge.choice([0.01, 0.03, 0.05]),
                         epochs=judge.randint(1, 3), dtype=judge.choice([torch.float32, torch.float64])))
    return runs


@check(EX, 1.75, hidden=True)
def test_manual_random(judge: Judge) -> None:
    """train_manual 在随机数据、dtype、批大小（1、小批量、全批量）、学习率、轮数与 seed 下都与重现的训练一致
    train_manual matches the replayed run for random data, dtypes, batch sizes (1, mini-batch, full), learning
    rates, epochs and seeds"""
    for problem in _random_runs(judge):
        expect_manual(judge, judge.probe("ch3.ex15.train", func="train_manual", **problem.inputs()), problem)


@check(EX, 1.75, hidden=True)
def test_nn_random(judge: Judge) -> None:
    """train_nn 在随机数据、dtype、批大小（1、小批量、全批量）、学习率、轮数与 seed 下都与重现的训练一致
    train_nn matches the replayed run for random data, dtypes, batch sizes (1, mini-batch, full), learning rates,
    epochs and seeds"""
    for problem in _random_runs(judge):
        expect_nn(judge, judge.probe("ch3.ex15.train", func="train_nn", **problem.inputs()), problem)
