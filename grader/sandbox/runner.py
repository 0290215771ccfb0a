"""The judge's side of isolated grading: one submission, its template, a fresh worker per check.

:class:`SandboxRunner` hands the submission's files to the master (which forks a fenced
template holding them), puts the template in the submission's cgroup before it forks
anything, then asks it for a new worker at the start of every check and retires that worker
(and all it started) when the check ends. Each answer must arrive, whole, before one
deadline and under a size cap, and is read by :mod:`grader.sandbox.answers`. A time-out or
crash counts a strike against the exercise; after ``strikes`` of them its remaining checks
fail at once instead of waiting again.
"""

from __future__ import annotations

import collections
import json
import os
import re
import signal
import socket
import struct
import time
from pathlib import Path
from typing import Any

from grader.errors import StudentError
from grader.probing import wire
from grader.sandbox.answers import read_answer, untrusted
from grader.sandbox.cgroups import Cgroup
from grader.sandbox.channel import AnswerLate, AnswerTooLarge, ChannelClosed, recv_frame, send_frame
from grader.sandbox.limits import Limits, MiB
from grader.sandbox.master import Master, TemplateFailed, receive
from grader.sandbox.measures import describe

TEMPLATE_MB = 2048  # what a submission's template may use, beside its workers' allowance
SUBMISSION_FILE_BYTES = 1024 * 1024
NEVER_LOADED = ("conftest.py", "sitecustomize.py", "usercustomize.py")
_MODULE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,99}\.py")


def submission_files(folder: Path) -> dict[str, bytes]:
    """The files a submission is graded on: its regular top-level ``.py`` files up to 1 MiB,
    read here; no links, no folders, none of the files Python or pytest would load by themselves."""
    found = {}
    for path in sorted(Path(folder).iterdir()):
        if _MODULE_NAME.fullmatch(path.name) and path.name not in NEVER_LOADED and not path.is_symlink() \
                and path.is_file() and path.stat().st_size <= SUBMISSION_FILE_BYTES:
            found[path.name] = path.read_bytes()
    return found


class TemplateHandle:
    """The judge's handle on one submission's template: its control socket and its cgroup."""

    def __init__(self, master: Master, files: dict[str, bytes], limits: Limits, threads: int, cpus: float) -> None:
        self.cgroup = Cgroup.create(limits, cpus, TEMPLATE_MB)
        config = {"limits": limits.to_json(), "threads": threads, "as_nobody": master.as_nobody}
        try:
            self.control = master.open(config, files)
            pid = self._hello()
            if self.cgroup:
                self.cgroup.add(pid)
            self.control.send(b'{"go": true}')
            ready, _ = receive(self.control, 60)
        except (TemplateFailed, OSError):
            self.close()
            raise
        self.facts: dict[str, Any] = ready.get("ready", {}) if isinstance(ready.get("ready"), dict) else {}
        self.pending: collections.deque[str] = collections.deque()
        self.replies: collections.defaultdict[str, collections.deque[tuple[dict[str, Any], list[int]]]] = \
            collections.defaultdict(collections.deque)

    def _hello(self) -> int:
        """The template's first message; its process id, as the kernel vouches for it."""
        message, ancillary, _, _ = self.control.recvmsg(256, socket.CMSG_SPACE(12))
        self.control.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 0)  # later messages carry descriptors
        for level, kind, data in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS and message:
                return int(struct.unpack("iII", data[:12])[0])
        raise TemplateFailed("模板进程没有报到", "the template did not say hello")

    def post(self, op: str, *, wanted: bool = True, **fields: Any) -> None:
        """Send request ``op`` without waiting; :meth:`answer` collects its reply later (unless not ``wanted``)."""
        self.control.send(json.dumps({"op": op, **fields}).encode())
        self.pending.append(op if wanted else "")

    def answer(self, op: str, timeout: float = 30.0) -> tuple[dict[str, Any], list[int]]:
        """The reply to the oldest pending ``op`` request (replies come in the order of the requests)."""
        while not self.replies[op]:
            if not self.pending:
                raise TemplateFailed(f"没有待答复的 {op} 请求", f"no {op} request is pending")
            sent, (reply, fds) = self.pending.popleft(), receive(self.control, timeout)
            if sent:
                self.replies[sent].append((reply, fds))
            else:
                for fd in fds:
                    os.close(fd)
        return self.replies[op].popleft()

    def close(self) -> None:
        """End the template and every process of the submission; remove its cgroup once empty."""
        for reply in getattr(self, "replies", {}).values():
            for _, fds in reply:
                for fd in fds:
                    os.close(fd)
        control = getattr(self, "control", None)
        if control is not None:
            control.close()  # PID 1 exits, and with it every process of its namespace
        if self.cgroup:
            self.cgroup.remove()


