"""Dave's hooks: crashes as soon as it is imported (a helper module he never submitted)."""

import torch
from torch import nn

from dave_helpers import register_all  # noqa: F401 - not part of the submission


def run_model(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    return model(x)
