"""grader.judge.usage: what a function uses, read from its source."""

from __future__ import annotations

import textwrap

import pytest

from grader.judge.usage import UNREADABLE, forbidden, reach, unverifiable, uses

ONLY_GRAD = (".backward", "torch.autograd.functional", "torch.func")


def src(text: str) -> str:
    return textwrap.dedent(text)


@pytest.mark.parametrize("source", [
    "import torch\ndef f(a): return torch.einsum('i->', a)\n",
    "import torch as T\ndef f(a): return T.einsum('i->', a)\n",
    "from torch import einsum as E\ndef f(a): return E('i->', a)\n",
    "import torch\nE = torch.einsum\ndef f(a): return E('i->', a)\n",
    "import torch\nT: object = torch\ndef f(a): return T.einsum('i->', a)\n",
    "import torch\ndef f(a):\n    op = torch.einsum\n    return op('i->', a)\n",
    "import torch\ndef f(a): return getattr(torch, 'einsum')('i->', a)\n",
])
def test_import_aliases_resolve(source: str) -> None:
    assert uses(source, "f", "torch.einsum")


@pytest.mark.parametrize("source", [
    "import torch\ndef f(a): return a @ a\n",
    "import torch\ndef g(a): return torch.einsum('i->', a)\ndef f(a): return a.sum()\n",  # g is never reached
    "import torch\ndef f(a):\n    einsum = 1\n    return torch.sum(a)\n",  # a local named einsum is no torch.einsum
])
def test_no_einsum_is_seen_as_none(source: str) -> None:
    assert not uses(source, "f", "torch.einsum")


@pytest.mark.parametrize(("source", "found"), [
    ("import torch.autograd.functional as AF\ndef h(f, x): return AF.hessian(f, x)\n",
     ["torch.autograd.functional.hessian"]),
    ("from torch.autograd.functional import hessian as H\ndef h(f, x): return H(f, x)\n",
     ["torch.autograd.functional.hessian"]),
    ("import torch.autograd.functional\ndef h(f, x): return torch.autograd.functional.hessian(f, x)\n",
     ["torch.autograd.functional.hessian"]),
    ("from torch.autograd import functional\ndef h(f, x): return functional.jacobian(f, x)\n",
     ["torch.autograd.functional.jacobian"]),
    ("import torch\nAF = torch.autograd.functional\ndef h(f, x): return AF.hessian(f, x)\n",
     ["torch.autograd.functional.hessian"]),
    ("from torch import func\ndef h(f, x): return func.hessian(f)(x)\n", ["torch.func.hessian"]),
    ("from torch.autograd import *\ndef h(y): backward(y)\n", ["torch.autograd.backward"]),
])
def test_forbidden_modules_through_aliases(source: str, found: list[str]) -> None:
    assert forbidden(source, "h", ONLY_GRAD) == found


@pytest.mark.parametrize(("source", "found"), [
    ("def h(y): y.backward()\n", [".backward()"]),
    ("def h(y): y.sum().backward(retain_graph=True)\n", [".backward()"]),
    ("def h(y):\n    run = y.backward\n    run()\n", [".backward()"]),
    ("def h(y): getattr(y, 'backward')()\n", [".backward()"]),
    ("import torch\ndef h(y): torch.autograd.backward(y)\n", ["torch.autograd.backward"]),
    ("import torch\ndef h(y): torch.Tensor.backward(y)\n", ["torch.Tensor.backward"]),
    ("from torch.autograd import backward as b\ndef h(y): b(y)\n", ["torch.autograd.backward"]),
])
def test_backward_is_seen_however_written(source: str, found: list[str]) -> None:
    assert forbidden(source, "h", ONLY_GRAD) == found


def test_helpers_are_followed_transitively() -> None:
    source = src("""
        import torch
        def _leaf(y):
            y.backward()
        def _middle(y):
            return _leaf(y)
        def h(y):
            return _middle(y)
        def unrelated(y):
            return torch.autograd.functional.hessian(y)
    """)
    assert forbidden(source, "h", ONLY_GRAD) == [".backward()"]
    assert uses(source, "h", "_leaf") and not uses(source, "h", "unrelated")
    assert forbidden(source, "_middle", ONLY_GRAD) == [".backward()"]
    assert forbidden(source, "unrelated", ONLY_GRAD) == ["torch.autograd.functional.hessian"]


def test_classes_and_module_level_lambdas_are_followed() -> None:
    source = src("""
        class Rows:
            def take(self, y):
                y.backward()
        go = lambda y: Rows().take(y)
        def h(y):
            return go(y)
    """)
    assert forbidden(source, "h", ONLY_GRAD) == [".backward()"]


@pytest.mark.parametrize("body", [
    "def inner():\n        y.backward()\n    inner()",
    "run = lambda: y.backward()\n    run()",
    "return [t.backward() for t in (y,)]",
])
def test_nested_functions_and_lambdas_are_read(body: str) -> None:
    assert forbidden(f"def h(y):\n    {body}\n", "h", ONLY_GRAD) == [".backward()"]


