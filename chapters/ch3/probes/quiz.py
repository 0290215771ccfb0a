"""Probe for a quiz: the letters a student chose in the quiz module's ``ANSWERS`` (the correct
letters live in the hidden checks only). A chapter may have several quizzes: the judge names
the module, the exercise id its manifest entry gives."""

from __future__ import annotations

from typing import TypedDict

from grader.probing.observe import Description, describe, type_name
from grader.probing.registry import probe
from grader.probing.submission import Submission


class AnswersObservation(TypedDict):
    """The type of ``ANSWERS``, and its entries for the ids asked that it has (described)."""

    type: str
    answers: dict[str, Description]


@probe("ch3.quiz.ANSWERS")
def answers(sub: Submission, device: str, module: str, ids: list[str]) -> AnswersObservation:
    """The entries of ``module.ANSWERS`` for ``ids`` (described); NotImplementedError when none
    of them is answered, as with the stub's empty ``ANSWERS``."""
    chosen = getattr(sub.module(module), "ANSWERS", None)
    if not isinstance(chosen, dict):
        return {"type": type_name(chosen), "answers": {}}
    found = sub.call(lambda: {qid: describe(chosen[qid]) for qid in ids if qid in chosen})
    if not found:
        raise NotImplementedError(f"{module}.ANSWERS has no answer for {', '.join(ids)}")
    return {"type": "dict", "answers": found}
