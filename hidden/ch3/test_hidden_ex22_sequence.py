"""Hidden checks for ex22_sequence / 练习 22 的隐藏检查: random sizes, layers, batches, lengths and dtypes."""

import torch

from chapters.ch3.judging.ex22 import expect_loss, expect_shapes, expect_tagger, loss_case, padded, shapes_reference
from grader.judge.check import Judge, check

EX = "ex22_sequence"


@check(EX, 0.5, hidden=True)
def test_lstm_shapes_random(judge: Judge) -> None:
    """lstm_output_shapes 对随机大小、层数与 batch_first 都正确
    lstm_output_shapes is right for random sizes, layer counts and batch_first"""
    for batch_first in (True, False):
        args = (judge.randint(1, 6), judge.randint(1, 9), judge.randint(1, 8), judge.randint(1, 8),
                judge.randint(1, 3), batch_first)
        expect_shapes(judge.call("lstm_output_shapes", *args), shapes_reference(*args), "lstm_output_shapes(random)")


@check(EX, 1, hidden=True)
def test_tagger_random(judge: Judge) -> None:
    """SequenceTagger 对随机的大小、层数、批与长度：结构、输出、状态与梯度都正确
    SequenceTagger for random sizes, layer counts, batches and lengths: structure, outputs, states and gradients"""
    config = {"vocab_size": judge.randint(3, 20), "num_tags": judge.randint(2, 8), "embed_dim": judge.randint(1, 8),
              "hidden_size": judge.randint(1, 8), "num_layers": judge.randint(1, 3)}
    n, length = judge.randint(1, 4), judge.randint(1, 6)
    tokens, _ = padded(judge, n, length, config["vocab_size"])
    upstream = judge.randn(n, length, config["num_tags"])
    seen = judge.probe("ch3.ex22.tagger", seed=judge.seed, config=config, tokens=tokens, upstream=upstream)
    expect_tagger(seen, config, tokens, upstream, judge.device,
                  f"random SequenceTagger ({config['num_layers']} layers), tokens ({n}, {length}) with padding")


@check(EX, 0.5, hidden=True)
def test_masked_loss_random(judge: Judge) -> None:
    """masked_loss 对随机的形状、填充与 dtype：值与梯度都正确
    masked_loss for random shapes, padding and dtypes: value and gradient"""
    n, length, classes = judge.randint(1, 5), judge.randint(1, 6), judge.randint(2, 7)
    dtype = judge.choice([torch.float32, torch.float64])
    logits, tags = loss_case(judge, n, length, classes, dtype)
    seen = judge.probe("ch3.ex22.loss", logits=logits, tags=tags)
    expect_loss(judge, seen, logits, tags, f"random logits ({n}, {length}, {classes}) "
                f"{str(dtype).removeprefix('torch.')}, tags with PAD")
