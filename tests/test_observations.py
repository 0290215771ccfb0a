"""Probes' observations match their declared return types, and a changed observation does not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch

from grader.judge.catalog import load_checks
from grader.judge.check import CheckFn, Judge, run_check, spec_of
from grader.judge.observations import ObservationError, check_observation
from grader.runners.in_process import InProcessRunner
from tests.conftest import COURSE, SOLUTIONS

CHECKS = load_checks(COURSE)


class CheckingRunner(InProcessRunner):
    """Runs probes in this process and holds every observation to its probe's declared type."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.failures: list[str] = []

    def probe(self, name: str, device: str, inputs: dict[str, Any], check_id: str = "") -> Any:
        observed = super().probe(name, device, inputs, check_id)
        try:
            check_observation(name, observed)
        except ObservationError as err:
            self.failures.append(f"{name}: {err}")
        return observed


@pytest.fixture(scope="module")
def runner() -> CheckingRunner:
    """One runner on the reference solutions for the module's checks, as when grading."""
    return CheckingRunner(SOLUTIONS)


@pytest.mark.parametrize("check_fn", CHECKS, ids=lambda fn: spec_of(fn).id + (".hidden" if spec_of(fn).hidden else ""))
def test_reference_observations_conform(check_fn: CheckFn, runner: CheckingRunner) -> None:
    runner.failures.clear()
    result = run_check(check_fn, Judge(spec_of(check_fn), runner, "cpu", run_seed=5))
    assert result.passed, result.message
    assert runner.failures == []


# a few probes, with inputs, whose reference observations are then changed
SAMPLES: dict[str, dict[str, Any]] = {
    "ch3.ex04.pair_dataset": {"data": torch.randn(3, 2), "targets": torch.arange(3)},
    "ch3.ex01.from_array": {"func": "to_tensor", "values": torch.arange(4.0).reshape(2, 2)},
    "ch3.ex03.apply": {"func": "grad_by_hand", "x": torch.randn(3), "requires_grad": False},
    "ch3.ex04.split": {"n": 10, "fractions": [0.6, 0.2, 0.2], "calls": [[0, 3]]},
    "ch3.quiz.ANSWERS": {"module": "quiz", "ids": ["b1_copy", "d9_hooks"]},
    "call": {"module": "ex02_linear", "func": "default_init_bound", "args": [4], "kwargs": {}},
}

CHANGES: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "key removed": ("ch3.ex04.pair_dataset", lambda o: o.pop("len")),
    "key added": ("ch3.ex04.pair_dataset", lambda o: o.update(extra=0)),
    "bool for int": ("ch3.ex04.pair_dataset", lambda o: o.update(calls_at_init=False)),
    "float for int": ("ch3.ex04.pair_dataset", lambda o: o.update(len=3.0)),
    "list for tensor, nested": ("ch3.ex04.pair_dataset", lambda o: o["items"][0]["items"][0].update(value=[0.0])),
    "int for bool": ("ch3.ex01.from_array", lambda o: o.update(array_write_seen=1)),
    "unknown kind": ("ch3.ex01.from_array", lambda o: o["result"].update(kind="blob")),
    "str in a shape": ("ch3.ex01.from_array", lambda o: o["result"].update(shape=["2", "2"])),
    "nested key removed": ("ch3.ex03.apply", lambda o: o["x_after"].pop("grad")),
    "description key added": ("ch3.ex03.apply", lambda o: o["result"].update(repr="x")),
    "str in ids": ("ch3.ex04.split", lambda o: o[0]["parts"][0]["ids"].append("1")),
    "object missing its keys": ("ch3.ex04.split", lambda o: o.__setitem__(0, {})),
    "plain value for a description": ("ch3.quiz.ANSWERS", lambda o: o["answers"].update(b1_copy="A")),
    "None for str": ("ch3.quiz.ANSWERS", lambda o: o.update(type=None)),
    "type outside its literals": ("call", lambda o: o.update(type="float64")),
    "list for a scalar": ("call", lambda o: o.update(value=[1.0])),
}


def observe(probe: str) -> Any:
    """The reference solution's observations of ``probe`` on its sample inputs, as the judge receives them."""
    return InProcessRunner(SOLUTIONS).probe(probe, "cpu", SAMPLES[probe])


@pytest.mark.parametrize("probe", SAMPLES)
def test_sample_observations_conform(probe: str) -> None:
    check_observation(probe, observe(probe))


def test_optional_keys_may_be_absent() -> None:
    observed = observe("ch3.ex01.from_array")
    assert "array_write_seen" in observed
    del observed["array_write_seen"], observed["tensor_write_seen"]
    check_observation("ch3.ex01.from_array", observed)


@pytest.mark.parametrize("change", CHANGES)
def test_changed_observation_is_refused(change: str) -> None:
    probe, apply = CHANGES[change]
    observed = observe(probe)
    apply(observed)
    with pytest.raises(ObservationError):
        check_observation(probe, observed)
