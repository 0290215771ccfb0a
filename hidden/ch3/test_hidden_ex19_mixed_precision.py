"""Hidden checks for ex19_mixed_precision / 练习 19 的隐藏检查: random models, batches, rates and scales."""

from chapters.ch3.judging.ex19 import Setup, draw, expect_forward, expect_skipped, expect_step
from grader.judge.check import Judge, check

EX = "ex19_mixed_precision"


def _draw(judge: Judge, overflow: bool = False) -> Setup:
    return draw(judge, judge.randint(1, 12), judge.randint(2, 8), judge.randint(4, 24), judge.randint(2, 6),
                overflow=overflow)


@check(EX, 1, hidden=True)
def test_amp_forward_random(judge: Judge) -> None:
    """amp_forward 对随机模型与批（含 1 个样本）都正确
    amp_forward is right for random models and batches (one sample included)"""
    for _ in range(2):
        expect_forward(judge, _draw(judge))


@check(EX, 1.5, hidden=True)
def test_train_step_random(judge: Judge) -> None:
    """train_step 对随机学习率、初始 scale、残留梯度与启用与否都正确
    train_step is right for random rates, initial scales, stale gradients, scaler enabled or not"""
    for enabled in (True, False):
        expect_step(judge, _draw(judge), lr=judge.choice([0.01, 0.1, 0.5]), init_scale=judge.choice([2.0**8, 2.0**16]),
                    enabled=enabled, stale_grad=judge.choice([100.0, -50.0]))


@check(EX, 1, hidden=True)
def test_skips_overflow_random(judge: Judge) -> None:
    """train_step 对随机模型跳过溢出的一步，scale 减半
    train_step skips an overflowing step for random models, halving the scale"""
    expect_skipped(judge, _draw(judge, overflow=True), lr=judge.choice([0.01, 0.1, 0.5]))
