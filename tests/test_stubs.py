"""Principle 5: stubs are derived from the solutions, up to date, and hold no solution text."""

from __future__ import annotations

import pytest

from grader.exports.stubs import BEGIN, END, MarkerError, make_stub, stub_pairs, write_stubs
from tests.conftest import COURSE, EXERCISES


def test_every_exercise_has_a_solution_and_a_stub() -> None:
    assert sorted(s.stem for s, _ in stub_pairs(COURSE)) == sorted(EXERCISES)
    assert all(stub.exists() for _, stub in stub_pairs(COURSE))


def test_stubs_are_up_to_date() -> None:
    assert write_stubs(COURSE, check_only=True) == [], "run `grader stubs`"


# Regions in the places a solution puts them: a method, a nested function, a decorated
# function, a function whose signature spans lines, a dict literal, the module level.
SOURCE = f'''"""doc"""
import torch

ANSWER_KEY = {{
    {BEGIN}
    "matmul": "secret_equation_one",
    {END}
}}


class Model(torch.nn.Module):
    def forward(self, x):
        {BEGIN}
        return x * secret_scale_two
        {END}

    @staticmethod
    def helper(
        a,
        b,
    ):
        def inner():
            {BEGIN}
            return a + secret_offset_three
            {END}
        return inner


{BEGIN}
secret_module_level_four = 4
{END}
'''
SECRETS = ("secret_equation_one", "secret_scale_two", "secret_offset_three", "secret_module_level_four")


def test_a_stub_holds_no_line_of_a_solution_region() -> None:
    stub = make_stub(SOURCE, "m")
    assert not [secret for secret in SECRETS if secret in stub], stub
    assert BEGIN not in stub and END not in stub
    compile(stub, "m.py", "exec")  # still a module a student can run


def test_a_stub_names_the_function_to_write() -> None:
    stub = make_stub(SOURCE, "m")
    for where in ("m.Model.forward", "m.Model.helper.inner", "m: "):
        assert f'raise NotImplementedError("{where}' in stub, where
    assert "# 在此填写 / fill in here" in stub  # the literal's region: a comment, not a raise


@pytest.mark.parametrize("source", [f"{BEGIN}\n", f"{END}\n", f"{BEGIN}\n{BEGIN}\n"])
def test_unbalanced_markers_are_refused(source: str) -> None:
    with pytest.raises(MarkerError):
        make_stub(source, "m")
