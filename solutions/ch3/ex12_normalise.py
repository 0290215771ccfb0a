"""练习 12：均值/标准差标准化：只用训练集的统计量。

本章在使用 `transforms.Normalize(mean, std)` 之前，先只对训练集计算每个通道的均值和标准差
（`calculate_mean_std`：对 (N, C, H, W) 的数据在维度 (0, 2, 3) 上求 `mean` 与 `std`），
再用这两个量把训练、验证和测试数据都变换为 (x − mean) / std：验证集与测试集绝不参与统计，
否则它们的信息会泄漏到训练中。`torch.std` 默认是样本标准差（除以 n − 1）；总体标准差除以 n。

1. `fit_stats`：按通道（第 1 维）计算均值与标准差，在其余所有维度上统计；`correction`
   为 1 时是样本标准差（默认，与本章相同），为 0 时是总体标准差。
2. `normalise`：按通道计算 (x − mean) / std；标准差为 0 的通道（训练集上为常数）只减去
   均值（除以 1），不产生 inf 或 NaN。
3. `normalise_splits`：只用训练集拟合统计量，再标准化训练、验证、测试三部分。
所有函数都不修改输入。

Exercise 12: mean/std normalisation with the training set's statistics only.

Before using `transforms.Normalize(mean, std)`, the chapter computes each channel's mean
and standard deviation on the training set alone (`calculate_mean_std`: `mean` and `std`
of (N, C, H, W) data over dims (0, 2, 3)), then maps the training, validation and test
data alike to (x − mean) / std: the validation and test sets never enter the statistics,
or their information would leak into training. `torch.std` is the sample standard
deviation by default (divisor n − 1); the population standard deviation divides by n.

1. `fit_stats`: the mean and standard deviation per channel (dim 1), over all the other
   dims; `correction` 1 gives the sample std (the default, as in the chapter), 0 the
   population std.
2. `normalise`: (x − mean) / std per channel; a channel whose std is 0 (constant on the
   training set) is only centred (divided by 1), giving no inf or NaN.
3. `normalise_splits`: fit the statistics on train alone, then normalise train, val and test.
No function changes its inputs.
"""

import torch


def fit_stats(train: torch.Tensor, correction: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean and standard deviation of each channel c = index of dim 1, over every other dim.

    Args:
        train: floating (N, C, ...): features (N, C), or images (N, C, H, W); at least two
            values per channel.
        correction: 1 for the sample std (divisor n − 1, torch.std's default), 0 for the
            population std (divisor n); n is the number of values of one channel.
    Returns:
        (mean, std), each (C,), in train's dtype and on its device. train is left unchanged.
    """
    ### BEGIN SOLUTION
    dims = [d for d in range(train.dim()) if d != 1]
    return train.mean(dim=dims), train.std(dim=dims, correction=correction)
    ### END SOLUTION


def normalise(x: torch.Tensor, mean: torch.Tensor, std: torch.Tensor) -> torch.Tensor:
    """(x − mean[c]) / std[c] for each channel c (dim 1); a channel whose std is exactly 0 is
    divided by 1 instead (only centred).

    Args:
        x: floating (M, C, ...), the layout of the data the statistics came from.
        mean, std: (C,), x's dtype and device; std ≥ 0.
    Returns:
        x's shape (M, C, ...), dtype and device. x, mean and std are left unchanged.
    """
    ### BEGIN SOLUTION
    shape = [1, -1] + [1] * (x.dim() - 2)
    scale = torch.where(std == 0, torch.ones_like(std), std)
    return (x - mean.view(shape)) / scale.view(shape)
    ### END SOLUTION


def normalise_splits(train: torch.Tensor, val: torch.Tensor, test: torch.Tensor,
                     correction: int = 1) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The three splits normalised with the statistics of train alone.

    Args:
        train, val, test: floating (N, C, ...), (M, C, ...), (K, C, ...), one dtype and device.
        correction: as in fit_stats.
    Returns:
        (normalise(train, m, s), normalise(val, m, s), normalise(test, m, s)) where
        (m, s) = fit_stats(train, correction). The inputs are left unchanged.
    """
    ### BEGIN SOLUTION
    mean, std = fit_stats(train, correction)
    return normalise(train, mean, std), normalise(val, mean, std), normalise(test, mean, std)
    ### END SOLUTION
