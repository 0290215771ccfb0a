"""Reading a worker's answer on the judge side, trusting nothing in it.

An answer is one JSON object with exactly one key: ``observed`` (the probe's observations,
JSON text plus a safetensors blob), ``error`` (what the student code raised, in the exact
form :meth:`grader.errors.StudentError.to_json` writes) or ``tampered`` (what the worker's
guard found changed). Anything else (unknown keys or kinds, wrong types, JSON too deep,
a blob safetensors cannot read, observations that do not match the probe's declared type)
fails that check as "not trusted"; nothing a worker sends can raise in the judge.
"""

from __future__ import annotations

import json
from typing import Any

from grader.probing import wire
from grader.errors import StudentError
from grader.judge.observations import ObservationError, check_observation


def untrusted(probe: str, why: str) -> StudentError:
    """The verdict for an answer the judge cannot trust."""
    return StudentError("tampered", probe, message=f"untrusted answer: {why}")


def read_answer(probe: str, text: str, blob: bytes) -> Any:
    """The observations of ``probe`` in this answer; raises the StudentError it reports or earns."""
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
    raise untrusted(probe, f"unknown answer {key[:40]!r}")
