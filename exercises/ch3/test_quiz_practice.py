"""Public check for the practice quiz / 练习测验的公开检查: every question answered (the answers are graded by hidden
checks)."""

from chapters.ch3.judging.quiz import expect_all_answered
from chapters.ch3.judging.quiz_practice import QUESTIONS
from grader.judge.check import Judge, check

EX = "quiz_practice"


@check(EX, 0)
def test_all_answered(judge: Judge) -> None:
    """每道题都用它的一个选项字母作答（答案是否正确由隐藏检查评分）
    Every question is answered with one of its option letters (correctness is graded by hidden checks)"""
    expect_all_answered(judge, QUESTIONS)