class Worker:
    """A live worker: its process id (in its namespace) and its channel."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self.channel = socket.socket(fileno=fd)


class SandboxRunner:
    """Runs each check's probes in a fresh isolated worker (``grader grade``)."""

    def __init__(self, folder: Path, master: Master, limits: Limits, *, threads: int = 1, cpus: float = 1.0) -> None:
        self.master, self.limits, self.threads, self.cpus = master, limits, threads, cpus
        self.files = submission_files(folder)
        self.template = self._open()
        self.worker: Worker | None = None
        self.check_id: str | None = None
        self.strikes: dict[str, int] = {}

    def _open(self) -> TemplateHandle:
        return TemplateHandle(self.master, self.files, self.limits, self.threads, self.cpus)

    def source(self, module: str) -> str | None:
        """The text of the submission's ``module``, as the judge read it (None if absent)."""
        data = self.files.get(f"{module}.py")
        return data.decode("utf-8", errors="replace") if data is not None else None

    def _worker(self, check_id: str) -> Worker:
        if self.worker is not None and self.check_id != check_id:
            self.check_done()
        if self.worker is None:
            try:
                if "spawn" not in self.template.pending and not self.template.replies["spawn"]:
                    self.template.post("spawn")
                reply, fds = self.template.answer("spawn")
            except (TemplateFailed, OSError):  # the template died under a worker: open a new one
                self.template.close()
                self.template = self._open()
                self.template.post("spawn")
                reply, fds = self.template.answer("spawn")
            if len(fds) != 1 or type(reply.get("pid")) is not int:
                raise TemplateFailed("模板进程没有送来工作进程", "the template sent no worker")
            self.worker, self.check_id = Worker(reply["pid"], fds[0]), check_id
        return self.worker

    def check_done(self, describe: bool = False) -> str:
        """Retire the current worker and whatever it started, having the next check's worker
        handed out first; with ``describe``, wait and say how the retired one ended."""
        worker, self.worker = self.worker, None
        if worker is None:
            return ""
        worker.channel.close()
        try:
            self.template.post("spawn")
            self.template.post("retire", pid=worker.pid, wanted=describe)
            code = self.template.answer("retire")[0].get("exit") if describe else None
        except (TemplateFailed, OSError):
            return "its template process ended"
        return describe_exit(code) if type(code) is int else ""

    def probe(self, name: str, device: str, inputs: dict[str, Any], check_id: str = "") -> Any:
        exercise = check_id.split(".")[0]
        if self.strikes.get(exercise, 0) >= self.limits.strikes:
            raise StudentError("skipped", exercise)
        text, blob = wire.encode(inputs)
        worker = self._worker(check_id)
        try:
            send_frame(worker.channel, json.dumps({"probe": name, "device": device, "inputs": text}), blob)
            answer = recv_frame(worker.channel, deadline=time.monotonic() + self.limits.probe_seconds,
                                limit=self.limits.answer_mb * MiB)
        except AnswerLate:
            self._strike(exercise)
            raise StudentError("timeout", name, message=f"limit {self.limits.probe_seconds:g} s") from None
        except AnswerTooLarge as err:
            self.check_done()
            raise untrusted(name, str(err)) from None
        except UnicodeDecodeError:
            self.check_done()
            raise untrusted(name, "a text that is not UTF-8") from None
        except (ChannelClosed, OSError):
            how = self._strike(exercise)
            raise StudentError("crashed", name, message=how) from None
        return read_answer(name, *answer)

    def _strike(self, exercise: str) -> str:
        self.strikes[exercise] = self.strikes.get(exercise, 0) + 1
        return self.check_done(describe=True)

    def measures(self, device: str, gpu_slots: int) -> list[str]:
        """The isolation in force for this submission, in words."""
        return describe(fenced_root=self.master.root_missing, facts=self.template.facts,
                        cgroup=self.template.cgroup is not None, limits=self.limits, cpus=self.cpus,
                        device=device, gpu_slots=gpu_slots)

    def close(self) -> None:
        self.check_done()
        self.template.close()


def describe_exit(code: int) -> str:
    """An exit status in words: ``exit code 3``, ``killed by SIGKILL``."""
    if code >= 0:
        return f"exit code {code}"
    try:
        return f"killed by {signal.Signals(-code).name}"
    except ValueError:
        return f"killed by signal {-code}"
