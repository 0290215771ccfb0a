"""Public check for the quiz / 测验的公开检查: every question answered (the answers are graded by hidden checks)."""

from chapters.ch3.judging.quiz import QUESTIONS, chosen_letters
from grader.judge.check import Judge, check
from grader.judge.expect import expect

EX = "quiz"


@check(EX, 0)
def test_all_answered(judge: Judge) -> None:
    """每道题都用它的一个选项字母作答（答案是否正确由隐藏检查评分）
    Every question is answered with one of its option letters (correctness is graded by hidden checks)"""
    chosen = chosen_letters(judge, list(QUESTIONS))
    missing = [qid for qid in QUESTIONS if qid not in chosen]
    expect(not missing, f"还有 {len(missing)} 道题没有作答。", f"{len(missing)} question(s) are not answered yet.",
           f"未作答 unanswered: {', '.join(missing)}")
    invalid = [f"{qid} = {chosen[qid]!r} ({'/'.join(QUESTIONS[qid])})" for qid in QUESTIONS
               if len(chosen[qid]) != 1 or chosen[qid] not in QUESTIONS[qid]]
    expect(not invalid, "有的答案不是该题的选项字母。", "Some answers are not one of the question's option letters.",
           *invalid)
