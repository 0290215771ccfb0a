"""Hidden checks for the quiz / 测验的隐藏检查: one point per question, the correct letters."""

from chapters.ch3.judging.quiz import QUESTIONS, expect_answer, question_check
from grader.judge.check import CheckFn, Judge

EX = "quiz"

# question id -> (correct letter, topic 中文, topic English)
KEY: dict[str, tuple[str, str, str]] = {
    "b1_shared_memory": ("B", "from_numpy 与共享内存", "from_numpy and shared memory"),
    "b1_gpu_numpy": ("C", "GPU 张量转 NumPy", "a GPU tensor to NumPy"),
    "b1_copy": ("D", "哪种写法会复制数据", "which conversion copies"),
    "b2_linear_formula": ("A", "nn.Linear 计算什么", "what nn.Linear computes"),
    "b2_init_purpose": ("C", "为什么要初始化权重", "why weight initialisation matters"),
    "b3_requires_grad": ("A", "requires_grad 与 backward", "requires_grad and backward"),
    "b3_no_grad_vs_eval": ("D", "no_grad 与 eval 的区别", "no_grad versus eval"),
    "b3_freeze": ("C", "冻结参数", "freezing parameters"),
    "d9_call_vs_forward": ("D", "model(x) 与 model.forward(x)", "model(x) versus model.forward(x)"),
    "d9_hooks": ("B", "直接调用 forward 时内部层的钩子", "inner-layer hooks under a direct forward call"),
}
assert set(KEY) == set(QUESTIONS), "the key and the public question list disagree"


def _question_check(qid: str, letter: str, topic_zh: str, topic_en: str) -> CheckFn:
    def run(judge: Judge) -> None:
        expect_answer(judge, qid, letter, topic_zh, topic_en)

    return question_check(EX, qid, topic_zh, topic_en, run)


for _qid, _entry in KEY.items():
    globals()[f"test_{_qid}"] = _question_check(_qid, *_entry)
