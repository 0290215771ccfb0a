"""The judge's side of isolated grading.

A :class:`Master` (one template process per batch, torch imported once) opens a fenced
submission template per submission; a :class:`WorkerRunner` asks that template for one
worker per exercise and sends it the probes. A probe past its wall-clock limit gets its
worker killed, a worker that dies is noticed at the end of its channel, and after
``strikes`` of these in one exercise its remaining checks fail at once instead of waiting
again.
"""

from __future__ import annotations

import json
import select
import shutil
import signal
import socket
import tempfile
from pathlib import Path
from typing import Any

from grader import wire
from grader.channel import ChannelClosed, recv_frame, send_frame
from grader.errors import StudentError
from grader.limits import Limits
from grader.master import Master, receive
from grader.sandbox import Cgroup, Sandbox

TEMPLATE_MB = 2048  # what a submission's template may use, beside its workers' allowance
SUBMISSION_FILE_BYTES = 1024 * 1024
NEVER_LOADED = ("conftest.py", "sitecustomize.py", "usercustomize.py")


def make_scratch(folder: Path, root: Path) -> Path:
    """A fresh scratch folder under ``root`` with a copy of the submission's ``.py`` files.

    Only regular top-level ``.py`` files up to 1 MiB are copied: no links, no folders, none
    of the files Python or pytest would load by themselves.
    """
    scratch = Path(tempfile.mkdtemp(prefix=f"{folder.name[:40]}-", dir=root))
    (scratch / "submission").mkdir()
    (scratch / "tmp").mkdir()
    for path in sorted(folder.glob("*.py")):
        if path.is_file() and not path.is_symlink() and path.name not in NEVER_LOADED \
                and path.stat().st_size <= SUBMISSION_FILE_BYTES:
            shutil.copyfile(path, scratch / "submission" / path.name)
    return scratch


class SubmissionTemplate:
    """The judge's handle on one submission's template (PID 1 of its namespace)."""

    def __init__(self, master: Master, sandbox: Sandbox, scratch: Path, limits: Limits, threads: int) -> None:
        self.cgroup = Cgroup.create(limits, TEMPLATE_MB) if sandbox.cgroups else None
        fence = sandbox.fence(scratch)
        config = {
            "scratch": str(scratch), "limits": limits.to_json(), "threads": threads,
            "limit_processes": not sandbox.is_root, "fence": fence and {"scratch": fence.scratch, "hide": fence.hide},
            "cgroup": [str(p) for p in self.cgroup.folders] if self.cgroup else None,
        }
        _, self.control = master.open(config)

    def request(self, message: dict[str, Any], timeout: float = 30.0) -> tuple[dict[str, Any], list[int]]:
        self.control.send(json.dumps(message).encode())
        return receive(self.control, timeout)

    def close(self) -> None:
        self.control.close()  # PID 1 exits, and with it every process of the namespace
        if self.cgroup:
            self.cgroup.remove()


class Worker:
    """A live worker: its process id (in its namespace) and its channel."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self.channel = socket.socket(fileno=fd)


class WorkerRunner:
    """Runs each probe in an isolated worker process (``grader grade``)."""

    def __init__(self, folder: Path, master: Master, sandbox: Sandbox, limits: Limits, *, threads: int = 1) -> None:
        self.master, self.sandbox, self.limits, self.threads = master, sandbox, limits, threads
        self.scratch = make_scratch(Path(folder), sandbox.scratch_root)
        self.template = self._open()
        self.worker: Worker | None = None
        self.scope: str | None = None
        self.strikes: dict[str, int] = {}

    def _open(self) -> SubmissionTemplate:
        return SubmissionTemplate(self.master, self.sandbox, self.scratch, self.limits, self.threads)

    def _worker(self, scope: str) -> Worker:
        if self.worker is not None and self.scope != scope:
            self._retire()
        if self.worker is None:
            try:
                reply, fds = self.template.request({"op": "spawn"})
            except (ChannelClosed, OSError):  # the template died under a worker: open a new one
                self.template.close()
                self.template = self._open()
                reply, fds = self.template.request({"op": "spawn"})
            self.worker, self.scope = Worker(reply["pid"], fds[0]), scope
        return self.worker

    def _retire(self, describe: bool = False) -> str:
        """End the current worker and whatever it started; with ``describe``, how it ended."""
        worker, self.worker = self.worker, None
        if worker is None:
            return ""
        worker.channel.close()
        try:
            self.template.request({"op": "kill", "pid": worker.pid})
            if not describe:
                return ""
            code = self.template.request({"op": "reap", "pid": worker.pid}, timeout=10)[0]["exit"]
        except (ChannelClosed, OSError):
            return "its template process ended"
        return describe_exit(code)

    def probe(self, name: str, device: str, inputs: dict[str, Any], scope: str = "") -> Any:
        if self.strikes.get(scope, 0) >= self.limits.strikes:
            raise StudentError("skipped", scope)
        text, blob = wire.encode(inputs)
        worker = self._worker(scope)
        try:
            send_frame(worker.channel, json.dumps({"probe": name, "device": device, "inputs": text}), blob)
            if not select.select([worker.channel], [], [], self.limits.probe_seconds)[0]:
                self._strike(scope)
                raise StudentError("timeout", name, message=f"limit {self.limits.probe_seconds:g} s")
            reply_text, reply_blob = recv_frame(worker.channel)
        except (ChannelClosed, OSError):
            how = self._strike(scope)
            raise StudentError("crashed", name, message=how) from None
        try:
            reply = json.loads(reply_text)
            if "error" in reply:
                error = StudentError.from_json(reply["error"])
            elif "tampered" in reply:
                error = StudentError("tampered", name, message=", ".join(map(str, reply["tampered"])))
            else:
                return wire.decode(reply["observed"], reply_blob)
        except Exception as exc:  # noqa: BLE001 - a garbled answer is the submission's doing
            error = StudentError("tampered", name, message=f"unreadable answer ({type(exc).__name__})")
        raise error

    def _strike(self, scope: str) -> str:
        self.strikes[scope] = self.strikes.get(scope, 0) + 1
        return self._retire(describe=True)

    def close(self) -> None:
        self._retire()
        self.template.close()
        shutil.rmtree(self.scratch, ignore_errors=True)


def describe_exit(code: int) -> str:
    """An exit status in words: ``exit code 3``, ``killed by SIGKILL``."""
    if code >= 0:
        return f"exit code {code}"
    try:
        return f"killed by {signal.Signals(-code).name}"
    except ValueError:
        return f"killed by signal {-code}"
