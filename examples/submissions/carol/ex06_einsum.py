"""Carol's einsum answers: mostly right, one sign of a classic slip."""

import math

import torch

EQUATIONS = {
    "matmul": "ik,kj->ij",
    "transpose": "ab->ba",
    "batch_matmul": "nik,nkj->nij",
    "bilinear": "bi,ijk,bj->bk",
    "trace": "ii->",
    "inner": "i,i->",
    "outer": "i,j->ij",
    "attention_weights": "bqd,bkd->bqk",
}


def matmul(a, b):
    return torch.einsum(EQUATIONS["matmul"], a, b)


def transpose(a):
    return torch.einsum(EQUATIONS["transpose"], a)


def batch_matmul(a, b):
    return torch.einsum(EQUATIONS["batch_matmul"], a, b)


def bilinear(x, w, y):
    return torch.einsum(EQUATIONS["bilinear"], x, w, y)


def trace(a):
    return torch.einsum(EQUATIONS["trace"], a)


def inner(a, b):
    return torch.einsum(EQUATIONS["inner"], a, b)


def outer(a, b):
    return torch.einsum(EQUATIONS["outer"], a, b)


def attention_weights(q, k):
    scores = torch.einsum(EQUATIONS["attention_weights"], q, k) / math.sqrt(q.shape[-1])
    return torch.softmax(scores, dim=1)  # slip: normalises over the queries, not the keys
