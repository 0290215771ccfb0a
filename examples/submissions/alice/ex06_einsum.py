"""深化 6 / Deeper 6 — torch.einsum (Alice's answer)."""

import math

import torch
from torch import einsum

EQUATIONS: dict[str, str] = {
    "matmul": "mn,np->mp",
    "transpose": "ba",
    "batch_matmul": "zmn,znp->zmp",
    "bilinear": "zp,pqr,zq->zr",
    "trace": "aa",
    "inner": "a,a",
    "outer": "a,b",
    "attention_weights": "...qc,...kc->...qk",
}


def matmul(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """(I, J) · (J, K) -> (I, K)."""
    return einsum(EQUATIONS["matmul"], [a, b])


def transpose(a: torch.Tensor) -> torch.Tensor:
    """(I, J) -> (J, I)."""
    return einsum(EQUATIONS["transpose"], a)


def batch_matmul(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """(B, I, J) · (B, J, K) -> (B, I, K)."""
    return einsum(EQUATIONS["batch_matmul"], [a, b])


def bilinear(x: torch.Tensor, w: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """x (B, I), w (I, J, K), y (B, J) -> z (B, K)."""
    return einsum(EQUATIONS["bilinear"], x, w, y)


def trace(a: torch.Tensor) -> torch.Tensor:
    """(N, N) -> 0-d."""
    return einsum(EQUATIONS["trace"], a)


def inner(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """(N,), (N,) -> 0-d."""
    return einsum(EQUATIONS["inner"], a, b)


def outer(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """(M,), (N,) -> (M, N)."""
    return einsum(EQUATIONS["outer"], a, b)


def attention_weights(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    """q (B, Lq, D), k (B, Lk, D) -> softmax(q kᵀ / √D) over the keys, (B, Lq, Lk)."""
    scores = einsum(EQUATIONS["attention_weights"], q / math.sqrt(q.size(-1)), k)
    return scores.softmax(dim=-1)
