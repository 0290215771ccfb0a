"""Public checks for ex21_finetune_head / 练习 21 的公开检查 (torchvision's ShuffleNetV2 ×0.5, weights=None)."""

import torch

from chapters.ch3.judging.ex21 import expect_frozen, expect_head, expect_optimizer, expect_trained
from grader.judge.check import Judge, check

EX = "ex21_finetune_head"
SIZE = 32  # the images' height and width: small, so that each check stays fast


@check(EX, 2)
def test_head_replaced(judge: Judge) -> None:
    """replace_head 换上并返回新的 nn.Linear(1024, k)（带偏置、默认初始化），model(x) 给出 (N, k)，主干不变
    replace_head puts in place and returns a new nn.Linear(1024, k) (with bias, default init); model(x) gives
    (N, k); the backbone is left alone"""
    x = judge.randn(2, 3, SIZE, SIZE)
    seen = judge.probe("ch3.ex21.head", seed=judge.seed, num_classes=10, x=x)
    expect_head(seen, 10, 2, judge.device,
                f"shufflenet_v2_x0_5(weights=None), k = 10, x (2, 3, {SIZE}, {SIZE}) float32")


@check(EX, 2)
def test_freeze_backbone(judge: Judge) -> None:
    """freeze_backbone 之后恰好 model.fc 的参数需要梯度（之前已冻结的头部也解冻），返回 None，数值不变
    after freeze_backbone exactly model.fc's parameters require grad (a head frozen before is unfrozen),
    it returns None, values stay"""
    for frozen, inputs in (([], "nothing frozen before"),
                           (["fc.weight", "fc.bias", "conv1.0.weight"], "fc and the first conv frozen before")):
        seen = judge.probe("ch3.ex21.freeze", seed=judge.seed, frozen=frozen)
        expect_frozen(seen, f"shufflenet_v2_x0_5(weights=None), {inputs}")


@check(EX, 1.5)
def test_head_optimizer(judge: Judge) -> None:
    """head_optimizer 返回只含 model.fc 的 weight 与 bias 的 SGD（不看 requires_grad），lr 与 momentum（默认 0.9）
    head_optimizer returns an SGD over model.fc's weight and bias only (whatever requires_grad says), with lr
    and momentum (default 0.9)"""
    seen = judge.probe("ch3.ex21.optimizer", seed=judge.seed, lr=0.05, momentum=0.5)
    expect_optimizer(seen["default"], "head_optimizer(model, 0.05)", 0.05, 0.9)
    expect_optimizer(seen["given"], "head_optimizer(model, 0.05, 0.5)", 0.05, 0.5)


@check(EX, 2)
def test_finetune_steps(judge: Judge) -> None:
    """三个函数一起：两步 SGD（交叉熵）只更新头部，结果与 float64 参考一致，主干不变
    the three together: two SGD steps (cross-entropy) update the head only, as the float64 reference does,
    and leave the backbone alone"""
    x, y = judge.randn(2, 3, SIZE, SIZE), torch.tensor([0, 2])
    seen = judge.probe("ch3.ex21.train", seed=judge.seed, num_classes=3, x=x, y=y, lr=0.1, momentum=0.9, steps=2)
    expect_trained(seen, 3, 2, y, 0.1, 0.9, 2, judge.device,
                   f"shufflenet_v2_x0_5(weights=None), k = 3, x (2, 3, {SIZE}, {SIZE}), 2 steps, lr 0.1, momentum 0.9")
