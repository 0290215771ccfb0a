"""Probe for the quiz: the letters a student chose in ``ANSWERS``.

The question ids and their option letters are public (they are in the quiz's docstring);
the correct letters are not, and live in the hidden checks only.
"""

from __future__ import annotations

from typing import TypedDict

from grader.check import Judge
from grader.expect import expect
from grader.probes.base import Description, describe, probe, type_name
from grader.student import Submission

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


class AnswersObservation(TypedDict):
    """The type of ``ANSWERS``, and its entries for the ids asked that it has (described)."""

    type: str
    answers: dict[str, Description]


@probe("quiz.ANSWERS")
def answers(sub: Submission, device: str, ids: list[str]) -> AnswersObservation:
    """The entries of ``ANSWERS`` for ``ids`` (described); NotImplementedError when none of
    them is answered, as with the stub's empty ``ANSWERS``."""
    chosen = getattr(sub.module("quiz"), "ANSWERS", None)
    if not isinstance(chosen, dict):
        return {"type": type_name(chosen), "answers": {}}
    found = sub.call(lambda: {qid: describe(chosen[qid]) for qid in ids if qid in chosen})
    if not found:
        raise NotImplementedError(f"quiz.ANSWERS has no answer for {', '.join(ids)}")
    return {"type": "dict", "answers": found}


def chosen_letters(judge: Judge, ids: list[str]) -> dict[str, str]:
    """Judge side: the letter chosen for each answered id of ``ids``, upper-cased; an answer
    that is not a string appears as ``"<its type>"``."""
    seen = judge.probe("quiz.ANSWERS", ids=ids)
    expect(seen["type"] == "dict", f"ANSWERS 应是 dict（题号 → 字母），却是 {seen['type']}。",
           f"ANSWERS must be a dict (question id -> letter); it is {seen['type']}.")
    return {qid: obs["value"].strip().upper() if obs["type"] == "str" else f"<{obs['type']}>"
            for qid, obs in seen["answers"].items()}
