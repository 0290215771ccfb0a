"""练习 22：`nn.Embedding` 与 `nn.LSTM` 的形状，以及用 `ignore_index` 忽略填充位置的序列标注。

`nn.Embedding(num_embeddings, embedding_dim)` 是一张查找表：把形状为 (N, L) 的整数词元换成
(N, L, embedding_dim) 的向量；`padding_idx` 指定的那一行初始化为 0，且不接收梯度。
`nn.LSTM(input_size, hidden_size, num_layers=1, batch_first=False)` 的输入是 x 与可选的
(h0, c0)，输出是 y 与 (h_n, c_n)：`batch_first=True` 时 x 与 y 的形状是 (N, L, ·)，否则是
(L, N, ·)；而 h_n 与 c_n 的形状无论如何都是 (num_layers, N, hidden_size)。长短不一的序列用
填充词元 `PAD` 补齐到同一长度 L；计算损失时填充位置不应计入：
`nn.CrossEntropyLoss(ignore_index=PAD)` 只对标签不等于 `PAD` 的位置求平均。实现：

- `lstm_output_shapes`：不运行 LSTM，写出各个张量的形状；
- `SequenceTagger`：词嵌入 → LSTM → 线性层，给每个位置打一个标签（序列标注）；
- `masked_loss`：忽略填充位置的交叉熵。

Exercise 22: the shapes of `nn.Embedding` and `nn.LSTM`, and sequence tagging that ignores
padded positions with `ignore_index`.

`nn.Embedding(num_embeddings, embedding_dim)` is a lookup table: it turns integer tokens of
shape (N, L) into vectors (N, L, embedding_dim); the row `padding_idx` starts at zero and gets
no gradient. `nn.LSTM(input_size, hidden_size, num_layers=1, batch_first=False)` takes x and
an optional (h0, c0) and gives y and (h_n, c_n): with `batch_first=True` x and y are
(N, L, ·), otherwise (L, N, ·); h_n and c_n are (num_layers, N, hidden_size) either way.
Sequences of different lengths are padded with the token `PAD` to one length L; padded
positions must not count in the loss: `nn.CrossEntropyLoss(ignore_index=PAD)` averages over
the positions whose tag is not `PAD` only. Implement:

- `lstm_output_shapes`: the shapes of the tensors involved, without running an LSTM;
- `SequenceTagger`: embedding → LSTM → linear layer, one tag per position (sequence tagging);
- `masked_loss`: the cross-entropy that ignores padded positions.
"""

import torch
import torch.nn.functional as F
from torch import nn

PAD = 0  # the padding token, and the tag of padded positions


def lstm_output_shapes(batch: int, seq_len: int, input_size: int, hidden_size: int, num_layers: int = 1,
                       batch_first: bool = False) -> dict[str, tuple[int, ...]]:
    """The shapes for ``y, (h_n, c_n) = nn.LSTM(input_size, hidden_size, num_layers,
    batch_first=batch_first)(x)`` on ``batch`` sequences of ``seq_len`` steps (one direction).

    Returns:
        ``{"x": ..., "y": ..., "h_n": ..., "c_n": ...}``, each a tuple of Python ints, e.g.
        ``{"x": (N, L, input_size), "y": (N, L, hidden_size), "h_n": (num_layers, N,
        hidden_size), "c_n": (num_layers, N, hidden_size)}`` with ``batch_first=True``.
    """
    ### BEGIN SOLUTION
    lead = (batch, seq_len) if batch_first else (seq_len, batch)
    state = (num_layers, batch, hidden_size)
    return {"x": (*lead, input_size), "y": (*lead, hidden_size), "h_n": state, "c_n": state}
    ### END SOLUTION


class SequenceTagger(nn.Module):
    """Tags every position of padded token sequences: embedding → LSTM → linear.

    Submodules, with these names:
    - ``embedding``: ``nn.Embedding(vocab_size, embed_dim, padding_idx=PAD)`` (its row ``PAD``
      is zero and gets no gradient);
    - ``lstm``: ``nn.LSTM(embed_dim, hidden_size, num_layers, batch_first=True)``;
    - ``head``: ``nn.Linear(hidden_size, num_tags)``, applied at every position.
    Nothing else holds parameters. The LSTM runs over every position, padded ones included
    (no packing), starting from zero states.
    """

    def __init__(self, vocab_size: int, num_tags: int, embed_dim: int = 16, hidden_size: int = 32,
                 num_layers: int = 1) -> None:
        super().__init__()
        ### BEGIN SOLUTION
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=PAD)
        self.lstm = nn.LSTM(embed_dim, hidden_size, num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, num_tags)
        ### END SOLUTION

    def forward(self, tokens: torch.Tensor) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        """Per-position tag scores and the LSTM's final states.

        Args:
            tokens: (N, L) int64 in [0, vocab_size), ``PAD`` at padded positions.
        Returns:
            ``(logits, (h_n, c_n))``: logits (N, L, num_tags) float32 (no softmax); h_n and c_n
            (num_layers, N, hidden_size), the LSTM's states after position L − 1.
        """
        ### BEGIN SOLUTION
        y, (h_n, c_n) = self.lstm(self.embedding(tokens))
        return self.head(y), (h_n, c_n)
        ### END SOLUTION


def masked_loss(logits: torch.Tensor, tags: torch.Tensor) -> torch.Tensor:
    """The mean cross-entropy over the positions whose tag is not ``PAD``, what
    ``nn.CrossEntropyLoss(ignore_index=PAD)`` gives: padded positions count neither in the sum
    nor in the number averaged over, so their logits get no gradient.

    Args:
        logits: (N, L, C) floating scores (no softmax).
        tags: (N, L) int64 in [0, C), ``PAD`` at padded positions; at least one is not ``PAD``.
    Returns:
        0-d tensor, the dtype and device of ``logits``; differentiable with respect to ``logits``.
    """
    ### BEGIN SOLUTION
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tags.reshape(-1), ignore_index=PAD)
    ### END SOLUTION
