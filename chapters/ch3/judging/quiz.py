"""Judge-side helpers for quiz: the questions' option letters, and the letters a submission chose.

Nothing here runs next to student code.
"""

from __future__ import annotations

from grader.judge.check import Judge
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
    """Judge side: the letter chosen for each answered id of ``ids``, upper-cased; an answer
    that is not a string appears as ``"<its type>"``."""
    seen = judge.probe("ch3.quiz.ANSWERS", ids=ids)
    expect(seen["type"] == "dict", f"ANSWERS 应是 dict（题号 → 字母），却是 {seen['type']}。",
           f"ANSWERS must be a dict (question id -> letter); it is {seen['type']}.")
    return {qid: obs["value"].strip().upper() if obs["type"] == "str" else f"<{obs['type']}>"
            for qid, obs in seen["answers"].items()}
