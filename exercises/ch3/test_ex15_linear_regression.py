"""Public checks for ex15_linear_regression / 练习 15 的公开检查。"""

import torch

from chapters.ch3.judging.ex15 import Problem, draw, expect_manual, expect_nn
from grader.judge.check import Judge, check

EX = "ex15_linear_regression"


def _train(judge: Judge, func: str, problem: Problem) -> None:
    """``func`` on ``problem`` on the student side, held to the float64 replay of the same run."""
    seen = judge.probe("ch3.ex15.train", func=func, **problem.inputs())
    (expect_manual if func == "train_manual" else expect_nn)(judge, seen, problem)


@check(EX, 1.5)
def test_manual_sgd(judge: Judge) -> None:
    """train_manual 的单样本 SGD（batch_size = 1）：每批都 backward、手写更新、梯度清零，结果与评分程序重现的训练一致；
    epochs = 0 时返回 w0、b0 的值
    train_manual's single-sample SGD (batch_size = 1): backward, a hand-written update and zeroed gradients at every
    step give the grader's replay of the run; with epochs = 0 it returns w0 and b0's values"""
    for problem in (draw(judge, 12, 2, batch_size=1, seed=0), draw(judge, 6, 3, batch_size=1, epochs=0, seed=1)):
        _train(judge, "train_manual", problem)


@check(EX, 1.5)
def test_manual_minibatch(judge: Judge) -> None:
    """train_manual 的小批量与全批量：每批的损失是该批样本上的平均，最后一批可以较短
    train_manual in mini-batches and full batch: each batch's loss is the mean over its samples, the last batch may
    be shorter"""
    for batch_size in (4, 5, 12):
        _train(judge, "train_manual", draw(judge, 12, 2, batch_size=batch_size, seed=batch_size))


@check(EX, 1)
def test_nn_chapter_example(judge: Judge) -> None:
    """章中的例子：x = 1…5、y = 2x，w、b 从 0 开始，lr = 0.01，全批量训练 10 轮，用 nn.Linear 与 torch.optim.SGD
    the chapter's example: x = 1…5, y = 2x, w and b from 0, lr = 0.01, 10 epochs of full batch, with nn.Linear and
    torch.optim.SGD"""
    x = torch.arange(1.0, 6.0).reshape(5, 1)
    problem = Problem(x, 2 * x.reshape(5), torch.zeros(1), torch.tensor(0.0), 0.01, 10, 5, 0, "the chapter's example")
    _train(judge, "train_nn", problem)


@check(EX, 1)
def test_nn_sgd(judge: Judge) -> None:
    """train_nn 的单样本 SGD：nn.Linear 从 w0、b0 开始，每批 zero_grad、backward、SGD step，得到与手写训练相同的参数
    train_nn's single-sample SGD: an nn.Linear started at w0 and b0, zero_grad, backward and an SGD step per batch
    reach the same parameters as the hand-written training"""
    _train(judge, "train_nn", draw(judge, 10, 3, batch_size=1, seed=3))


@check(EX, 1.5)
def test_nn_minibatch(judge: Judge) -> None:
    """train_nn 的小批量：输出 (B, 1) 与 y[batch] (B,) 的形状对齐后再算均方误差，最后一批可以较短
    train_nn in mini-batches: the output (B, 1) is matched to y[batch] (B,) before the mean squared error, the last
    batch may be shorter"""
    for batch_size in (4, 5):
        _train(judge, "train_nn", draw(judge, 12, 2, batch_size=batch_size, seed=7))
