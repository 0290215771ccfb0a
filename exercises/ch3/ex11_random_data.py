"""练习 11：本章的 RandomData 数据集：狄利克雷分布的随机样本与 one-hot 标签。

本章用 `torch.utils.data.Dataset` 说明数据集的接口：实现 `__len__` 和 `__getitem__`，
`DataLoader` 再把样本组成批次。示例 `RandomData(feature, length)` 在构造时用
`np.random.dirichlet(np.ones(feature), size=length)` 生成 length 个样本（每个样本的
feature 个分量非负且和为 1），标签是 one-hot 编码：样本中最大分量的位置为 1，其余为 0
（`(x == x.max(axis=1)[:, None]).astype(int)`）；`__getitem__` 返回 float32 的数据张量与
int64 的标签张量。本章的示例用全局随机状态；这里改为用 seed 构造自己的生成器
`np.random.default_rng(seed)`，使数据可复现，且不影响全局随机状态。

Exercise 11: the chapter's RandomData dataset: Dirichlet samples with one-hot labels.

The chapter shows the interface of `torch.utils.data.Dataset` (implement `__len__` and
`__getitem__`; a `DataLoader` then makes batches of the samples) with `RandomData(feature,
length)`: its constructor draws length samples with `np.random.dirichlet(np.ones(feature),
size=length)` (the feature components of each sample are ≥ 0 and sum to 1), and the label
is one-hot: 1 where the sample's largest component is, 0 elsewhere
(`(x == x.max(axis=1)[:, None]).astype(int)`); `__getitem__` returns a float32 data tensor
and an int64 label tensor. The chapter draws from the global random state; here the data
come from a generator of its own, `np.random.default_rng(seed)`, so that they can be
reproduced and the global random state is left alone.
"""

import numpy as np
import torch
from torch.utils.data import Dataset


class RandomData(Dataset[tuple[torch.Tensor, torch.Tensor]]):
    """``length`` samples of ``feature`` components from a Dirichlet law, with one-hot labels.

    Args:
        feature: the number of components d of each sample, d ≥ 1.
        length: the number of samples N, N ≥ 0.
        seed: the data are ``np.random.default_rng(seed).dirichlet(np.ones(feature),
            size=length)`` (float64, (N, d)), drawn once, in the constructor: the same seed
            gives the same data whatever the global random state; the global random states
            (NumPy's, torch's, Python's) are left untouched.
    """

    def __init__(self, feature: int, length: int, seed: int = 0) -> None:
        raise NotImplementedError("ex11_random_data.RandomData.__init__: 尚未实现 / not implemented yet")

    def __len__(self) -> int:
        """N, the number of samples."""
        raise NotImplementedError("ex11_random_data.RandomData.__len__: 尚未实现 / not implemented yet")

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        """Sample ``index`` as ``(x, y)``, the same every time it is read.

        Returns:
            x: float32 (d,), row ``index`` of the drawn data (components ≥ 0, summing to 1).
            y: int64 (d,), one-hot: 1 at the position of x's largest component (found on the
                float64 data), 0 elsewhere.
        """
        raise NotImplementedError("ex11_random_data.RandomData.__getitem__: 尚未实现 / not implemented yet")
