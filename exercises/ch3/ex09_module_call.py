"""深化 9：为什么调用模型对象 `model(x)`，而不直接调用 `model.forward(x)`。

说明为什么不直接调用 `torch.nn.Module` 的 `forward()` 方法，而可以像函数一样调用模型对象。
（提示：`__call__` 方法。）`nn.Module.__call__` 在调用 `forward()` 的前后还要执行其他操作，
例如运行已注册的钩子（hook）；直接调用 `forward()` 会跳过模型本身的这些钩子。下面用前向
钩子亲手验证这一点：

- `ActivationRecorder`：上下文管理器，在 `with` 块内记录指定层每次输出的形状，退出时移除它
  注册的全部钩子（即使块内抛出异常也一样）。
- `run_model`：以能触发钩子的方式运行模型。
- `count_hook_calls`：在模型本身上注册一个前向钩子，分别数出 `model(x)` 与
  `model.forward(x)` 触发它的次数。

Deeper 9: why we call the model object, `model(x)`, and not `model.forward(x)`.

Explain why a `torch.nn.Module` is called like a function instead of calling its
`forward()` method directly. (Hint: the `__call__` method.) `nn.Module.__call__` does more
around `forward()`, such as running the hooks registered on the module; calling
`forward()` directly skips the hooks of the model itself. Check this yourself with
forward hooks:

- `ActivationRecorder`: a context manager that, inside its `with` block, records the output
  shape of each call of the named layers, and on exit removes every hook it added (also
  when the block raised).
- `run_model`: runs a model so that its hooks fire.
- `count_hook_calls`: with one forward hook on the model itself, how many times it fires
  for `model(x)` and for `model.forward(x)`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any

import torch
from torch import nn
from torch.utils.hooks import RemovableHandle


class ActivationRecorder:
    """Records the output shape of named layers while active.

    Usage::

        with ActivationRecorder(model, ["features.0", "classifier"]) as rec:
            model(x)
        rec.shapes  # {"features.0": [(N, 6, 28, 28)], "classifier": [(N, 10)]}

    Layer names are those of ``model.named_modules()`` (``""`` is the model itself). Every
    call of a named layer while the recorder is active appends its output's shape, a tuple
    of ints such as ``(N, 10)``, to ``shapes[name]``; several forward passes append in call
    order, and nothing is ever cleared. Layer outputs are tensors.
    """

    def __init__(self, model: nn.Module, layer_names: Sequence[str]) -> None:
        """Remember the model and the layer names; no hook is added before ``__enter__``."""
        self.model = model
        self.layer_names = list(layer_names)
        self.shapes: dict[str, list[tuple[int, ...]]] = {name: [] for name in self.layer_names}
        self._handles: list[RemovableHandle] = []

    def __enter__(self) -> ActivationRecorder:
        """Register one forward hook per named layer; return ``self``.

        Raises:
            KeyError: a name is not in ``model.named_modules()``; then no hook is left behind.
        """
        raise NotImplementedError("ex09_module_call.ActivationRecorder.__enter__: 尚未实现 / not implemented yet")

    def _hook(self, name: str) -> Callable[[nn.Module, tuple[Any, ...], torch.Tensor], None]:
        """The forward hook for layer ``name``: ``hook(module, inputs, output)``."""
        raise NotImplementedError("ex09_module_call.ActivationRecorder._hook: 尚未实现 / not implemented yet")

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None,
    ) -> None:
        """Remove every hook this recorder added (and no other); an exception propagates."""
        raise NotImplementedError("ex09_module_call.ActivationRecorder.__exit__: 尚未实现 / not implemented yet")


def run_model(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Run ``model`` on ``x`` so that its hooks fire: exactly what ``model(x)`` returns.

    Args:
        model: any module; x: its input, e.g. (N, ...) float32 on the model's device.
    Returns:
        The model's output (same device and dtype as the model computes); the autograd
        graph is kept (no ``torch.no_grad``, no ``detach``), and the train/eval mode of the
        model and of each of its submodules is left as it was.
    """
    raise NotImplementedError("ex09_module_call.run_model: 尚未实现 / not implemented yet")


def count_hook_calls(model: nn.Module, x: torch.Tensor) -> tuple[int, int]:
    """How often a forward hook on ``model`` itself fires for ``model(x)`` and for ``model.forward(x)``.

    Register one forward hook on ``model``, run ``model(x)`` once and ``model.forward(x)``
    once, count the hook's calls for each, and remove the hook again (also on error), so
    the model is left with exactly the hooks it had.

    Args:
        model: any module; x: its input, e.g. (N, ...) float32 on the model's device.
    Returns:
        A tuple of two Python ints: (calls for ``model(x)``, calls for ``model.forward(x)``).
    """
    raise NotImplementedError("ex09_module_call.count_hook_calls: 尚未实现 / not implemented yet")
