"""What a probe's observations must look like: its return annotation, checked on the judge side.

Each probe declares its return type (``TypedDict``s of plain values, tensors and
:data:`grader.probing.registry.Description`); :func:`check_observation` holds an answer that came
back from a worker to exactly that: no missing or extra key, no value of another type. A
check then reads observations that cannot surprise it, so any error it raises is its own.
"""

from __future__ import annotations

import collections.abc
import types
import typing
from functools import cache
from typing import Any, Literal, Union

import torch

from grader.probing.registry import ProbeFault, find


class ObservationError(ValueError):
    """Observations that do not match the probe's declared type."""


@cache
def _return_type(probe: str) -> Any:
    return typing.get_type_hints(find(probe)).get("return", Any)


def check_observation(probe: str, value: Any) -> None:
    """Raise :class:`ObservationError` unless ``value`` matches the return type of ``probe``;
    :class:`ProbeFault` (the grader's fault) if there is no such probe or its type cannot be checked."""
    try:
        _conform(value, _return_type(probe), "observations")
    except RecursionError:
        raise ObservationError("observations nested too deep") from None


def _is_typed_dict(hint: Any) -> bool:
    return isinstance(hint, type) and issubclass(hint, dict) and hasattr(hint, "__required_keys__")


def _kinds(hint: Any) -> tuple[Any, ...]:
    """The values a TypedDict's ``kind`` key may take (empty if it has none)."""
    kind = typing.get_type_hints(hint).get("kind")
    return typing.get_args(kind) if typing.get_origin(kind) is Literal else ()


def _conform(value: Any, hint: Any, where: str) -> None:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any:
        return
    if hint is None or hint is type(None):
        if value is not None:
            raise ObservationError(f"{where}: expected None, got {type(value).__name__}")
        return
    if origin in (Union, types.UnionType):
        errors = []
        for option in args:
            try:
                _conform(value, option, where)
                return
            except ObservationError as err:
                errors.append((option, err))
        for option, failure in errors:  # the member its ``kind`` names says best what is wrong
            if _is_typed_dict(option) and type(value) is dict and value.get("kind") in _kinds(option):
                raise failure
        raise ObservationError(f"{where}: {type(value).__name__} matches none of {len(args)} declared types")
    if origin is Literal:
        if not any(type(value) is type(a) and value == a for a in args):
            raise ObservationError(f"{where}: {str(value)[:40]!r} is not one of {args}")
        return
    if _is_typed_dict(hint):
        if type(value) is not dict:
            raise ObservationError(f"{where}: expected an object, got {type(value).__name__}")
        fields = typing.get_type_hints(hint)
        missing, extra = hint.__required_keys__ - value.keys(), value.keys() - fields.keys()
        if missing or extra:
            raise ObservationError(f"{where}: missing {sorted(missing)}, unexpected {sorted(extra)[:5]}")
        for key, item in value.items():
            _conform(item, fields[key], f"{where}.{key}")
        return
    base = origin or hint
    if base in (list, tuple, collections.abc.Sequence):
        if type(value) is not list:
            raise ObservationError(f"{where}: expected a list, got {type(value).__name__}")
        item_hint = args[0] if args else Any
        for i, item in enumerate(value):
            _conform(item, item_hint, f"{where}[{i}]")
        return
    if base is dict:
        if type(value) is not dict:
            raise ObservationError(f"{where}: expected an object, got {type(value).__name__}")
        item_hint = args[1] if len(args) == 2 else Any
        for key, item in value.items():
            _conform(item, item_hint, f"{where}.{key}")
        return
    if hint is float:
        if type(value) not in (int, float):
            raise ObservationError(f"{where}: expected a number, got {type(value).__name__}")
        return
    if hint in (bool, int, str) or hint is torch.Tensor:
        if type(value) is not hint:
            raise ObservationError(f"{where}: expected {hint.__name__}, got {type(value).__name__}")
        return
    raise ProbeFault(f"{where}：探针声明了评判方无法检查的类型（{hint}）",
                     f"{where}: the probe declares a type the judge cannot check ({hint})")
