"""One way to fail: the grader's faults are check errors under either runner, every GraderError
says itself in 中文 and in English, and no ``assert`` validates anything in the grader."""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import os
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import grader
from grader.errors import GraderError, StudentError
from grader.judge.check import CheckFn, CheckResult, Judge, check, run_check, spec_of
from grader.probing import wire
from grader.probing.registry import ProbeFault
from grader.probing.submission import Submission
from grader.runners.in_process import InProcessRunner
from grader.sandbox.answers import read_answer
from grader.sandbox.limits import Limits
from grader.sandbox.worker import _encoded, _observe
from tests.conftest import ROOT

ALICE = ROOT / "examples" / "submissions" / "alice"
PACKAGE = Path(grader.__file__).parent
HAN = re.compile(r"[\u4e00-\u9fff]")


# -- checks with the grader's own mistakes in them ---------------------------------------------

def _mistakes() -> list[CheckFn]:
    """Two checks with the grader's own mistakes in them (made here, so that pytest does not
    collect them as this file's tests)."""

    @check("ex01_tensor_numpy", 1)
    def test_mistyped_probe(judge: Judge) -> None:
        """探针名拼写错误
        a probe name with a typo"""
        judge.probe("ch3.ex01.from_aray", func="to_tensor", values=[1.0])

    @check("ex01_tensor_numpy", 1)
    def test_wrong_keyword(judge: Judge) -> None:
        """探针的关键字参数错误
        a keyword the probe does not take"""
        judge.probe("ch3.ex01.from_array", func="to_tensor", value=[1.0])

    return [test_mistyped_probe, test_wrong_keyword]


def _verdicts(runner: Any) -> list[CheckResult]:
    results = []
    for fn in _mistakes():
        spec = spec_of(fn)
        assert spec is not None
        results.append(run_check(fn, Judge(spec, runner, "cpu", 0)))
        runner.check_done()
    return results


def _assert_check_errors(results: list[CheckResult]) -> None:
    for result in results:
        assert result.outcome == "check_error" and not result.passed, (result.outcome, result.message)
        assert "ProbeFault" in result.message and "tell the instructor" in result.message


def test_grader_faults_are_check_errors_in_process() -> None:
    _assert_check_errors(_verdicts(InProcessRunner(ALICE)))


def test_grader_faults_are_check_errors_in_a_worker() -> None:
    if os.geteuid() != 0:
        pytest.skip("isolated workers need root here")
    from grader.manifest import Course
    from grader.sandbox.master import Master
    from grader.sandbox.runner import SandboxRunner

    with Master(Course.load(ROOT)) as master:
        runner = SandboxRunner(ALICE, master, Limits())
        try:
            results = _verdicts(runner)
        finally:
            runner.close()
    _assert_check_errors(results)
    assert all("reports a fault of the grader" in r.message for r in results)


# -- the worker's fault answers, and the judge's reading of them ---------------------------------

def test_the_worker_reports_its_faults() -> None:
    sub = Submission(ALICE)
    text, blob = wire.encode({"values": [1.0]})
    for request, data in [({"probe": "ch3.ex01.no_such", "device": "cpu", "inputs": text}, blob),
                          ({"probe": "ch3.ex01.from_array", "device": "cpu", "inputs": text}, blob),
                          ({"probe": "call", "device": "cpu", "inputs": "not json"}, b""),
                          ({"probe": "call", "device": "cpu", "inputs": json.dumps({"__tensor__": "t9"})}, b"")]:
        reply = _observe(sub, request, data, Limits())
        assert set(reply) == {"fault"} and set(reply["fault"]) == {"zh", "en"}, reply
    reply, out = _encoded({"observed": {"x": object()}}, wire.encode, "call", sub)
    assert out == b"" and "cannot send a object" in reply["fault"]["en"]  # the probe's fault, not "raised"


def test_a_fault_answer_is_a_probe_fault() -> None:
    answer = json.dumps({"fault": {"zh": "没有名为 x 的探针", "en": "there is no probe named 'x'"}})
    with pytest.raises(ProbeFault) as caught:
        read_answer("x", answer, b"")
    assert "no probe named" in caught.value.en and "没有名为" in caught.value.zh


@pytest.mark.parametrize("fault", ["text", {"en": "e"}, {"zh": "z", "en": 1}, {"zh": "z", "en": "e", "x": ""}])
def test_a_malformed_fault_is_not_trusted(fault: object) -> None:
    with pytest.raises(StudentError) as caught:
        read_answer("call", json.dumps({"fault": fault}), b"")
    assert caught.value.kind == "tampered"


