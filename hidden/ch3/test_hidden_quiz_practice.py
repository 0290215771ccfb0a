"""Hidden checks for the practice quiz / 练习测验的隐藏检查: one point per question, the correct letters."""

from chapters.ch3.judging.quiz import expect_answer, question_check
from chapters.ch3.judging.quiz_practice import QUESTIONS
from grader.judge.check import CheckFn, Judge

EX = "quiz_practice"

# question id -> (correct letter, topic 中文, topic English)
KEY: dict[str, tuple[str, str, str]] = {
    "p10_inplace_vs_rebind": ("B", "Y = X + Y 与 Y[:] = X + Y", "Y = X + Y versus Y[:] = X + Y"),
    "p11_dirichlet_labels": ("D", "RandomData 的样本与标签", "RandomData's samples and labels"),
    "p12_train_statistics": ("C", "标准化的统计量只来自训练集", "normalisation statistics from the training set alone"),
    "p13_scheduler_step": ("C", "StepLR 与 scheduler.step() 的位置", "StepLR and where scheduler.step() goes"),
    "p14_weights_only": ("A", "state_dict 与 weights_only=True", "state_dict and weights_only=True"),
    "p15_zero_grad": ("A", "梯度累加与清零", "gradients accumulate until zeroed"),
    "p16_bce_with_logits": ("D", "BCEWithLogitsLoss 的数值稳定性", "BCEWithLogitsLoss's numerical stability"),
    "p17_data_vs_detach": ("C", ".data 与 detach()", ".data versus detach()"),
    "p18_vjp": ("A", "一次反向传播：向量-雅可比积", "one backward pass: the vector-Jacobian product"),
    "p19_grad_scaler": ("B", "float16 需要 GradScaler，bfloat16 不需要", "GradScaler for float16, not bfloat16"),
    "p20_parameter_registration": ("B", "nn.Parameter 与普通张量属性", "nn.Parameter versus a plain tensor attribute"),
    "p21_frozen_backbone": ("D", "冻结主干、新的分类头", "a frozen backbone, a new head"),
    "p22_ignore_index": ("A", "CrossEntropyLoss 的 ignore_index", "CrossEntropyLoss's ignore_index"),
    "p23_dummy_na": ("B", "类别列的缺失值与 dummy_na", "a categorical column's missing values and dummy_na"),
}
assert set(KEY) == set(QUESTIONS), "the key and the public question list disagree"


def _question_check(qid: str, letter: str, topic_zh: str, topic_en: str) -> CheckFn:
    def run(judge: Judge) -> None:
        expect_answer(judge, qid, letter, topic_zh, topic_en)

    return question_check(EX, qid, topic_zh, topic_en, run)


for _qid, _entry in KEY.items():
    globals()[f"test_{_qid}"] = _question_check(_qid, *_entry)
