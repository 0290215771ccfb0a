"""Starting the master template, with nothing heavier than the standard library.

``grader grade`` starts it before importing torch itself, so that the master's imports
(torch, torchvision, TensorBoard, the probes) overlap the judge's own start-up.
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
import threading
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


class Master:
    """The batch's master template and its scratch root.

    Start it first: it imports torch while the judge imports its own modules.
    """

    def __init__(self) -> None:
        self.scratch_root = Path(tempfile.mkdtemp(prefix="grader-scratch-"))
        scratch_root = self.scratch_root
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.log = scratch_root / "master.log"
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(scratch_root),
               "LANG": "C.UTF-8", "OMP_NUM_THREADS": "1"}
        env.update({k: v for k, v in os.environ.items() if k == "CUDA_VISIBLE_DEVICES"})
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-m", "grader.template", str(theirs.fileno())], pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(self.log, "wb"),  # noqa: SIM115
            env=env, cwd=scratch_root)
        theirs.close()
        self.lock = threading.Lock()
        self.ready = False

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
        self.control.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.scratch_root, ignore_errors=True)
