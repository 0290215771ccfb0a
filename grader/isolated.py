"""The judge's side of isolated grading: one template per submission, one worker per exercise.

The template is started (fenced in by :mod:`grader.sandbox`) as soon as the runner is
made, so its imports overlap with other work. Each probe goes to the worker of its
exercise over a channel; a probe past its wall-clock limit gets its worker killed, a
worker that dies is noticed at the end of its channel, and after ``strikes`` of these in
one exercise its remaining checks fail at once instead of waiting again.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from grader import wire
from grader.channel import ChannelClosed, recv_frame, send_frame
from grader.errors import StudentError
from grader.limits import Limits
from grader.sandbox import Cgroup, Sandbox

TEMPLATE_MB = 2048  # what the template itself may use, beside the workers' allowance
START_SECONDS = 180.0
SUBMISSION_FILE_BYTES = 1024 * 1024


def make_scratch(folder: Path, root: Path) -> Path:
    """A fresh scratch folder under ``root`` with a copy of the submission's ``.py`` files.

    Only regular top-level ``.py`` files up to 1 MiB are copied (no links, no folders, no
    ``conftest.py``/``sitecustomize.py``/``.pth``: nothing the worker would ever load).
    """
    scratch = Path(tempfile.mkdtemp(prefix=f"{folder.name[:40]}-", dir=root))
    target = scratch / "submission"
    target.mkdir()
    (scratch / "tmp").mkdir()
    for path in sorted(folder.glob("*.py")):
        if path.is_file() and not path.is_symlink() and path.stat().st_size <= SUBMISSION_FILE_BYTES \
                and path.name not in ("conftest.py", "sitecustomize.py", "usercustomize.py"):
            shutil.copyfile(path, target / path.name)
    return scratch


class TemplateFailed(RuntimeError):
    """The template could not start: a problem of this machine, not of the submission."""


class Template:
    """The judge's handle on one template process."""

    def __init__(self, scratch: Path, sandbox: Sandbox, limits: Limits, threads: int, gpu: bool) -> None:
        self.cgroup = Cgroup.create(limits, TEMPLATE_MB) if sandbox.cgroups else None
        self.log = scratch / "template.log"
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        config = {"scratch": str(scratch), "limits": limits.to_json(), "threads": threads,
                  "limit_processes": not sandbox.is_root and not self.cgroup}
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(scratch),
               "TMPDIR": str(scratch / "tmp"), "LANG": "C.UTF-8", "OMP_NUM_THREADS": str(threads),
               "MPLCONFIGDIR": str(scratch / "tmp")}
        if "CUDA_VISIBLE_DEVICES" in os.environ:
            env["CUDA_VISIBLE_DEVICES"] = os.environ["CUDA_VISIBLE_DEVICES"]
        command = [*sandbox.command(scratch, gpu), sys.executable, "-I", "-m", "grader.template",
                   str(theirs.fileno()), json.dumps(config)]
        self.process = subprocess.Popen(
            command, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=open(self.log, "wb"), env=env, cwd=scratch,  # noqa: SIM115
            preexec_fn=lambda: sandbox.before_exec(self.cgroup),
        )
        theirs.close()
        self.ready = False

    def request(self, message: dict[str, Any], timeout: float = 30.0) -> tuple[dict[str, Any], list[int]]:
        if not self.ready:
            self._receive(START_SECONDS)
            self.ready = True
        self.control.send(json.dumps(message).encode())
        return self._receive(timeout)

    def _receive(self, timeout: float) -> tuple[dict[str, Any], list[int]]:
        if not select.select([self.control], [], [], timeout)[0]:
            raise ChannelClosed("the template did not answer in time")
        data, fds, _, _ = socket.recv_fds(self.control, 65536, 1)
        if not data:
            raise ChannelClosed("the template exited")
        return json.loads(data), fds

    def log_tail(self) -> str:
        """The end of what the template printed, to explain a failed start."""
        try:
            return self.log.read_text(errors="replace")[-2000:] or "(it printed nothing)"
        except OSError:
            return "(no log)"

    def close(self) -> None:
        self.control.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.cgroup:
            self.cgroup.remove()


class Worker:
    """A live worker: its process id (in the template's namespace) and its channel."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self.channel = socket.socket(fileno=fd)


class WorkerRunner:
    """Runs each probe in an isolated worker process (``grader grade``)."""

    def __init__(self, folder: Path, sandbox: Sandbox, limits: Limits, *, threads: int = 1, gpu: bool = False) -> None:
        self.folder = Path(folder)
        self.sandbox, self.limits, self.threads, self.gpu = sandbox, limits, threads, gpu
        self.scratch = make_scratch(self.folder, sandbox.scratch_root)
        self.template: Template | None = None
        self.worker: Worker | None = None
        self.scope: str | None = None
        self.strikes: dict[str, int] = {}
        self._start_template()

    def _start_template(self) -> None:
        self.template = Template(self.scratch, self.sandbox, self.limits, self.threads, self.gpu)

    def _worker(self, scope: str) -> Worker:
        if self.worker is not None and self.scope != scope:
            self._retire()
        if self.worker is None:
            try:
                reply, fds = self.template.request({"op": "spawn"})
            except (ChannelClosed, OSError):
                if not self.template.ready:
                    raise TemplateFailed(self.template.log_tail()) from None
                self.template.close()  # it died under a worker (a signal to its parent, say): start anew
                self._start_template()
                reply, fds = self.template.request({"op": "spawn"})
            self.worker, self.scope = Worker(reply["pid"], fds[0]), scope
        return self.worker

    def _retire(self, kill: bool = False) -> str:
        """End the current worker; how it ended, in words."""
        worker, self.worker = self.worker, None
        if worker is None:
            return ""
        worker.channel.close()
        try:
            if kill:
                self.template.request({"op": "kill", "pid": worker.pid})
            code = self.template.request({"op": "reap", "pid": worker.pid}, timeout=10)[0]["exit"]
        except (ChannelClosed, OSError):
            return "its template process died"
        return describe_exit(code)

    def probe(self, name: str, device: str, inputs: dict[str, Any], scope: str = "") -> Any:
        if self.strikes.get(scope, 0) >= self.limits.strikes:
            raise StudentError("skipped", scope)
        text, blob = wire.encode(inputs)
        worker = self._worker(scope)
        try:
            send_frame(worker.channel, json.dumps({"probe": name, "device": device, "inputs": text}), blob)
            if not select.select([worker.channel], [], [], self.limits.probe_seconds)[0]:
                self._strike(scope, kill=True)
                raise StudentError("timeout", name, message=f"limit {self.limits.probe_seconds:g} s")
            reply_text, reply_blob = recv_frame(worker.channel)
        except (ChannelClosed, OSError):
            how = self._strike(scope, kill=True)
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

    def _strike(self, scope: str, kill: bool) -> str:
        self.strikes[scope] = self.strikes.get(scope, 0) + 1
        return self._retire(kill=kill)

    def close(self) -> None:
        self._retire()
        if self.template:
            self.template.close()
        shutil.rmtree(self.scratch, ignore_errors=True)


def describe_exit(code: int) -> str:
    """An exit status in words: ``exit code 3``, ``killed by SIGKILL``."""
    if code >= 0:
        return f"exit code {code}"
    import signal

    try:
        return f"killed by {signal.Signals(-code).name}"
    except ValueError:
        return f"killed by signal {-code}"
