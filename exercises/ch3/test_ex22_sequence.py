"""Public checks for ex22_sequence / 练习 22 的公开检查。"""

import torch

from chapters.ch3.judging.ex22 import (
    expect_loss,
    expect_shapes,
    expect_structure,
    expect_tagger,
    loss_case,
    padded,
    shapes_reference,
)
from grader.judge.check import Judge, check

EX = "ex22_sequence"
CONFIG = {"vocab_size": 12, "num_tags": 5, "embed_dim": 6, "hidden_size": 7, "num_layers": 2}


@check(EX, 1.5)
def test_lstm_shapes(judge: Judge) -> None:
    """lstm_output_shapes 给出 x、y、h_n、c_n 的形状（batch_first 与否，1 或 2 层，batch_first 默认 False）
    lstm_output_shapes gives the shapes of x, y, h_n and c_n (batch_first or not, 1 or 2 layers, batch_first
    False by default)"""
    for args in ((3, 5, 4, 6, 2, True), (3, 5, 4, 6, 1, False), (2, 7, 3, 4, 2, False)):
        seen = judge.call("lstm_output_shapes", *args)
        expect_shapes(seen, shapes_reference(*args), f"lstm_output_shapes{args}")
    seen = judge.call("lstm_output_shapes", 3, 5, 4, 6)
    expect_shapes(seen, shapes_reference(3, 5, 4, 6, 1, False), "lstm_output_shapes(3, 5, 4, 6)")


@check(EX, 1.5)
def test_tagger_structure(judge: Judge) -> None:
    """SequenceTagger 恰好有 embedding、lstm、head 的参数（形状正确、float32，默认 16/32/1），Embedding 的 PAD 行为 0
    SequenceTagger holds exactly the parameters of embedding, lstm and head (right shapes, float32, defaults
    16/32/1), and the Embedding's PAD row is zero"""
    tokens, _ = padded(judge, 2, 4, 9)
    for config in (CONFIG, {"vocab_size": 9, "num_tags": 3}):
        seen = judge.probe("ch3.ex22.tagger", seed=judge.seed, config=config, tokens=tokens)
        expect_structure(seen, config, judge.device, f"SequenceTagger(**{config})")


@check(EX, 2)
def test_tagger_forward(judge: Judge) -> None:
    """SequenceTagger 的输出 logits (N, L, C) 与 (h_n, c_n) (num_layers, N, H) 与参考一致（batch_first，含填充）
    SequenceTagger's logits (N, L, C) and (h_n, c_n) (num_layers, N, H) equal the reference's (batch_first,
    padded input)"""
    for config, n, length in ((CONFIG, 3, 5), ({**CONFIG, "num_layers": 1}, 4, 2)):
        tokens, _ = padded(judge, n, length, config["vocab_size"])
        upstream = judge.randn(n, length, config["num_tags"])
        seen = judge.probe("ch3.ex22.tagger", seed=judge.seed, config=config, tokens=tokens, upstream=upstream)
        expect_tagger(seen, config, tokens, upstream, judge.device,
                      f"SequenceTagger(**{config}), tokens ({n}, {length}) with padding")


@check(EX, 1)
def test_tagger_padding_grad(judge: Judge) -> None:
    """反向传播后各参数的梯度与参考一致，Embedding 的 PAD 行没有梯度
    after backward every parameter's gradient equals the reference's; the Embedding's PAD row gets none"""
    tokens = torch.tensor([[3, 1, 4, 0, 0], [5, 9, 2, 6, 5], [3, 0, 0, 0, 0]])
    upstream = judge.randn(3, 5, 5)
    config = {**CONFIG, "num_layers": 1}
    seen = judge.probe("ch3.ex22.tagger", seed=judge.seed, config=config, tokens=tokens, upstream=upstream)
    expect_tagger(seen, config, tokens, upstream, judge.device, f"SequenceTagger(**{config}), tokens (3, 5), PAD 0")


@check(EX, 1.5)
def test_masked_loss_values(judge: Judge) -> None:
    """masked_loss 只对标签不是 PAD 的位置求平均交叉熵（0 维，logits 的 dtype），填充位置的分数不影响结果
    masked_loss averages the cross-entropy over the positions whose tag is not PAD only (0-d, logits' dtype);
    what padded positions score does not matter"""
    for n, length, classes, dtype in ((2, 5, 4, torch.float32), (3, 4, 6, torch.float64)):
        logits, tags = loss_case(judge, n, length, classes, dtype)
        seen = judge.probe("ch3.ex22.loss", logits=logits, tags=tags)
        expect_loss(judge, seen, logits, tags, f"logits ({n}, {length}, {classes}) "
                    f"{str(dtype).removeprefix('torch.')}, tags with PAD")


@check(EX, 0.5)
def test_masked_loss_grads(judge: Judge) -> None:
    """masked_loss 可微，填充位置的 logits 没有梯度
    masked_loss is differentiable, and the logits of padded positions get no gradient"""
    logits, tags = loss_case(judge, 4, 3, 5, torch.float32)
    seen = judge.probe("ch3.ex22.loss", logits=logits, tags=tags)
    expect_loss(judge, seen, logits, tags, "logits (4, 3, 5) float32, tags with PAD")