def test_a_failed_import_is_built_as_one(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("import no_such_module_here\n", encoding="utf-8")
    with pytest.raises(StudentError) as caught:
        Submission(tmp_path).module("broken")
    assert (caught.value.kind, caught.value.what, caught.value.exc_type) == ("import", "broken", "ModuleNotFoundError")


# -- every GraderError, in two languages ---------------------------------------------------------

def _modules() -> Iterator[str]:
    yield "grader"
    for info in pkgutil.walk_packages([str(PACKAGE)], "grader."):
        if not info.name.endswith("__main__"):
            yield info.name


def _grader_errors() -> list[type[GraderError]]:
    for name in _modules():
        importlib.import_module(name)
    found, todo = [], [GraderError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += [sub for sub in cls.__subclasses__() if sub.__module__.startswith("grader")]
    return found


ERRORS = _grader_errors()


def _example(cls: type[GraderError]) -> GraderError:
    """One ``cls``, built with a plain value for each parameter (中文 and English where it says which)."""
    values = {"zh": "示例说明", "en": "an example"}
    params = [p for p in inspect.signature(cls.__init__).parameters.values() if p.name != "self"]
    return cls(**{p.name: values.get(p.name, "x") for p in params if p.default is inspect.Parameter.empty})


def _bilingual(zh: str, en: str) -> None:
    assert zh and en and zh != en, (zh, en)
    assert HAN.search(zh), f"no 中文 in {zh!r}"
    assert not HAN.search(en), f"中文 in the English {en!r}"


def test_the_walk_finds_the_errors() -> None:
    names = {cls.__name__ for cls in ERRORS}
    assert {"ProbeFault", "TemplateFailed", "WireError", "DeviceError", "ManifestError", "MarkerError"} <= names


@pytest.mark.parametrize("cls", ERRORS, ids=lambda cls: cls.__name__)
def test_every_grader_error_has_distinct_zh_and_en(cls: type[GraderError]) -> None:
    err = _example(cls)
    _bilingual(err.zh, err.en)
    assert str(err) == f"{err.zh}\n{err.en}"


def _calls() -> Iterator[tuple[str, ast.Call, str]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                yield f"{path.relative_to(PACKAGE)}:{node.lineno}", node, name


def _literal(node: ast.expr) -> str | None:
    """The constant text of a string or f-string (its fields left out); None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))
    return None


def test_every_raise_site_says_zh_then_en() -> None:
    """Each place that builds a GraderError with ``zh`` and ``en`` passes a 中文 text, then an
    English one without 中文 (an f-string's fields aside)."""
    params = {cls.__name__: [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
              for cls in ERRORS}
    seen = 0
    for where, call, name in _calls():
        names = params.get(name, [])
        if "zh" not in names or "en" not in names:
            continue
        given = dict(zip(names, call.args, strict=False)) | {k.arg: k.value for k in call.keywords if k.arg}
        zh, en = (_literal(given[k]) if k in given else None for k in ("zh", "en"))
        if zh is None or en is None:
            continue  # passed through from elsewhere (a worker's report, an error's own parts)
        seen += 1
        assert HAN.search(zh) and en.strip() and not HAN.search(en), f"{where}: {zh!r} / {en!r}"
    assert seen > 50


def test_no_assert_statement_in_the_grader() -> None:
    found = [f"{path.relative_to(PACKAGE)}:{node.lineno}" for path in sorted(PACKAGE.rglob("*.py"))
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(node, ast.Assert)]
    assert found == []


# -- a submission's structural mistakes, said plainly by either runner ------------------------------

def _structural_verdicts(runner: Any) -> dict[str, CheckResult]:
    from grader.judge.catalog import load_checks
    from grader.manifest import Course

    wanted = {"ex01_tensor_numpy.to_tensor_values", "ex01_tensor_numpy.to_numpy_values", "ex06_einsum.equations"}
    results = {}
    for fn in load_checks(Course.load(ROOT), hidden=False):
        spec = spec_of(fn)
        if spec.id in wanted:
            results[spec.id] = run_check(fn, Judge(spec, runner, "cpu", 0))
            runner.check_done()
    return results


def _broken_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "sub"
    for name in ["ex01_tensor_numpy", "ex06_einsum"]:
        source = (ROOT / "solutions" / "ch3" / f"{name}.py").read_text(encoding="utf-8")
        (folder / f"{name}.py").parent.mkdir(exist_ok=True)
        (folder / f"{name}.py").write_text(source, encoding="utf-8")
    ex01 = folder / "ex01_tensor_numpy.py"
    ex01.write_text(re.sub(r"def to_numpy\(tensor[^)]*\)", "def to_numpy(t, copy)",
                           ex01.read_text(encoding="utf-8").replace("def to_tensor(", "def to_tensr(")),
                    encoding="utf-8")
    with (folder / "ex06_einsum.py").open("a", encoding="utf-8") as module:
        module.write("\ndef broken(:\n")
    return folder


def _assert_plain(results: dict[str, CheckResult]) -> None:
    missing, signature, syntax = (results[i] for i in ["ex01_tensor_numpy.to_tensor_values",
                                                      "ex01_tensor_numpy.to_numpy_values", "ex06_einsum.equations"])
    assert missing.outcome == "missing" and missing.message_en == \
        "ex01_tensor_numpy.py has no function `to_tensor` (found `to_tensr`).", missing.message
    assert signature.outcome == "signature" and signature.message_en == \
        "Wrong signature: `to_numpy(tensor)` expected; yours is `to_numpy(t, copy)`.", signature.message
    assert syntax.outcome == "import" and "SyntaxError: invalid syntax: def broken(:" in syntax.message
    assert re.search(r"位置 at ex06_einsum\.py:\d+$", syntax.message)
    assert not any("_submission" in r.message or "/" in r.message.split("位置")[0] for r in results.values())


def test_structural_errors_are_plain_in_process(tmp_path: Path) -> None:
    _assert_plain(_structural_verdicts(InProcessRunner(_broken_copy(tmp_path))))


def test_structural_errors_are_plain_in_a_worker(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("isolated workers need root here")
    from grader.manifest import Course
    from grader.sandbox.master import Master
    from grader.sandbox.runner import SandboxRunner

    with Master(Course.load(ROOT)) as master:
        runner = SandboxRunner(_broken_copy(tmp_path), master, Limits())
        try:
            results = _structural_verdicts(runner)
        finally:
            runner.close()
    _assert_plain(results)