@pytest.mark.parametrize(("code", "trick"), [
    ("getattr(y, 'back' + 'ward')()", "getattr(y, 'back' + 'ward')"),
    ("setattr(y, name, 1)", "setattr(y, name, 1)"),
    ("eval('y.backward()')", "eval"),
    ("exec('y.backward()')", "exec"),
    ("compile('y', 'f', 'eval')", "compile"),
    ("__import__('torch')", "__import__"),
    ("importlib.import_module('torch')", "importlib.import_module"),
    ("globals()['y']", "globals"),
    ("vars()['y']", "vars"),
    ("locals()['y']", "locals"),
    ("sys.modules['torch']", "sys.modules"),
    ("type(y).__dict__['backward'](y)", "type(y).__dict__"),
])
def test_dynamic_tricks_are_reported(code: str, trick: str) -> None:
    source = f"import importlib\nimport sys\nname = 'x'\ndef h(y):\n    return {code}\n"
    assert forbidden(source, "h", ONLY_GRAD) == [trick]


def test_tricks_count_only_in_reachable_code() -> None:
    source = "def unused(y):\n    eval('y')\ndef h(y):\n    return y\nprint(globals())\n"
    assert forbidden(source, "h", ONLY_GRAD) == []
    assert forbidden(source, "unused", ONLY_GRAD) == ["eval"]


def test_a_plain_grad_solution_is_clean() -> None:
    source = src("""
        import torch
        from torch.autograd import grad

        def _grad(y, x):
            (g,) = grad(y, x, create_graph=True)
            return g

        def hessian(f, x):
            x = x.detach().requires_grad_()
            g = _grad(f(x), x)
            return torch.stack([_grad(g[i], x) for i in range(x.shape[0])]).detach()
    """)
    assert forbidden(source, "hessian", ONLY_GRAD) == []
    assert uses(source, "hessian", "torch.autograd.grad")
    assert reach(source, "hessian") is not None and reach(source, "hessian").tricks == ()


@pytest.mark.parametrize("source", ["def h(y:\n    y.backward()\n", "x = 1\0\n", "def other(y):\n    return y\n",
                                    "def h(y):\n    return " + " + ".join(["y"] * 3000) + "\n"])
def test_unreadable_source_does_not_raise(source: str) -> None:
    assert reach(source, "h") is None
    assert not uses(source, "h", "torch.autograd.grad")
    assert forbidden(source, "h", ONLY_GRAD) == [UNREADABLE]


@pytest.mark.parametrize(("body", "found"), [
    ("t = torch\n    return t.autograd.functional.hessian(f, x)", [".functional"]),
    ("a = torch.autograd\n    return a.functional.jacobian(f, x)", [".functional"]),
    ("def run(m):\n        return m.func.hessian(f)(x)\n    return run(torch)", [".func"]),
    ("t = torch\n    t.autograd.backward(f(x))", [".backward()"]),
])
def test_a_module_held_in_a_local_is_judged_by_its_attributes(body: str, found: list[str]) -> None:
    assert forbidden(f"import torch\ndef h(f, x):\n    {body}\n", "h", ONLY_GRAD) == found


@pytest.mark.parametrize(("body", "found"), [
    ("t = torch\n    t.overrides._get_current_function_mode_stack()", ["._get_current_function_mode_stack",
                                                                       ".overrides"]),
    ("t = torch\n    return t._C", ["._C"]),
    ("return torch._C._functorch", ["torch._C._functorch"]),
    ("import operator\n    operator.attrgetter('overrides')(torch)", [".overrides"]),
])
def test_reaching_the_spies_through_a_local_cannot_be_verified(body: str, found: list[str]) -> None:
    assert unverifiable(f"import torch\ndef h(y):\n    {body}\n", "h") == found


@pytest.mark.parametrize(("code", "found"), [
    ("operator.methodcaller('backward', retain_graph=True)(y)", [".backward()"]),
    ("mc('backward')(y)", [".backward()"]),
    ("operator.attrgetter('autograd.functional')(torch).hessian(y, y)", [".functional"]),
    ("operator.methodcaller(name)(y)", ["operator.methodcaller(name)"]),
    ("operator.attrgetter(*names)(torch)", ["operator.attrgetter(*names)"]),
])
def test_operator_getters_read_as_attributes(code: str, found: list[str]) -> None:
    source = f"import operator\nimport torch\nfrom operator import methodcaller as mc\ndef h(y, name, names):\n" \
             f"    return {code}\n"
    assert forbidden(source, "h", ONLY_GRAD) == found


def test_an_einsum_of_a_local_module_counts_as_einsum() -> None:
    assert uses("import torch\ndef f(a):\n    t = torch\n    return t.einsum('i->', a)\n", "f", "torch.einsum")
    assert not uses("import torch\ndef f(a):\n    t = torch\n    return t.sum(a)\n", "f", "torch.einsum")


def test_private_attributes_and_dunders_are_told_apart() -> None:
    source = "def h(y):\n    return y._base, y.__class__, y.grad\n"
    assert unverifiable(source, "h") == [".__class__", "._base"]
