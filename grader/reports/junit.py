"""A grading run as JUnit XML: one test suite per submission, one test case per check."""

from __future__ import annotations

from junitparser import Error, Failure, JUnitXml, TestCase, TestSuite

from grader.grading.grade import SubmissionResult
from grader.judge.check import CheckResult


def _case(submission: str, result: CheckResult) -> TestCase:
    case = TestCase(result.spec.name, classname=f"{submission}.{result.spec.exercise}", time=result.seconds)
    if not result.passed:  # the check's own bug is an error; anything the student's code did, a failure
        kind = Error if result.outcome == "check_error" else Failure
        failure = kind(result.message_en or result.message_zh, result.outcome)
        failure.text = result.message
        case.result = [failure]
    return case


def junit_xml(results: list[SubmissionResult]) -> str:
    """The whole run; each suite carries its seed, device and score as properties."""
    xml = JUnitXml("grader")
    for submission in results:
        suite = TestSuite(submission.name)
        for key, value in [("seed", submission.seed), ("device", submission.device),
                           ("score", f"{submission.score:g}"), ("max_score", f"{submission.max_score:g}")]:
            suite.add_property(key, str(value))
        suite.add_testcases([_case(submission.name, r) for r in submission.results])
        suite.update_statistics()
        xml.add_testsuite(suite)
    xml.update_statistics()
    text: bytes = xml.tostring()  # junitparser leaves it unannotated
    return '<?xml version="1.0" encoding="utf-8"?>\n' + text.decode("utf-8")
