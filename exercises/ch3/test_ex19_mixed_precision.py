"""Public checks for ex19_mixed_precision / 练习 19 的公开检查。"""

from chapters.ch3.judging.ex19 import (
    draw,
    expect_autocast_dtype,
    expect_forward,
    expect_scaler,
    expect_skipped,
    expect_step,
)
from grader.judge.check import Judge, check

EX = "ex19_mixed_precision"


@check(EX, 0.5)
def test_autocast_dtype(judge: Judge) -> None:
    """autocast_dtype 在 CPU 上为 bfloat16，在 CUDA 上为 float16
    autocast_dtype is bfloat16 on the CPU and float16 on CUDA"""
    for device_type in ("cpu", "cuda"):
        expect_autocast_dtype(judge, device_type)


@check(EX, 1)
def test_make_scaler(judge: Judge) -> None:
    """make_scaler 构造 GradScaler(device_type)：CUDA 上启用，CPU 上关闭
    make_scaler builds GradScaler(device_type): enabled on CUDA, disabled on the CPU"""
    for device_type in ("cpu", "cuda"):
        expect_scaler(judge, device_type)


@check(EX, 1.5)
def test_amp_forward(judge: Judge) -> None:
    """amp_forward 在 autocast 下计算：logits 为低精度，交叉熵损失为 float32，都带计算图
    amp_forward computes under autocast: logits in low precision, the cross-entropy loss in float32, both with a
    graph"""
    expect_forward(judge, draw(judge, 8, 6, 16, 4))


@check(EX, 2)
def test_train_step(judge: Judge) -> None:
    """train_step 依次 zero_grad、scale(loss).backward()、step、update，按未放大的梯度更新，返回 Python float
    train_step does zero_grad, scale(loss).backward(), step, update in order, moves by the unscaled gradient and
    returns a Python float"""
    for enabled in (True, False):
        expect_step(judge, draw(judge, 8, 6, 16, 4), lr=0.1, init_scale=1024.0, enabled=enabled, stale_grad=100.0)


@check(EX, 1.5)
def test_train_step_skips_overflow(judge: Judge) -> None:
    """放大后的梯度溢出时，train_step 跳过这一步，scale 减半
    when the scaled gradients overflow, train_step skips the step and the scale is halved"""
    expect_skipped(judge, draw(judge, 8, 6, 16, 4, overflow=True), lr=0.1)
