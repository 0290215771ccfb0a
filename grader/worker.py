"""The worker: the only place where student code runs under ``grader grade``.

Forked from the template (torch already imported) with its limits applied before any
student code is loaded, it answers probe requests on its channel: it decodes the inputs,
runs the probe, and sends back the encoded observations, the student's error, or a note
that the student code tampered with the grader. It never decides a verdict.
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
from pathlib import Path
from typing import Any

import torch

from grader import integrity, wire
from grader.channel import ChannelClosed, recv_frame, send_frame
from grader.errors import StudentError
from grader.limits import Limits, apply_rlimits
from grader.runner import run_probe
from grader.student import Submission


def _cap_gpu_memory(device: str, share: float) -> None:
    """Before student code first touches the GPU, cap this process's share of its memory."""
    if device.startswith("cuda") and torch.cuda.is_available():
        torch.cuda.set_per_process_memory_fraction(share, torch.device(device).index or 0)


def _answer(sub: Submission, request: dict[str, Any], blob: bytes, limits: Limits) -> tuple[dict[str, Any], bytes]:
    name = request["probe"]
    try:
        _cap_gpu_memory(request["device"], limits.gpu_memory)
        observed = run_probe(sub, name, request["device"], wire.decode(request["inputs"], blob))
        text, out_blob = wire.encode(observed)
        return {"observed": text}, out_blob
    except StudentError as err:
        return {"error": err.to_json()}, b""
    except Exception as exc:  # noqa: BLE001 - the GPU cap or an observation the wire cannot carry
        return {"error": StudentError.from_exception(exc, name, sub.folder).to_json()}, b""


def serve(channel: socket.socket, submission: Path, limits: Limits, threads: int, limit_processes: bool) -> None:
    """Answer probe requests on ``channel`` until it closes; never returns."""
    try:
        os.setpgid(0, 0)
        scratch = submission.parent  # the only writable place: temporary files go there too
        os.environ.update(TMPDIR=str(scratch / "tmp"), HOME=str(scratch))
        tempfile.tempdir = str(scratch / "tmp")
        apply_rlimits(limits, limit_processes=limit_processes)
        torch.set_num_threads(threads)
        sub = Submission(submission)
        before = integrity.Snapshot()
        # bound now, so that student code rebinding them cannot change how answers are sent
        send, receive, changes, dumps, loads = send_frame, recv_frame, before.changes, json.dumps, json.loads
        while True:
            text, blob = receive(channel)
            reply, out_blob = _answer(sub, loads(text), blob, limits)
            tampered = changes()
            if tampered:
                reply, out_blob = {"tampered": tampered}, b""
            send(channel, dumps(reply), out_blob)
    except ChannelClosed:
        pass
    finally:
        os._exit(0)
