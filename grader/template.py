"""The template: a process with torch and the probes already imported, that forks workers.

Started once per submission by the judge (inside the sandbox where one is available), it
never loads student code itself. Over its control socket it takes three requests:
``spawn`` (fork a worker and hand the judge its channel), ``kill`` and ``reap``. It also
drains what workers print into ``output.log``, up to the output limit, and drops the rest.
"""

from __future__ import annotations

import ctypes
import json
import os
import selectors
import signal
import socket
import sys
from pathlib import Path
from typing import Any, BinaryIO

from grader.limits import Limits, MiB

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (a ``kill -9`` of the judge)."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def preload() -> None:
    """Import what probes and student code commonly need, so workers start in milliseconds."""
    import PIL.Image
    import torch
    import torch._dynamo  # noqa: F401 - imported by the first optimizer; costly in every worker otherwise
    import torchsummary  # noqa: F401
    import torchvision.transforms  # noqa: F401
    from torch.utils.tensorboard import SummaryWriter  # noqa: F401

    import grader.probes  # noqa: F401 - every probe module
    import grader.worker  # noqa: F401

    PIL.Image.init()
    torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)


class Template:
    def __init__(self, control: socket.socket, config: dict[str, Any]) -> None:
        self.control = control
        self.scratch = Path(config["scratch"])
        self.limits = Limits(**config["limits"])
        self.threads = int(config["threads"])
        self.limit_processes = bool(config["limit_processes"])
        self.selector = selectors.DefaultSelector()
        self.selector.register(control, selectors.EVENT_READ)
        self.log: BinaryIO = open(self.scratch / "output.log", "ab")  # noqa: SIM115 - lives as long as the template
        self.logged = 0

    def run(self) -> None:
        while True:
            for key, _ in self.selector.select():
                if key.fileobj is self.control:
                    message = self.control.recv(65536)
                    if not message:
                        return
                    self.handle(json.loads(message))
                else:
                    self.drain(key.fd)

    def drain(self, fd: int) -> None:
        try:
            data = os.read(fd, 1 << 16)
        except BlockingIOError:
            return
        if not data:
            self.selector.unregister(fd)
            os.close(fd)
            return
        room = self.limits.output_mb * MiB - self.logged
        if room > 0:
            self.log.write(data[:room])
            self.log.flush()
        self.logged += len(data)

    def reply(self, message: dict[str, Any], fds: list[int] | None = None) -> None:
        socket.send_fds(self.control, [json.dumps(message).encode()], fds or [])

    def handle(self, request: dict[str, Any]) -> None:
        op = request["op"]
        if op == "spawn":
            self.spawn()
        elif op == "kill":
            for kill in (os.killpg, os.kill):
                try:
                    kill(request["pid"], signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            self.reply({"killed": request["pid"]})
        elif op == "reap":
            _, status = os.waitpid(request["pid"], 0)
            self.reply({"exit": os.waitstatus_to_exitcode(status)})

    def spawn(self) -> None:
        judge_end, worker_end = socket.socketpair()
        read_out, write_out = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                self.control.close()
                judge_end.close()
                os.close(read_out)
                devnull = os.open(os.devnull, os.O_RDONLY)
                os.dup2(devnull, 0)
                os.dup2(write_out, 1)
                os.dup2(write_out, 2)
                die_with_parent()
                from grader.worker import serve

                serve(worker_end, self.scratch / "submission", self.limits, self.threads, self.limit_processes)
            finally:
                os._exit(70)
        worker_end.close()
        os.close(write_out)
        os.set_blocking(read_out, False)
        self.selector.register(read_out, selectors.EVENT_READ)
        self.reply({"pid": pid}, [judge_end.fileno()])
        judge_end.close()


def main() -> None:
    control_fd, config = int(sys.argv[1]), json.loads(sys.argv[2])
    die_with_parent()
    os.chdir(config["scratch"])
    preload()
    control = socket.socket(fileno=control_fd)
    control.send(b'{"ready": true}')
    Template(control, config).run()


if __name__ == "__main__":
    main()
