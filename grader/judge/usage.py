"""What a submission's function uses, read from its source on the judge side (pure ``ast``).

A usage rule ("every function calls torch.einsum", "only torch.autograd.grad") is decided
from the source as well as by a run-time spy next to the student code: a spy can be found
and fooled from inside the student's process, the source as the judge read it cannot.

Reading starts at one top-level function and follows what it can reach: its own body
(nested functions and lambdas included) and, transitively, the module's top-level
functions, classes and assignments it names. Names are resolved through the imports and
module-level aliases (``E = torch.einsum``) to dotted names (``torch.einsum``); a name of
the module itself stays bare (``hessian``); an attribute of anything else, a method call
like ``y.sum().backward()`` included, is recorded by its name alone (``.backward``). Such an
attribute is judged by its own name: ``t = torch; t.autograd.functional.hessian`` falls
under the rule ``torch.autograd.functional`` through ``.functional``, and ``t._C`` is private.
``getattr(y, "name")``, ``operator.attrgetter("a.b")`` and ``operator.methodcaller("name")``
with constant names read as those attributes. Constructs that defeat such reading
(``getattr`` with a computed name, ``eval``, ``globals()``, ``sys.modules``, …) are reported
as *tricks*, as the code found.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

UNREADABLE = "source that cannot be read"
# What reaching the grader's run-time spies takes (torch's mode stack, the interpreter's frames
# and objects) and no exercise needs: a function that reaches any of it cannot be verified.
SPY_TAMPERING = ("torch.overrides", "sys", "gc", "inspect", "ctypes", "os", "traceback", "threading", "types",
                 "marshal", "pickle", "weakref")
_INTROSPECTION = (".__closure__", ".__globals__", ".__code__", ".__class__", ".__subclasses__", ".__bases__",
                  ".__mro__", ".__self__", ".__func__", ".__wrapped__", ".__builtins__", ".f_back", ".f_locals",
                  ".f_globals", ".tb_frame", ".gi_frame", ".cr_frame", ".ag_frame")
_ATTRIBUTE_BY_NAME = ("getattr", "setattr", "delattr")
_TRICK_BUILTINS = ("eval", "exec", "compile", "__import__", "globals", "vars", "locals", "__builtins__",
                   *_ATTRIBUTE_BY_NAME)
_TRICK_NAMES = ("importlib", "sys.modules", "builtins", ".__dict__", ".__getattribute__")
_BY_NAME = ("operator.attrgetter", "operator.methodcaller")  # their first argument(s): attribute names
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class Reach:
    """What one function reaches: the names it uses, and the tricks that defeat reading them."""

    names: frozenset[str]
    tricks: tuple[str, ...]


def matches(name: str, rule: str) -> bool:
    """Whether the used ``name`` falls under ``rule``: ``torch.autograd.functional`` covers
    everything in that module; ``.backward`` covers every method or function called backward;
    an attribute of a value the reader cannot name (``.functional``) falls under every rule
    whose last part it is (``torch.autograd.functional``)."""
    if rule.startswith("."):
        return name.endswith(rule)
    if name.startswith("."):
        return name == "." + rule.rpartition(".")[2]
    return name == rule or name.startswith(rule + ".")


def reach(source: str, function: str) -> Reach | None:
    """What the top-level ``function`` of ``source`` reaches; None when the source cannot be
    read: a syntax error, or no top-level definition of ``function``."""
    try:
        module = _Module(ast.parse(source))
        return _Reader(module).read(function) if function in module.definitions else None
    except (SyntaxError, ValueError, RecursionError):  # ValueError: a null byte; RecursionError: too deep a tree
        return None


def uses(source: str, function: str, rule: str) -> bool:
    """Whether ``function`` reaches something under ``rule`` (False when the source cannot be read)."""
    found = reach(source, function)
    return found is not None and any(matches(name, rule) for name in found.names)


def forbidden(source: str, function: str, rules: Iterable[str]) -> list[str]:
    """What ``function`` reaches under any of ``rules``, then every trick, as the code found
    (``.backward()``, ``torch.autograd.functional.hessian``, ``getattr(y, 'back' + 'ward')``);
    ``[UNREADABLE]`` when the source cannot be read."""
    found = reach(source, function)
    if found is None:
        return [UNREADABLE]
    rules = tuple(rules)
    hits = sorted(name for name in found.names if any(matches(name, rule) for rule in rules))
    methods = tuple(rule for rule in rules if rule.startswith("."))
    shown = [f"{name}()" if name.startswith(".") and any(matches(name, rule) for rule in methods) else name
             for name in hits]
    return shown + list(found.tricks)


def unverifiable(source: str, function: str) -> list[str]:
    """What ``function`` reaches that could reach the grader's spies (a private module such as
    ``torch._dynamo``, ``sys``, ``gc``, frames, closures), then every trick; ``[UNREADABLE]`` when
    the source cannot be read."""
    found = reach(source, function)
    if found is None:
        return [UNREADABLE]
    hits = sorted(name for name in found.names
                  if any(matches(name, rule) for rule in (*SPY_TAMPERING, *_INTROSPECTION)) or _private(name))
    return hits + list(found.tricks)


def _private(name: str) -> bool:
    """A dotted name into a module's private parts (``torch._dynamo.utils``), or a private
    attribute of a value the reader cannot name (``t._C``); dunders are judged apart."""
    if name.startswith("."):
        return name.startswith("._") and not name.startswith(".__")
    return any(part.startswith("_") for part in name.split(".")[1:])


class _Module:
    """A module's top-level definitions, and what its imported and aliased names stand for."""

    def __init__(self, tree: ast.Module) -> None:
        self.definitions: dict[str, list[ast.AST]] = {}
        self.aliases: dict[str, str] = {}
        self.stars: list[str] = []  # "torch." for ``from torch import *``
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for item in node.names:
                    name = item.name if item.asname else item.name.partition(".")[0]
                    self.aliases[item.asname or name] = name
            elif isinstance(node, ast.ImportFrom):
                prefix = "." * node.level + (f"{node.module}." if node.module else "")
                for item in node.names:
                    if item.name == "*":
                        self.stars.append(prefix)
                    else:
                        self.aliases[item.asname or item.name] = prefix + item.name
        for node in _top_level(tree.body):
            if isinstance(node, _SCOPES):
                self.definitions.setdefault(node.name, []).append(node)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                alias = self.qualified(node.value)
                for target in (t for t in targets if isinstance(t, ast.Name)):
                    if alias:
                        self.aliases[target.id] = alias
                    else:
                        self.definitions.setdefault(target.id, []).append(node.value)

    def qualified(self, node: ast.AST) -> str | None:
        """The dotted name an imported or aliased name (or an attribute of one) stands for."""
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self.qualified(node.value)
            return f"{base}.{node.attr}" if base else None
        return None


