"""练习 21：替换 torchvision 模型的分类层（头部），冻结主干网络，只训练新的头部。

`torchvision.models` 提供常用的模型结构（AlexNet、VGG、ResNet 等），可以带预训练权重。
要把这样的模型用于自己的 k 类任务，先读出分类层的输入特征数（ResNet、GoogLeNet 与
ShuffleNetV2 的分类层都是 `model.fc`，`fc_in_features = model.fc.in_features`），再换上一个新的
`nn.Linear(fc_in_features, k)`。微调时通常固定大部分参数、只更新一部分：把主干网络的参数
设为 `requires_grad=False`，只让新的头部可训练，并且只把头部的参数交给优化器。
（评分时用 `torchvision.models.shufflenet_v2_x0_5(weights=None)`：随机初始化，不下载任何东西；
它的分类层与 ResNet 一样是 `model.fc`，而构建与运行都快得多。）实现：

- `replace_head`：换上 k 类的新分类层；
- `freeze_backbone`：只让分类层的参数需要梯度；
- `head_optimizer`：只优化分类层参数的 SGD 优化器。

Exercise 21: replace a torchvision model's classifier (its head), freeze the backbone, and
train the new head only.

`torchvision.models` provides common architectures (AlexNet, VGG, ResNet, …), with pretrained
weights if wanted. To use such a model for your own k-class task, read the number of input
features of its classifier (the classifier of a ResNet, a GoogLeNet or a ShuffleNetV2 is
`model.fc`: `fc_in_features = model.fc.in_features`) and put a new
`nn.Linear(fc_in_features, k)` in its place.
Fine-tuning usually keeps most parameters fixed and updates only a few: set
`requires_grad=False` on the backbone's parameters, leave only the new head trainable, and
give the optimizer the head's parameters only. (Grading uses
`torchvision.models.shufflenet_v2_x0_5(weights=None)`: random weights, nothing is downloaded;
its classifier is `model.fc` as in a ResNet, and it builds and runs much faster.)
Implement:

- `replace_head`: put a new k-class classifier in place;
- `freeze_backbone`: make only the classifier's parameters require grad;
- `head_optimizer`: an SGD optimizer over the classifier's parameters only.
"""

import torch
from torch import nn


def replace_head(model: nn.Module, num_classes: int) -> nn.Linear:
    """Replace ``model.fc`` by a new ``nn.Linear(model.fc.in_features, num_classes)``.

    The new layer has a bias and PyTorch's default initialisation, on the device and in the
    dtype of the model's parameters; the rest of the model is left as it was. Afterwards
    ``model(x)`` gives (N, num_classes) logits for images x (N, 3, H, W).

    Args:
        model: a torchvision model whose classifier is ``model.fc``, an ``nn.Linear`` (ResNet,
            GoogLeNet, ShuffleNetV2), on any device.
        num_classes: k ≥ 1.
    Returns:
        The new layer, the very object now at ``model.fc``.
    """
    ### BEGIN SOLUTION
    old = model.fc
    model.fc = nn.Linear(old.in_features, num_classes, device=old.weight.device, dtype=old.weight.dtype)
    return model.fc
    ### END SOLUTION


def freeze_backbone(model: nn.Module) -> None:
    """Freeze everything but the classifier: afterwards exactly the parameters of ``model.fc``
    require grad (also when they did not before the call), and no other parameter does.
    Parameter values do not change.

    Args:
        model: a torchvision model whose classifier is ``model.fc``.
    """
    ### BEGIN SOLUTION
    model.requires_grad_(False)
    model.fc.requires_grad_(True)
    ### END SOLUTION


def head_optimizer(model: nn.Module, lr: float, momentum: float = 0.9) -> torch.optim.SGD:
    """``torch.optim.SGD`` over exactly the parameters of ``model.fc`` (its weight and bias,
    whatever their ``requires_grad``), with learning rate ``lr`` and ``momentum``.

    Args:
        model: a torchvision model whose classifier is ``model.fc``.
        lr: the learning rate, > 0.
        momentum: the SGD momentum (default 0.9).
    Returns:
        The optimizer: its parameter groups hold ``model.fc.weight`` and ``model.fc.bias``, each
        once, and nothing else, every group with ``lr`` and ``momentum``.
    """
    ### BEGIN SOLUTION
    return torch.optim.SGD(model.fc.parameters(), lr=lr, momentum=momentum)
    ### END SOLUTION
