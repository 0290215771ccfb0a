"""A grading run as JUnit XML: one test suite per submission (and one for its practice exercises),
one test case per check."""

from __future__ import annotations

from junitparser import Error, Failure, JUnitXml, TestCase, TestSuite

from grader.grading.grade import SubmissionResult
from grader.judge.check import CheckResult

PRACTICE = "practice"  # the suffix of a submission's practice suite


def _case(submission: str, result: CheckResult) -> TestCase:
    case = TestCase(result.spec.name, classname=f"{submission}.{result.spec.exercise}", time=result.seconds)
    if not result.passed:  # the check's own bug is an error; anything the student's code did, a failure
        kind = Error if result.outcome == "check_error" else Failure
        failure = kind(result.message_en or result.message_zh, result.outcome)
        failure.text = result.message
        case.result = [failure]
    return case


def _suite(name: str, submission: SubmissionResult, results: list[CheckResult], score: float,
           worth: float) -> TestSuite:
    suite = TestSuite(name)
    for key, value in [("seed", submission.seed), ("device", submission.device), ("score", f"{score:g}"),
                       ("max_score", f"{worth:g}")]:
        suite.add_property(key, str(value))
    suite.add_testcases([_case(submission.name, r) for r in results])
    suite.update_statistics()
    return suite


def junit_xml(results: list[SubmissionResult]) -> str:
    """The whole run; each suite carries its seed, device and score as properties. A
    submission's practice exercises are a suite of their own, ``<submission>.practice``, with
    their own score."""
    xml = JUnitXml("grader")
    for submission in results:
        graded = [r for r in submission.results if r.spec.exercise not in submission.practice]
        xml.add_testsuite(_suite(submission.name, submission, graded, submission.score, submission.max_score))
        if submission.practice:
            practice = [r for r in submission.results if r.spec.exercise in submission.practice]
            xml.add_testsuite(_suite(f"{submission.name}.{PRACTICE}", submission, practice,
                                     submission.practice_score, submission.practice_max))
    xml.update_statistics()
    text: bytes = xml.tostring()  # junitparser leaves it unannotated
    return '<?xml version="1.0" encoding="utf-8"?>\n' + text.decode("utf-8")