def _top_level(nodes: Iterable[ast.AST]) -> Iterator[ast.AST]:
    """The module's statements, those inside top-level if/try/with/for blocks included."""
    for node in nodes:
        yield node
        if not isinstance(node, _SCOPES):
            yield from _top_level(c for c in ast.iter_child_nodes(node)
                                  if isinstance(c, (ast.stmt, ast.excepthandler)))


class _Reader(ast.NodeVisitor):
    """Collects the names and tricks of one function and of the definitions it reaches."""

    def __init__(self, module: _Module) -> None:
        self.module = module
        self.names: set[str] = set()
        self.tricks: list[str] = []
        self.pending: list[str] = []
        self.seen: set[str] = set()

    def read(self, function: str) -> Reach:
        self._follow(function)
        while self.pending:
            for node in self.module.definitions[self.pending.pop()]:
                self.visit(node)
        return Reach(frozenset(self.names), tuple(dict.fromkeys(self.tricks)))

    def _follow(self, name: str) -> None:
        if name not in self.seen:
            self.seen.add(name)
            self.pending.append(name)

    def _use(self, name: str, code: ast.AST) -> None:
        self.names.add(name)
        if any(matches(name, rule) for rule in _TRICK_NAMES):
            self.tricks.append(_code(code))

    def _bound(self, name: str) -> bool:
        """Whether ``name`` is defined or imported by the module (not a builtin)."""
        return name in self.module.definitions or name in self.module.aliases

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in self.module.definitions:
            self.names.add(node.id)
            self._follow(node.id)
        elif node.id in self.module.aliases:
            self._use(self.module.aliases[node.id], node)
        else:
            for name in (node.id, *(star + node.id for star in self.module.stars)):
                self._use(name, node)
            if node.id in _TRICK_BUILTINS:
                self.tricks.append(node.id)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        name = self.module.qualified(node)
        if name:
            self._use(name, node)
        else:
            self._use(f".{node.attr}", node)
            self.visit(node.value)

    def visit_Call(self, node: ast.Call) -> None:
        func, args = node.func, node.args
        if self.module.qualified(func) in _BY_NAME:
            self._by_name(node)
            return
        if not (isinstance(func, ast.Name) and func.id in _ATTRIBUTE_BY_NAME and args) or self._bound(func.id):
            self.generic_visit(node)
            return
        attr = args[1] if len(args) > 1 else None
        if isinstance(attr, ast.Constant) and isinstance(attr.value, str):  # getattr(y, "backward"): y.backward
            self.visit(ast.Attribute(args[0], attr.value, ast.Load()))
        else:
            self.tricks.append(_code(node))
            self.visit(args[0])
        for rest in [*args[1:], *node.keywords]:
            self.visit(rest)

    def _by_name(self, node: ast.Call) -> None:
        """``operator.attrgetter("a.b", "c")`` uses ``.a``, ``.b`` and ``.c``;
        ``operator.methodcaller("backward")`` uses ``.backward``; a computed name is a trick."""
        self.visit(node.func)
        getter = self.module.qualified(node.func) == "operator.attrgetter"
        names = node.args if getter else node.args[:1]
        for arg in names:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                for part in arg.value.split("."):
                    self._use(f".{part}", arg)
            else:
                self.tricks.append(_code(node))
        if not names:
            self.tricks.append(_code(node))
        for rest in [*node.args[len(names):], *node.keywords]:
            self.visit(rest)


def _code(node: ast.AST) -> str:
    """The code of ``node``, cut to a readable length."""
    text = ast.unparse(node)
    return text if len(text) <= 60 else text[:57] + "..."
