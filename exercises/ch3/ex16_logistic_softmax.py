"""练习 16：逻辑回归与 softmax 回归：数值稳定的手写 BCE 与交叉熵。

逻辑回归用 sigmoid σ(z) = 1/(1 + e^(−z)) 把线性输出 z（logit）映射到 (0, 1)，损失是二元
交叉熵（BCE）−[y log σ(z) + (1 − y) log(1 − σ(z))]。照公式先算 σ(z) 再取对数并不稳定：
float32 中 σ(100) 恰好等于 1，log(1 − σ(100)) = log 0 = −inf。本章指出 `nn.BCEWithLogitsLoss`
把 sigmoid 与 BCE 合在一起以求数值稳定：直接从 logit 计算，例如
BCE = max(z, 0) − z·y + log(1 + e^(−|z|))，其中的指数项从不溢出。softmax 回归把 C 个线性
输出 o 变成概率 ŷⱼ = exp(oⱼ)/Σₖ exp(oₖ)，损失是交叉熵 −log ŷ_y（`nn.CrossEntropyLoss` =
LogSoftmax + NLLLoss）；稳定的 log-softmax 先减去最大值：o − max − log Σ exp(o − max)。
预测取概率最大的类别（与 logit 最大的相同）。

约定：手写的四个函数（bce_with_logits、log_softmax、cross_entropy、softmax_predict）不用
PyTorch 现成的损失或 (log-)softmax / logsigmoid / softplus / logsumexp
（`F.binary_cross_entropy_with_logits`、`nn.BCEWithLogitsLoss`、`F.cross_entropy`、
`F.log_softmax`、`torch.softmax` 等，无论怎样导入或作为方法调用）：评分程序读源代码，也在
运行时核对，用了的函数在检查它结果的各项中不得分。只用 exp、log、log1p、abs、clamp、max、
sum、gather 之类的基本运算。不修改输入。

Exercise 16: logistic and softmax regression: a numerically stable binary cross-entropy and cross-entropy by hand.

Logistic regression maps the linear output z (the logit) into (0, 1) with the sigmoid
σ(z) = 1/(1 + e^(−z)); the loss is the binary cross-entropy (BCE)
−[y log σ(z) + (1 − y) log(1 − σ(z))]. Taking σ(z) first and then its log is not stable: in
float32 σ(100) is exactly 1 and log(1 − σ(100)) = log 0 = −inf. The chapter points out that
`nn.BCEWithLogitsLoss` fuses the sigmoid and the BCE for numerical stability: compute from
the logit directly, e.g. BCE = max(z, 0) − z·y + log(1 + e^(−|z|)), whose exponential never
overflows. Softmax regression turns C linear outputs o into probabilities
ŷⱼ = exp(oⱼ)/Σₖ exp(oₖ), with the cross-entropy loss −log ŷ_y (`nn.CrossEntropyLoss` =
LogSoftmax + NLLLoss); a stable log-softmax subtracts the maximum first:
o − max − log Σ exp(o − max). The prediction is the class of highest probability (that of
the highest logit).

Conventions: the four hand-written functions (bce_with_logits, log_softmax, cross_entropy,
softmax_predict) use none of PyTorch's ready-made losses or
(log-)softmax / logsigmoid / softplus / logsumexp (`F.binary_cross_entropy_with_logits`,
`nn.BCEWithLogitsLoss`, `F.cross_entropy`, `F.log_softmax`, `torch.softmax`, …, however
imported or called as methods): the grader reads the source and watches the run, and a
function that uses one earns nothing on the checks of its results. Use elementary
operations such as exp, log, log1p, abs, clamp, max, sum and gather. Inputs are left unchanged.
"""

import torch


def bce_with_logits(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The mean binary cross-entropy of ``targets`` under the probabilities σ(``logits``),
    computed from the logits: equal to ``nn.BCEWithLogitsLoss()(logits, targets)``, finite
    (no inf, no nan) for logits as large as ±100 and beyond, and differentiable in ``logits``
    (gradient (σ(z) − y)/numel, finite too).

    Args:
        logits: any shape (...), float32 or float64, any device.
        targets: the shape, dtype and device of ``logits``; values in [0, 1] (0/1 labels, or
            soft labels).
    Returns:
        0-d tensor, the dtype and device of ``logits``: the mean over all elements.
    """
    raise NotImplementedError("ex16_logistic_softmax.bce_with_logits: 尚未实现 / not implemented yet")


def log_softmax(logits: torch.Tensor) -> torch.Tensor:
    """log softmax over the last axis, stable: equal to ``F.log_softmax(logits, dim=-1)``,
    finite for logits as large as ±1000.

    Args:
        logits: (..., C) float32 or float64, any device.
    Returns:
        The shape, dtype and device of ``logits``; each row's exp sums to 1.
    """
    raise NotImplementedError("ex16_logistic_softmax.log_softmax: 尚未实现 / not implemented yet")


def cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The mean cross-entropy −log softmax(logits)[i, targets[i]] over the N samples, from
    this module's ``log_softmax``: equal to ``F.cross_entropy(logits, targets)``, finite for
    large logits, differentiable in ``logits``.

    Args:
        logits: (N, C) float32 or float64, any device.
        targets: (N,) int64 class indices in 0 … C − 1, on the device of ``logits``.
    Returns:
        0-d tensor, the dtype and device of ``logits``.
    """
    raise NotImplementedError("ex16_logistic_softmax.cross_entropy: 尚未实现 / not implemented yet")


def logistic_predict(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The logistic regression model's predictions: p = σ(x·w + b) and the labels p > 0.5.

    Args:
        x: (N, D) float32 or float64, any device.
        w: (D,) x's dtype and device.
        b: 0-d, x's dtype and device.
    Returns:
        (p, labels): p (N,) in x's dtype, the probability of class 1; labels (N,) int64, 1
        where p > 0.5 (the logit is positive) and 0 elsewhere; both on x's device.
    """
    raise NotImplementedError("ex16_logistic_softmax.logistic_predict: 尚未实现 / not implemented yet")


def softmax_predict(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The softmax regression model's predictions: o = x Wᵀ + b (as ``nn.Linear``), the
    probabilities softmax(o) over the classes (from this module's ``log_softmax``: stable for
    large logits), and the predicted class argmax.

    Args:
        x: (N, D) float32 or float64, any device.
        weight: (C, D) x's dtype and device.
        bias: (C,) x's dtype and device.
    Returns:
        (probabilities, classes): probabilities (N, C) in x's dtype, each row summing to 1;
        classes (N,) int64, the index of each row's largest probability; both on x's device.
    """
    raise NotImplementedError("ex16_logistic_softmax.softmax_predict: 尚未实现 / not implemented yet")
