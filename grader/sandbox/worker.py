"""The worker: the only place where student code runs under ``grader grade``.

Forked by the submission's template (torch already imported) for one check, with its
limits applied before any student code is loaded, it answers that check's probe requests
on its channel: it decodes the inputs, runs the probe, and sends back the encoded
observations, the student's error, the list of what the student code tampered with, or a
fault of the grader's own (a probe that does not exist or does not take these inputs,
inputs it cannot decode, observations the wire cannot carry). It never decides a verdict,
and it is retired, with all it started, when the check ends.
"""

from __future__ import annotations

import gc
import json
import os
import socket
import sys
import tempfile
from pathlib import Path
from typing import Any, NoReturn

import torch

from grader.errors import GraderError, StudentError
from grader.probing import wire
from grader.probing.registry import ProbeFault, run_probe
from grader.probing.submission import Submission
from grader.probing.wire import WireError
from grader.sandbox.channel import ChannelClosed, recv_frame, send_frame
from grader.sandbox.integrity import Guard, Tampered
from grader.sandbox.limits import Limits, apply_rlimits


def _cap_gpu_memory(device: str, share: float) -> None:
    """Before student code first touches the GPU, cap this process's share of its memory."""
    if device.startswith("cuda") and torch.cuda.is_available():
        torch.cuda.set_per_process_memory_fraction(share, torch.device(device).index or 0)


def _fault(err: GraderError) -> dict[str, Any]:
    """The reply for a fault of the grader's: the judge records the check as a check error."""
    return {"fault": {"zh": err.zh, "en": err.en}}


def _observe(sub: Submission, request: dict[str, Any], blob: bytes, limits: Limits) -> dict[str, Any]:
    """Run the probe asked for: ``{"observed": value}``, or the error, tampering or fault reply."""
    name = request["probe"]
    try:
        inputs = wire.decode(request["inputs"], blob)
    except Exception as exc:  # noqa: BLE001 - the judge encoded them: whatever fails here is the grader's
        return _fault(ProbeFault(f"探针 {name} 的输入无法解码（{type(exc).__name__}）",
                                 f"the inputs of probe {name!r} cannot be decoded ({type(exc).__name__})"))
    try:
        _cap_gpu_memory(request["device"], limits.gpu_memory)
        return {"observed": run_probe(sub, name, request["device"], inputs)}
    except Tampered as tampered:
        return {"tampered": tampered.problems}
    except StudentError as err:
        return {"error": err.to_json()}
    except ProbeFault as fault:
        return _fault(fault)
    except Exception as exc:  # noqa: BLE001 - the GPU cap failed
        return {"error": StudentError.from_exception(exc, name, sub.folder).to_json()}


def _encoded(reply: dict[str, Any], encode: Any, name: str, sub: Submission) -> tuple[dict[str, Any], bytes]:
    """The reply as it crosses: observations encoded, or the fault or error that they cannot be."""
    if "observed" not in reply:
        return reply, b""
    try:
        text, blob = encode(reply["observed"])
    except WireError as err:  # the probe observed a value the wire cannot carry: the probe's fault
        return _fault(err), b""
    except Exception as exc:  # noqa: BLE001 - a student tensor that cannot be copied out, say
        return {"error": StudentError.from_exception(exc, name, sub.folder).to_json()}, b""
    return {"observed": text}, blob


def serve(channel: socket.socket, submission: Path, tmp: Path, limits: Limits, threads: int, guard: Guard, *,
          limit_processes: bool) -> NoReturn:
    """Answer probe requests on ``channel`` until it closes, then exit; ``guard`` was taken
    before any student code ran."""
    try:
        os.environ.clear()
        os.environ.update(HOME=str(tmp), TMPDIR=str(tmp), LANG="C.UTF-8", OMP_NUM_THREADS=str(threads))
        os.chdir(tmp)
        tempfile.tempdir = str(tmp)
        sys.dont_write_bytecode = True
        apply_rlimits(limits, limit_processes=limit_processes)
        torch.set_num_threads(threads)
        sub = Submission(submission)
        sub.guard = guard
        # bound now, so that student code rebinding them cannot change how answers are sent
        send, receive, problems, settle = send_frame, recv_frame, guard.problems, guard.settle
        encode, dumps, loads = wire.encode, json.dumps, json.loads
        problems()  # while waiting for work: the pages the guard touches are this process's own
        wire.round_trip({"warm": [torch.zeros(1)]})
        gc.freeze()  # what the warm-up made is no work for the collector either
        while True:
            text, blob = receive(channel)
            request = loads(text)
            reply = _observe(sub, request, blob, limits)
            settle()  # the student's last finalizers run now, before the guard looks
            found = problems()
            reply, out_blob = ({"tampered": found}, b"") if found else _encoded(reply, encode, request["probe"], sub)
            send(channel, dumps(reply), out_blob)
    except ChannelClosed:
        pass
    finally:
        os._exit(0)
