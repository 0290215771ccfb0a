"""Judge-side helpers for ex08: random parameters of the named functions.

Nothing here runs next to student code.
"""

from __future__ import annotations

import torch
import torch.autograd.functional


def random_params(name: str, size: int, gen: torch.Generator) -> dict[str, torch.Tensor]:
    """Random float64 parameters of ``FUNCTIONS[name]`` for x of shape (size,); for poly,
    a polynomial of degree ``size``."""
    def randn(*shape: int) -> torch.Tensor:
        return torch.randn(shape, generator=gen, dtype=torch.float64)

    if name == "poly":
        return {"c": randn(size + 1)}
    if name == "sin_exp":
        (a0, a2), (r1, r3) = randn(2), torch.rand(2, generator=gen, dtype=torch.float64)
        return {"a": torch.stack([a0, 0.5 + 1.5 * r1, a2, 2 * r3 - 1])}
    if name == "quadratic":
        return {"A": randn(size, size), "b": randn(size)}
    if name == "mixed":
        return {"A": randn(size, size), "w": randn(size), "u": 0.3 * randn(size)}
    if name == "linear":
        return {"b": randn(size)}
    return {}
