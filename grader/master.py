"""Starting the master template, with nothing heavier than the standard library.

The master is the one process per batch that imports torch and the probes for the
workers; see :class:`Master` for its two ways of starting.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from grader.channel import ChannelClosed

START_SECONDS = 300.0


class TemplateFailed(RuntimeError):
    """The master template could not start: a problem of this machine, not of a submission."""


def receive(control: socket.socket, timeout: float) -> tuple[dict[str, Any], list[int]]:
    if not select.select([control], [], [], timeout)[0]:
        raise ChannelClosed("no answer in time")
    data, fds, _, _ = socket.recv_fds(control, 65536, 1)
    if not data:
        raise ChannelClosed("the template exited")
    return json.loads(data), fds


def _nothing_secret_loaded() -> bool:
    """Whether this process has loaded no check and no submission (safe to fork a master from)."""
    return not any(name.startswith(("_grader_checks", "_submission")) for name in sys.modules)


class Master:
    """The batch's master template and its scratch root.

    Two ways to start it. By default a fresh interpreter, which imports torch and the
    probes while the judge imports its own modules. With ``fork=True``, a fork of the
    calling process, which should already have imported them (``template.preload``); a
    process that has loaded a check or a submission gets a fresh interpreter instead, so
    nothing secret is ever copied into a worker. ``grader grade`` forks it before loading
    any check, so torch is imported once, not twice.
    """

    def __init__(self, *, fork: bool = False) -> None:
        self.scratch_root = Path(tempfile.mkdtemp(prefix="grader-scratch-"))
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.log = self.scratch_root / "master.log"
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.scratch_root),
               "LANG": "C.UTF-8", "OMP_NUM_THREADS": "1"}
        env.update({k: v for k, v in os.environ.items() if k == "CUDA_VISIBLE_DEVICES"})
        if fork and _nothing_secret_loaded():
            self.pid = os.fork()
            if self.pid == 0:
                self._become_master(theirs, env)
        else:
            self.pid = subprocess.Popen(
                [sys.executable, "-I", "-m", "grader.template", str(theirs.fileno())], pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(self.log, "wb"),  # noqa: SIM115
                env=env, cwd=self.scratch_root).pid
        theirs.close()
        self.lock = threading.Lock()
        self.ready = False

    def _become_master(self, theirs: socket.socket, env: dict[str, str]) -> None:
        """In the forked child: a clean environment, output to the log, then serve; never returns."""
        try:
            self.control.close()
            os.environ.clear()
            os.environ.update(env)
            os.chdir(self.scratch_root)
            log = os.open(self.log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(os.open(os.devnull, os.O_RDWR), 0)
            os.dup2(log, 1)
            os.dup2(log, 2)
            from grader.template import run_master

            run_master(theirs)
        finally:
            os._exit(0)

    def open(self, config: dict[str, Any]) -> tuple[int, socket.socket]:
        """Fork a fenced submission template; its pid (here) and control socket."""
        with self.lock:
            try:
                if not self.ready:
                    receive(self.control, START_SECONDS)
                    self.ready = True
                self.control.send(json.dumps(config).encode())
                answer, fds = receive(self.control, 60)
            except (ChannelClosed, OSError) as err:
                raise TemplateFailed(f"{err}\n{self._log_tail()}") from None
        return answer["pid"], socket.socket(fileno=fds[0])

    def _log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def close(self) -> None:
        """End the master (it ends its submission templates) and remove the scratch root."""
        self.control.close()
        deadline = time.monotonic() + 10
        while os.waitpid(self.pid, os.WNOHANG)[0] == 0:
            if time.monotonic() > deadline:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
                break
            time.sleep(0.01)
        shutil.rmtree(self.scratch_root, ignore_errors=True)


@contextlib.contextmanager
def preloaded_master() -> Iterator[Master]:
    """Import torch and the probes here (the judge needs them too), then fork the master from
    this process before any check or solution is loaded; closed on leaving."""
    from grader.template import preload  # imports torch: only when a master is wanted

    preload()
    master = Master(fork=True)
    try:
        yield master
    finally:
        master.close()
