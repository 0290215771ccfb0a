"""Public checks for ex13_train_loop / 练习 13 的公开检查。"""

from chapters.ch3.judging.ex13 import (
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
LR, EPOCHS, STEP_SIZE, GAMMA = 0.5, 3, 2, 0.1  # epochs train with 0.5, 0.5, 0.05


@check(EX, 1)
def test_train_loop(judge: Judge) -> None:
    """train_loop 在训练模式下每批更新一次参数，返回各批次损失的平均值（最后一批较短）
    train_loop updates the parameters once per batch in training mode and returns the mean batch loss (short last
    batch)"""
    expect_train_loop(judge, draw(judge, 10, 4, 3, 4, LR), training=False, stale_grad=False)


@check(EX, 0.5)
def test_train_loop_stale_grad(judge: Judge) -> None:
    """train_loop 每步先清零梯度：调用前残留的梯度不影响第一步
    train_loop zeroes the gradients before each backward: a gradient left before the call does not leak in"""
    expect_train_loop(judge, draw(judge, 8, 4, 3, 4, LR), training=True, stale_grad=True)


@check(EX, 1.5)
def test_eval_loop(judge: Judge) -> None:
    """eval_loop 在评估模式、no_grad 下返回 (各批次损失的平均值, 正确数 / 样本数)，不改参数
    eval_loop returns (mean batch loss, correct / samples) in eval mode under no_grad, parameters unchanged"""
    expect_eval_loop(judge, draw(judge, 10, 4, 3, 4, LR), training=True)


@check(EX, 1)
def test_fit_history(judge: Judge) -> None:
    """fit 每个 epoch 训练、评估，按 StepLR 调整学习率（训练之后 scheduler.step()），返回四列历史
    fit trains and evaluates each epoch, schedules the rate with StepLR (scheduler.step() after training), and returns
    the four histories"""
    setup = draw(judge, 12, 4, 3, 4, LR, test=9)
    seen, want, _, inputs = run_and_read(judge, setup, EPOCHS, STEP_SIZE, GAMMA)
    expect_history(seen, want, inputs)


@check(EX, 1)
def test_fit_scalars(judge: Judge) -> None:
    """fit 把 Loss/train、Loss/test、Accuracy/test 与 Learning Rate 记录为 TensorBoard 标量，step 为 epoch
    fit logs Loss/train, Loss/test, Accuracy/test and Learning Rate as TensorBoard scalars at step = epoch"""
    setup = draw(judge, 12, 4, 3, 4, LR, test=9)
    seen, want, events, inputs = run_and_read(judge, setup, EPOCHS, STEP_SIZE, GAMMA)
    expect_scalars(seen, events, want, inputs)


@check(EX, 0.5)
def test_fit_histograms(judge: Judge) -> None:
    """fit 每个 epoch 训练后把每个参数记录为直方图 Parameters/<name>
    fit logs every parameter as a histogram Parameters/<name> after each epoch's training"""
    setup = draw(judge, 12, 4, 3, 4, LR, test=9)
    _, want, events, inputs = run_and_read(judge, setup, EPOCHS, STEP_SIZE, GAMMA)
    expect_histograms(events, want, inputs)


@check(EX, 0.5)
def test_fit_hparams(judge: Judge) -> None:
    """fit 最后用 add_hparams 记录超参数与最终的 test_loss、accuracy
    fit ends with add_hparams: the hyperparameters and the final test_loss and accuracy"""
    setup = draw(judge, 12, 4, 3, 4, LR, test=9)
    _, want, events, inputs = run_and_read(judge, setup, EPOCHS, STEP_SIZE, GAMMA)
    expect_hparams(events, want, LR, STEP_SIZE, GAMMA, inputs)
