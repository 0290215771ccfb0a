"""Hidden checks for ex21_finetune_head / 练习 21 的隐藏检查: random models, class counts, batches and rates."""

import torch

from chapters.ch3.judging.ex21 import expect_frozen, expect_head, expect_optimizer, expect_trained
from chapters.ch3.probes.ex21 import parameter_names
from grader.judge.check import Judge, check

EX = "ex21_finetune_head"


@check(EX, 1, hidden=True)
def test_head_random(judge: Judge) -> None:
    """replace_head 对随机的 k、批大小与图像大小都正确
    replace_head is right for random k, batch sizes and image sizes"""
    k, n, size = judge.randint(1, 40), judge.randint(1, 3), judge.choice([32, 40, 64])
    x = judge.randn(n, 3, size, size)
    seen = judge.probe("ch3.ex21.head", seed=judge.seed, num_classes=k, x=x)
    expect_head(seen, k, n, judge.device, f"shufflenet_v2_x0_5(weights=None), random k, x ({n}, 3, {size}, {size})")


@check(EX, 0.5, hidden=True)
def test_freeze_random(judge: Judge) -> None:
    """freeze_backbone 对随机的已冻结参数都正确；head_optimizer 对随机的 lr 与 momentum 都正确
    freeze_backbone is right whatever was frozen before; head_optimizer for random lr and momentum"""
    names = parameter_names()
    frozen = [name for name in names if judge.choice([True, False])]
    seen = judge.probe("ch3.ex21.freeze", seed=judge.seed, frozen=frozen)
    expect_frozen(seen, f"shufflenet_v2_x0_5(weights=None), {len(frozen)} of {len(names)} parameters frozen before")
    lr, momentum = judge.choice([0.001, 0.01, 0.3]), judge.choice([0.0, 0.5, 0.99])
    seen = judge.probe("ch3.ex21.optimizer", seed=judge.seed, lr=lr, momentum=momentum)
    expect_optimizer(seen["default"], "head_optimizer(model, lr)", lr, 0.9)
    expect_optimizer(seen["given"], "head_optimizer(model, lr, momentum)", lr, momentum)


@check(EX, 1, hidden=True)
def test_finetune_random(judge: Judge) -> None:
    """随机的 k、批、学习率、动量与步数：只更新头部，结果与 float64 参考一致
    random k, batch, learning rate, momentum and number of steps: the head only is updated, as the float64
    reference does"""
    k, n, steps = judge.randint(2, 12), judge.randint(1, 4), judge.randint(1, 3)
    lr, momentum = judge.choice([0.01, 0.1, 0.5]), judge.choice([0.0, 0.5, 0.9])
    x = judge.randn(n, 3, 32, 32)
    y = torch.randint(0, k, (n,), generator=judge.gen)
    seen = judge.probe("ch3.ex21.train", seed=judge.seed, num_classes=k, x=x, y=y, lr=lr, momentum=momentum,
                       steps=steps)
    expect_trained(seen, k, n, y, lr, momentum, steps, judge.device,
                   f"shufflenet_v2_x0_5(weights=None), random k, x ({n}, 3, 32, 32), {steps} steps, lr {lr}, "
                   f"momentum {momentum}")
