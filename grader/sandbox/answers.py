"""Reading a worker's answer on the judge side, trusting nothing in it.

An answer is one JSON object with exactly one key: ``observed`` (the probe's observations,
JSON text plus a safetensors blob), ``error`` (what the student code raised, in the exact
form :meth:`grader.errors.StudentError.to_json` writes), ``tampered`` (what the worker's
guard found changed) or ``fault`` (``{"zh": …, "en": …}``: a fault of the grader's own, such
as a probe that does not exist or does not take these inputs, inputs the worker cannot
decode, observations the wire cannot carry). Anything else (unknown keys or kinds, wrong
types, JSON too deep, a blob safetensors cannot read, observations that do not match the
probe's declared type) fails that check as "not trusted". Nothing a worker sends can raise
in the judge but a :class:`~grader.probing.registry.ProbeFault`, which the check records as
a check error.

A hostile worker gains nothing by sending a fault: the check fails all the same (a check
error is worth no points, as the "not trusted" verdict is), no check can take it for an
answer (checks catch only StudentError), and its text is shown as the worker's word, not the
judge's. At most it points the instructor at a check that was never the grader's fault.
"""

from __future__ import annotations

import json
from typing import Any

from grader.errors import StudentError
from grader.judge.observations import ObservationError, check_observation
from grader.probing import wire
from grader.probing.registry import ProbeFault

TEXT_LIMIT = 500  # characters kept of each text a worker sends


def untrusted(probe: str, why: str) -> StudentError:
    """The verdict for an answer the judge cannot trust."""
    return StudentError("tampered", probe, message=f"untrusted answer: {why}")


def reported_fault(probe: str, value: object) -> ProbeFault:
    """The grader's fault a worker reported while running ``probe``; "not trusted" if malformed."""
    if type(value) is not dict or set(value) != {"zh", "en"} or not all(type(v) is str for v in value.values()):
        raise untrusted(probe, "a malformed fault report")
    return ProbeFault(f"运行探针 {probe} 的隔离进程报告评分程序出错：{value['zh'][:TEXT_LIMIT]}",
                      f"the worker running probe {probe!r} reports a fault of the grader: {value['en'][:TEXT_LIMIT]}")


def read_answer(probe: str, text: str, blob: bytes) -> Any:
    """The observations of ``probe`` in this answer; raises the StudentError it reports or earns,
    or the ProbeFault it reports."""
    try:
        reply = json.loads(text)
    except (ValueError, RecursionError):
        raise untrusted(probe, "not JSON, or nested too deep") from None
    if type(reply) is not dict or len(reply) != 1:
        raise untrusted(probe, "not an object with exactly one key")
    [(key, value)] = reply.items()
    if key == "observed" and type(value) is str:
        try:
            observed = wire.decode(value, blob)
        except Exception as exc:  # noqa: BLE001 - whatever the bytes make the decoders raise
            raise untrusted(probe, f"unreadable observations ({type(exc).__name__})") from None
        try:
            check_observation(probe, observed)
        except ObservationError as err:
            raise untrusted(probe, str(err)) from None
        return observed
    if key == "error":
        try:
            error = StudentError.from_json(value)
        except ValueError as err:
            raise untrusted(probe, str(err)) from None
        raise error
    if key == "tampered" and type(value) is list and all(type(v) is str for v in value):
        raise StudentError("tampered", probe, message=", ".join(v[:120] for v in value[:5]))
    if key == "fault":
        raise reported_fault(probe, value)
    raise untrusted(probe, f"unknown answer {key[:40]!r}")
