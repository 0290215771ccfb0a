"""Hidden checks for ex03_autograd / 基础 3 的隐藏检查: random shapes, dtypes, models and modes."""

import torch

from chapters.ch3.judging.ex03 import (
    expect_autograd_used,
    expect_freeze,
    expect_gradient,
    expect_loss,
    expect_predict,
)
from chapters.ch3.probes.ex03 import FEATURES, build_model
from grader.judge.check import Judge, check

EX = "ex03_autograd"


def _draw(judge: Judge) -> tuple[torch.Tensor, str]:
    """x of a random shape (0-d to 4-d) and floating dtype, and how to describe it."""
    shape = [judge.randint(1, 5) for _ in range(judge.randint(0, 4))]
    dtype = judge.choice([torch.float32, torch.float64])
    return judge.randn(*shape, dtype=dtype) * 3, f"{str(dtype).removeprefix('torch.')}, {len(shape)}-d"


@check(EX, 0.5, hidden=True)
def test_chapter_loss_random(judge: Judge) -> None:
    """chapter_loss 对随机形状（含 0 维）、dtype 与 requires_grad 都正确，需要梯度时可微
    chapter_loss is right for random shapes (0-d included), dtypes and requires_grad, differentiable with grad"""
    for requires_grad in (True, False, judge.choice([True, False])):
        x, kind = _draw(judge)
        seen = judge.probe("ch3.ex03.apply", func="chapter_loss", x=x, requires_grad=requires_grad)
        expect_loss(seen, x, judge.device, f"{kind}, requires_grad={requires_grad}")


@check(EX, 1.5, hidden=True)
def test_grads_random(judge: Judge) -> None:
    """两种梯度对随机形状、dtype、requires_grad 与已有 .grad 都正确，且不改动 x
    both gradients are right for random shapes, dtypes, requires_grad and an existing .grad, x left alone"""
    for func in ("grad_by_autograd", "grad_by_hand", "grad_by_autograd", "grad_by_hand"):
        x, kind = _draw(judge)
        requires_grad = judge.choice([True, False])
        grad = judge.randn(*x.shape, dtype=x.dtype) if requires_grad and judge.choice([True, False]) else None
        seen = judge.probe("ch3.ex03.apply", func=func, x=x, requires_grad=requires_grad, grad=grad)
        inputs = f"{kind}, requires_grad={requires_grad}, x.grad {'set' if grad is not None else 'None'}"
        expect_gradient(seen, x, func, judge.device, inputs, grad=grad)
        if func == "grad_by_autograd":
            expect_autograd_used(judge, seen, inputs)


@check(EX, 0.5, hidden=True)
def test_freeze_partly_frozen(judge: Judge) -> None:
    """freeze_ 只计本次新冻结的参数（已冻结的、共享参数的重复不计），再次调用返回 0
    freeze_ counts only what it newly froze (not already frozen ones, a shared one once); again it returns 0"""
    seed = judge.randint(0, 10**6)
    named = list(build_model(seed).named_parameters())
    frozen = [name for name, _ in named if judge.choice([True, False])]
    fresh = sum(p.numel() for name, p in named if name not in frozen)
    seen = judge.probe("ch3.ex03.freeze", model_seed=seed, frozen=frozen, calls=2)
    expect_freeze(seen, [fresh, 0], f"grader model with {len(frozen)} of {len(named)} parameters already frozen, "
                  "freeze_ called twice")


@check(EX, 1, hidden=True)
def test_predict_modes(judge: Judge) -> None:
    """predict 对随机模型与批大小（含 1），无论模型原先处于训练还是评估模式都正确
    predict is right for random models and batch sizes (1 included), starting in train or eval mode"""
    for train in (True, False, judge.choice([True, False])):
        seed, n = judge.randint(0, 10**6), judge.choice([1, judge.randint(2, 16)])
        x = judge.randn(n, FEATURES)
        seen = judge.probe("ch3.ex03.predict", model_seed=seed, x=x, train=train)
        expect_predict(seen, seed, x, judge.device, f"grader model in {'train' if train else 'eval'} mode, "
                       f"float32 ({n}, {FEATURES})")


@check(EX, 0.5, hidden=True)
def test_predict_submodule_modes(judge: Judge) -> None:
    """predict 恢复每个子模块各自的模式（各子模块随机处于训练或评估模式）
    predict restores each submodule's own mode (each submodule in train or eval mode at random)"""
    seed, n = judge.randint(0, 10**6), judge.randint(2, 16)
    x = judge.randn(n, FEATURES)
    names = [name for name, _ in build_model(seed).named_modules()]
    modes = {name: judge.choice([True, False]) for name in names}
    seen = judge.probe("ch3.ex03.predict", model_seed=seed, x=x, train=modes[""], modes=modes)
    expect_predict(seen, seed, x, judge.device, f"grader model with {sum(modes.values())} of {len(names)} modules "
                   f"in train mode, the others in eval mode, float32 ({n}, {FEATURES})")
