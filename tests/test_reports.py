"""What one grading run leaves for the instructor: CSVs, JUnit XML, HTML feedback, the class summary."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
from junitparser import JUnitXml

from grader.cli import main
from grader.errors import STRUCTURAL
from grader.grading.grade import SubmissionResult
from grader.judge.check import CheckResult, CheckSpec
from grader.reports.summary import summarize

SUBMISSIONS = ["ref", "stub", "broken", "snoop"]


def _results(graded: Path) -> dict[str, SubmissionResult]:
    return {name: SubmissionResult.from_json(json.loads((graded / name / "grading.json").read_text(encoding="utf-8")))
            for name in SUBMISSIONS}


def test_gradebook_has_a_column_per_exercise_and_per_check(graded: Path) -> None:
    rows = list(csv.DictReader((graded / "gradebook.csv").open(encoding="utf-8")))
    results = _results(graded)
    for row in rows:
        result = results[row["submission"]]
        assert {r.spec.id: f"{r.score:g}" for r in result.results}.items() <= row.items()
        for exercise, (score, _) in result.exercise_scores().items():
            checks = [float(v) for k, v in row.items() if k.startswith(exercise + ".")]
            assert float(row[exercise]) == score == sum(checks)
    assert len(rows[0]) == 1 + len(results["ref"].exercise_scores()) + 2 + len(results["ref"].results)


def test_lms_csv_is_student_id_and_total(graded: Path) -> None:
    rows = list(csv.reader((graded / "lms.csv").open(encoding="utf-8")))
    assert rows[0] == ["student_id", "total"]
    assert rows[1:] == [[name, f"{result.score:g}"] for name, result in _results(graded).items()]


def test_junit_xml_reads_back_as_the_grading(graded: Path) -> None:
    xml = JUnitXml.fromfile(str(graded / "junit.xml"))
    results = _results(graded)
    suites = list(xml)
    assert [s.name for s in suites] == SUBMISSIONS
    for suite in suites:
        result = results[suite.name]
        failed = [r for r in result.results if not r.passed]
        assert (suite.tests, suite.failures, suite.errors) == (len(result.results), len(failed), 0)
        assert {p.name: p.value for p in suite.properties()}["seed"] == "7"
        cases = {(c.classname, c.name): c for c in suite}
        for r in failed:
            case = cases[(f"{suite.name}.{r.spec.exercise}", r.spec.name)]
            assert not case.is_passed and r.message_en in case.result[0].text
    root = ElementTree.parse(graded / "junit.xml").getroot()  # the shape CI servers read
    assert root.tag == "testsuites" and int(root.get("failures")) == sum(
        not r.passed for result in results.values() for r in result.results)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium through its driver; skipped where none is installed."""
    if not shutil.which("chromium") or not shutil.which("chromedriver"):
        pytest.skip("no chromium/chromedriver here (CI installs Debian's chromium and chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1200,900"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    yield driver
    driver.quit()


def _open(browser, page: Path):  # -> the <body> element, after checking nothing was fetched
    from selenium.webdriver.common.by import By

    browser.get(page.as_uri())
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert not browser.find_elements(By.CSS_SELECTOR, "script, link, img, iframe")
    return browser.find_element(By.TAG_NAME, "body")


def _fill(section) -> float:  # the shown share of a bar, from the rendered widths
    from selenium.webdriver.common.by import By

    bar = section.find_element(By.CSS_SELECTOR, ".bar")
    return bar.find_element(By.CSS_SELECTOR, ".fill").size["width"] / bar.size["width"]


def test_html_feedback_shows_scores_bars_failures_and_seed(graded: Path, browser) -> None:
    from selenium.webdriver.common.by import By

    result = _results(graded)["broken"]
    body = _open(browser, graded / "broken" / "feedback.html")
    text = body.text
    assert f"{result.score:g} / {result.max_score:g}" in text and "seed 7" in text
    for exercise, (score, worth) in result.exercise_scores().items():
        section = body.find_element(By.ID, exercise)
        assert section.is_displayed() and f"{score:g} / {worth:g}" in section.text
        assert _fill(section) == pytest.approx(score / worth, abs=0.01)
    failed = [r for r in result.results if not r.passed and r.outcome not in STRUCTURAL]
    shown = [p.text for p in body.find_elements(By.CSS_SELECTOR, "li.fail pre") if p.is_displayed()]
    assert len(shown) == len(failed) and len(body.find_elements(By.CSS_SELECTOR, "li.pass")) == len(
        [r for r in result.results if r.passed])
    assert all(r.message_en in s for r, s in zip(failed, shown, strict=True))
    problems = [p.text for p in body.find_elements(By.CSS_SELECTOR, "div.problem") if p.is_displayed()]
    assert len(problems) == 2 and "SyntaxError" in problems[0] and "ex02_linear.py is missing" in problems[1]
    for problem, module in zip(problems, ["ex01_tensor_numpy", "ex02_linear"], strict=True):
        cost = [r.spec.name for r in result.results if r.spec.exercise == module]
        assert all(name in problem.split("checks it cost:")[1] for name in cost)
        assert text.count(f"Could not import the module {module}.") == 1  # once, not once per check


def test_grader_report_summarizes_the_class(graded: Path, browser, capsys: pytest.CaptureFixture[str]) -> None:
    from selenium.webdriver.common.by import By

    assert main(["report", str(graded)]) == 0
    out = capsys.readouterr().out
    results = _results(graded)
    assert "Most failed checks" in out and "Slowest submissions" in out
    slowest = max(results.values(), key=lambda r: r.seconds)
    assert slowest.name in out.split("Slowest submissions")[1]
    body = _open(browser, graded / "class.html")
    shown = body.find_elements(By.CSS_SELECTOR, "#failed tr")[1:]
    assert shown
    for row in shown:  # each row's counts, as a person reads them, are those of the grading files
        check = row.find_element(By.TAG_NAME, "code").text
        verdicts = [r for result in results.values() for r in result.results if r.spec.id == check]
        tried = [r for r in verdicts if r.attempted]
        assert f"{sum(not r.passed for r in tried)} / {len(tried)} {len(verdicts) - len(tried)}" in row.text
    rows = body.find_elements(By.CSS_SELECTOR, "#distribution tr")[1:]
    assert len(rows) == len(results["ref"].exercise_scores())
    bars = body.find_elements(By.CSS_SELECTOR, "#totals rect")
    heights = [b.size["height"] for b in bars]
    totals = [r.score for r in results.values()]
    assert sum(h > 0 for h in heights) == len({min(9, int(10 * t / results["ref"].max_score)) for t in totals})


def test_feedback_says_a_broken_module_once_with_the_checks_it_cost(graded: Path) -> None:
    result = _results(graded)["broken"]
    page = (graded / "broken" / "feedback.md").read_text(encoding="utf-8")
    for module in ["ex01_tensor_numpy", "ex02_linear"]:
        assert page.count(f"Could not import the module {module}.") == 1
        section = page.split(f"## {module} ")[1].split("\n## ")[0]
        cost = section.split("checks it cost:")[1].splitlines()[0]
        assert cost.count("`") == 2 * sum(r.spec.exercise == module for r in result.results)
        assert section.count("见上 see above") == cost.count("`") // 2
    assert page.count("SyntaxError") == 1 and "ex01_tensor_numpy.py:1" in page
    assert "_submission" not in page and "_submission" not in (graded / "broken" / "feedback.html").read_text(
        encoding="utf-8")


def test_outcomes_are_recorded(graded: Path) -> None:
    results = _results(graded)
    ex01 = "ex01_tensor_numpy"
    assert {r.outcome for r in results["stub"].results} == {"not_implemented"}
    assert {r.outcome for r in results["broken"].results if r.spec.exercise == ex01} == {"import"}
    assert {r.outcome for r in results["ref"].results} == {"passed"}


def _verdict(check: str, outcome: str) -> CheckResult:
    return CheckResult(CheckSpec("ex01", check, 1, False, "中", "en"), outcome == "passed", outcome=outcome)


def test_most_failed_ranks_wrong_answers_above_work_not_done() -> None:
    """A check three students never got to ranks below one that two students got wrong."""
    students = [["failed", "not_implemented"], ["failed", "import"], ["passed", "not_implemented"],
                ["passed", "passed"]]
    results = [SubmissionResult(f"s{i}", [_verdict("often_wrong", a), _verdict("not_done", b)], 0, "cpu")
               for i, (a, b) in enumerate(students)]
    ranked = summarize(results).failed
    assert [(f.id, f.wrong, f.attempted, f.not_done) for f in ranked] == [
        ("ex01.often_wrong", 2, 4, 0), ("ex01.not_done", 0, 1, 3)]


def test_report_on_a_folder_without_grading_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(tmp_path)]) == 2
    out = " ".join(capsys.readouterr().out.split())  # the console wraps long lines
    assert "no graded submission" in out and "Traceback" not in out
