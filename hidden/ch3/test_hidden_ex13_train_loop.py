"""Hidden checks for ex13_train_loop / 练习 13 的隐藏检查: random data, sizes, rates and schedules."""

from chapters.ch3.judging.ex13 import (
    Setup,
    draw,
    expect_eval_loop,
    expect_histograms,
    expect_history,
    expect_hparams,
    expect_scalars,
    expect_train_loop,
    run_and_read,
)
from grader.judge.check import Judge, check

EX = "ex13_train_loop"


def _draw(judge: Judge, test: int = 0) -> Setup:
    """Random sizes (a short last batch likely), classes and rate."""
    return draw(judge, judge.randint(5, 14), judge.randint(2, 6), judge.randint(2, 5), judge.randint(2, 5),
                judge.choice([0.05, 0.2, 0.8]), test)


@check(EX, 1.5, hidden=True)
def test_loops_random(judge: Judge) -> None:
    """train_loop 与 eval_loop 对随机数据、批大小、学习率、模式与残留梯度都正确
    train_loop and eval_loop are right for random data, batch sizes, rates, modes and stale gradients"""
    expect_train_loop(judge, _draw(judge), training=judge.choice([True, False]), stale_grad=judge.choice([True, False]))
    expect_eval_loop(judge, _draw(judge), training=judge.choice([True, False]))


@check(EX, 1.5, hidden=True)
def test_fit_random(judge: Judge) -> None:
    """fit 对随机的 epochs、step_size 与 gamma：历史与 TensorBoard 标量都正确
    fit with random epochs, step_size and gamma: the history and the TensorBoard scalars are right"""
    setup = _draw(judge, test=judge.randint(3, 10))
    epochs, step_size, gamma = judge.randint(2, 3), judge.randint(1, 2), judge.choice([0.1, 0.5, 0.9])
    seen, want, events, inputs = run_and_read(judge, setup, epochs, step_size, gamma)
    expect_history(seen, want, inputs)
    expect_scalars(seen, events, want, inputs)


@check(EX, 1, hidden=True)
def test_fit_histograms_hparams_random(judge: Judge) -> None:
    """fit 对随机设置：每个参数的直方图与 add_hparams 都正确
    fit with random settings: every parameter's histograms and add_hparams are right"""
    setup = _draw(judge, test=judge.randint(3, 10))
    epochs, step_size, gamma = judge.randint(2, 3), judge.randint(1, 2), judge.choice([0.1, 0.5, 0.9])
    _, want, events, inputs = run_and_read(judge, setup, epochs, step_size, gamma)
    expect_histograms(events, want, inputs)
    expect_hparams(events, want, setup.lr, step_size, gamma, inputs)
