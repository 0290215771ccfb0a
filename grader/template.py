"""Template processes: torch already imported, forking what runs student code.

One *master* per batch, started by the judge, imports torch and every probe and never
loads student code. For each submission it forks a *submission template*, which fences
itself in (:mod:`grader.sandbox`) and becomes PID 1 of its own namespace; that one forks a
*worker* per exercise. So a submission costs a fork, and a worker a fork, not a fresh
interpreter. Both kinds of template answer one small JSON request at a time on a control
socket and hand channels over with ``SCM_RIGHTS``.

Master requests: ``open`` → a submission template's control socket. Submission-template
requests: ``spawn`` → a worker's channel; ``kill``; ``reap``. Submission templates also
drain what their workers print into ``output.log``, up to the output limit.
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
from grader.sandbox import Cgroup, Fence

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36


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


def reply(control: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    socket.send_fds(control, [json.dumps(message).encode()], fds or [])


def _child(body: Any) -> int:
    """Fork; run ``body()`` in the child, which never returns; the child's pid."""
    pid = os.fork()
    if pid == 0:
        try:
            die_with_parent()
            body()
        finally:
            os._exit(70)
    return pid


class SubmissionTemplate:
    """PID 1 of one submission's namespace: forks its workers and drains their output."""

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
        self.exits: dict[int, int] = {}  # exit codes of workers reaped so far

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
            self.reap_ended()

    def reap_ended(self) -> None:
        """Collect the exit codes of workers that have ended, without waiting."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.exits[pid] = os.waitstatus_to_exitcode(status)

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
            reply(self.control, {"killed": request["pid"]})
        elif op == "reap":
            pid = request["pid"]
            if pid not in self.exits:
                self.exits[pid] = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
            reply(self.control, {"exit": self.exits.pop(pid)})

    def spawn(self) -> None:
        judge_end, worker_end = socket.socketpair()
        read_out, write_out = os.pipe()

        def work() -> None:
            self.control.close()
            judge_end.close()
            os.close(read_out)
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            os.dup2(write_out, 1)
            os.dup2(write_out, 2)
            from grader.worker import serve

            serve(worker_end, self.scratch / "submission", self.limits, self.threads, self.limit_processes)

        pid = _child(work)
        worker_end.close()
        os.close(write_out)
        os.set_blocking(read_out, False)
        self.selector.register(read_out, selectors.EVENT_READ)
        reply(self.control, {"pid": pid}, [judge_end.fileno()])
        judge_end.close()


def open_submission(config: dict[str, Any], control: socket.socket) -> None:
    """In a fresh child of the master: join the cgroup, fence in, fork PID 1, wait for it."""
    if config["cgroup"]:
        Cgroup([Path(p) for p in config["cgroup"]]).enter()
    fence = Fence(config["fence"]["scratch"], tuple(config["fence"]["hide"])) if config["fence"] else None
    if fence:
        fence.enter()
    os.chdir(config["scratch"])

    def pid_one() -> None:
        if fence:
            fence.finish()
        SubmissionTemplate(control, config).run()

    pid = _child(pid_one)
    control.close()
    _, status = os.waitpid(pid, 0)
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def serve_master(control: socket.socket) -> None:
    """Answer ``open`` requests until the judge closes the control socket."""
    while True:
        message = control.recv(65536)
        if not message:
            return
        config = json.loads(message)
        judge_end, template_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)

        def start() -> None:
            control.close()
            judge_end.close()
            open_submission(config, template_end)

        pid = _child(start)
        template_end.close()
        reply(control, {"pid": pid}, [judge_end.fileno()])
        judge_end.close()
        while True:  # reap submission templates that have ended
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    break
            except ChildProcessError:
                break


def run_master(control: socket.socket) -> None:
    """Be the master: preload, say so, serve ``open`` requests, then wait for every child.

    As a child subreaper it also adopts, and so reaps, any process orphaned below it.
    """
    die_with_parent()
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    preload()
    control.send(b'{"ready": true}')
    serve_master(control)
    while True:  # leave no submission template behind
        try:
            os.wait()
        except ChildProcessError:
            break


def main() -> None:
    run_master(socket.socket(fileno=int(sys.argv[1])))


if __name__ == "__main__":
    main()
