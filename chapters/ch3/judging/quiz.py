"""Judge-side helpers for the chapter's quizzes: the graded quiz's option letters, the letters
a submission chose, and what the checks of every quiz share (the public one, that every
question is answered; the hidden ones, one per question). A quiz is any exercise whose checks
use these: its module is the check's exercise id, as its manifest entry names it.

Nothing here runs next to student code.
"""

from __future__ import annotations

from collections.abc import Callable

from grader.judge.check import CheckFn, Judge, check
from grader.judge.expect import expect

# question id -> its option letters, as in the module docstring of quiz.py
QUESTIONS: dict[str, str] = {
    "b1_shared_memory": "ABCD",
    "b1_gpu_numpy": "ABCD",
    "b1_copy": "ABCD",
    "b2_linear_formula": "ABCD",
    "b2_init_purpose": "ABCD",
    "b3_requires_grad": "ABCD",
    "b3_no_grad_vs_eval": "ABCD",
    "b3_freeze": "ABCD",
    "d9_call_vs_forward": "ABCD",
    "d9_hooks": "ABCD",
}


def chosen_letters(judge: Judge, ids: list[str]) -> dict[str, str]:
    """Judge side: the letter chosen for each answered id of ``ids`` in the ``ANSWERS`` of the
    check's quiz module, upper-cased; an answer that is not a string appears as ``"<its type>"``."""
    seen = judge.probe("ch3.quiz.ANSWERS", module=judge.spec.exercise, ids=ids)
    expect(seen["type"] == "dict", f"ANSWERS 应是 dict（题号 → 字母），却是 {seen['type']}。",
           f"ANSWERS must be a dict (question id -> letter); it is {seen['type']}.")
    return {qid: obs["value"].strip().upper() if obs["type"] == "str" else f"<{obs['type']}>"
            for qid, obs in seen["answers"].items()}


def expect_all_answered(judge: Judge, questions: dict[str, str]) -> None:
    """Every question of ``questions`` (id -> option letters) is answered with one of its letters."""
    chosen = chosen_letters(judge, list(questions))
    missing = [qid for qid in questions if qid not in chosen]
    expect(not missing, f"还有 {len(missing)} 道题没有作答。", f"{len(missing)} question(s) are not answered yet.",
           f"未作答 unanswered: {', '.join(missing)}")
    invalid = [f"{qid} = {chosen[qid]!r} ({'/'.join(questions[qid])})" for qid in questions
               if len(chosen[qid]) != 1 or chosen[qid] not in questions[qid]]
    expect(not invalid, "有的答案不是该题的选项字母。", "Some answers are not one of the question's option letters.",
           *invalid)


def expect_answer(judge: Judge, qid: str, letter: str, topic_zh: str, topic_en: str) -> None:
    """The hidden check of question ``qid`` (on ``topic_zh`` / ``topic_en``): ANSWERS[qid] is ``letter``."""
    got = chosen_letters(judge, [qid])[qid]
    expect(got == letter, f"第 {qid} 题（{topic_zh}）的答案 {got} 不正确。",
           f"The answer {got} to question {qid} ({topic_en}) is not correct.")


def question_check(exercise: str, qid: str, topic_zh: str, topic_en: str, run: Callable[[Judge], None]) -> CheckFn:
    """``run`` (a hidden check file's own function, so that the check's code lies in that file,
    where exports look for it) as the 1-point hidden check ``test_<qid>`` of the quiz ``exercise``."""
    run.__name__ = run.__qualname__ = f"test_{qid}"
    run.__doc__ = f"测验 {qid}：{topic_zh}\nquiz {qid}: {topic_en}"
    return check(exercise, 1, hidden=True)(run)
