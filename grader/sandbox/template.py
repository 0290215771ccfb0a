"""Inside the fence: the master, and the submission templates it forks.

``python -I -m grader.sandbox.template FD MODE`` is the *master*, started by the judge
(:mod:`grader.sandbox.master`): told the course's root, chapters and preloads in its first
message, it imports torch and every probe once, never loads student code, and for each ``open``
request forks a *submission template*. MODE is ``fenced`` (under bubblewrap: each template
builds its own namespaces, :mod:`grader.sandbox.fence`) or ``plain`` (no namespaces here: files
on disk, workers as an unprivileged user where possible). A template forks one *worker* per
check; the worker answers that check's probes and is then retired with everything it started.

Protocols (JSON messages on SOCK_SEQPACKET sockets, descriptors passed with SCM_RIGHTS):
master ← judge ``{"op": "open", "config": …}`` + the submission's files (a memfd), →
``{"opened": true}`` + the template's control socket. Template → judge ``{"hello": …}``
(the kernel attaches its process id, so the judge can put it in its cgroup), ← ``{"go":
true}``, → ``{"ready": measures}``; then ← ``spawn`` → ``{"pid"}`` + the worker's channel;
← ``retire`` → ``{"exit"}``. The judge closing the control socket ends the template and,
with it, every process of the submission.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import gc
import importlib
import json
import os
import select
import selectors
import signal
import socket
import sys
from pathlib import Path
from typing import Any

from grader.sandbox import fence, seccomp
from grader.sandbox.limits import Limits

PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER = 1, 36
FILES_BYTES = 64 * 1024 * 1024


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (a ``kill -9`` of the judge)."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def preload(root: str, chapters: list[str], modules: list[str]) -> None:
    """Import torch, the course's chapter probes and what its manifest says student code commonly
    needs (``modules``), so that workers start in milliseconds."""
    import torch
    import torch._dynamo  # imported by the first optimizer; costly in every worker otherwise

    import grader.sandbox.worker  # noqa: F401

    if root not in sys.path:
        sys.path.insert(0, root)  # the course's own chapters
    for name in [*modules, *(f"chapters.{chapter}.probes" for chapter in chapters)]:
        importlib.import_module(name)
    if "PIL.Image" in sys.modules:
        sys.modules["PIL.Image"].init()  # every image plugin, now rather than in each worker
    seccomp._library()  # finds libseccomp now, while the tools to find it are at hand
    torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)


def send(control: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    socket.send_fds(control, [json.dumps(message).encode()], fds or [])


def receive(control: socket.socket) -> tuple[dict[str, Any], list[int]]:
    data, fds, _, _ = socket.recv_fds(control, 65536, 4)
    if not data:
        raise EOFError
    return json.loads(data), fds


def close_all_but(*keep: int) -> None:
    """Close every descriptor of this process but ``keep``."""
    for fd in sorted({int(n) for n in os.listdir("/proc/self/fd")} - set(keep)):
        with contextlib.suppress(OSError):
            os.close(fd)


def _read_files(fd: int) -> dict[str, bytes]:
    with os.fdopen(fd, "rb") as bundle:
        data = json.loads(bundle.read(FILES_BYTES))
    return {name: bytes.fromhex(text) for name, text in data.items()}


def _reap(pid: int, seconds: float) -> int | None:
    """Wait up to ``seconds`` for child ``pid`` to end; its exit code, or None if it did not."""
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return None
    try:
        if not select.select([handle], [], [], seconds)[0]:
            return None
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    except ChildProcessError:
        return None
    finally:
        os.close(handle)


class SubmissionTemplate:
    """Hands out one worker at a time for a submission, retires it, and drains what workers print.

    A *spare* worker is always forked ahead (from this process, which never ran student
    code), so a new check finds its worker waiting, already warmed up.
    """

    def __init__(self, control: socket.socket, config: dict[str, Any], scratch: Path, fenced: bool) -> None:
        self.control, self.scratch, self.fenced = control, scratch, fenced
        self.limits = Limits(**config["limits"])
        self.threads = int(config["threads"])
        self.as_nobody = bool(config.get("as_nobody"))
        self.selector = selectors.DefaultSelector()
        self.selector.register(control, selectors.EVENT_READ)
        self.exits: dict[int, int] = {}
        from grader.sandbox.integrity import Guard

        self.guard = Guard()  # taken once, before any student code; every worker inherits it
        gc.freeze()  # and the cycle collector never scans it again
        self.current = 0  # the worker handed out last
        self.spare = self.fork_worker()

    def run(self) -> None:
        while True:
            for key, _ in self.selector.select():
                if key.fileobj is self.control:
                    try:
                        request, _ = receive(self.control)
                    except EOFError:
                        return
                    self.handle(request)
                else:
                    self.drain(key.fd)
            self.reap_ended()

    def reap_ended(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.exits[pid] = os.waitstatus_to_exitcode(status)

    def drain(self, fd: int) -> None:
        """Read what a worker printed, and drop it: a full pipe must never stall a worker."""
        try:
            data = os.read(fd, 1 << 16)
        except BlockingIOError:
            return
        if not data:
            self.selector.unregister(fd)
            os.close(fd)

    def handle(self, request: dict[str, Any]) -> None:
        if request["op"] == "spawn":
            self.current, judge_end = self.spare
            send(self.control, {"pid": self.current}, [judge_end.fileno()])
            judge_end.close()
            self.spare = self.fork_worker()
        elif request["op"] == "retire":
            send(self.control, {"exit": self.retire(int(request["pid"]))})

    def retire(self, pid: int) -> int | None:
        """End worker ``pid`` and everything it started (the current worker and the spare live on);
        its exit code, if known."""
        if self.fenced:  # as PID 1 of the submission, every other process is within reach
            self.kill_all_but({self.current, self.spare[0]} - {pid})
        else:
            for kill in (os.killpg, os.kill):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    kill(pid, signal.SIGKILL)
        code = self.exits.pop(pid, None)
        if code is None:
            code = _reap(pid, 5.0)
        self.reap_ended()
        return code

    def kill_all_but(self, keep: set[int]) -> None:
        """SIGKILL every process of the namespace but this one and the families of ``keep``, until
        none is left: whatever was forked, in whichever session, ends up here (PID 1) when orphaned."""
        for _ in range(1000):
            parents = _parents()
            doomed = [pid for pid in parents if _top(pid, parents) not in keep]
            if not doomed:
                return
            for pid in doomed:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.reap_ended()

    def fork_worker(self) -> tuple[int, socket.socket]:
        """A new worker, waiting for its first request: its pid and the judge's end of its channel."""
        judge_end, worker_end = socket.socketpair()
        read_out, write_out = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                die_with_parent()
                os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
                os.dup2(write_out, 1)
                os.dup2(write_out, 2)
                close_all_but(0, 1, 2, worker_end.fileno())
                self.become_worker(worker_end)
            finally:
                os._exit(70)
        worker_end.close()
        os.close(write_out)
        os.set_blocking(read_out, False)
        self.selector.register(read_out, selectors.EVENT_READ)
        return pid, judge_end

    def become_worker(self, channel: socket.socket) -> None:
        """In the forked child: the last measures of a plain template, then serve probes."""
        submission = self.scratch / "submission"
        tmp = self.scratch if self.fenced else self.scratch / "tmp"
        if not self.fenced:
            os.setpgid(0, 0)
            if self.as_nobody:
                fence.become_nobody(self.scratch)
            fence.clear_capabilities()
        from grader.sandbox.worker import serve

        serve(channel, submission, tmp, self.limits, self.threads, self.guard, limit_processes=not self.fenced)


def _parents() -> dict[int, int]:
    """Parent of every live process of the namespace but this one (zombies left out)."""
    found = {}
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) != os.getpid():
            try:
                with open(f"/proc/{name}/stat", "rb") as stat:
                    fields = stat.read().rsplit(b")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if fields[0] not in (b"Z", b"X"):
                found[int(name)] = int(fields[1])
    return found


def _top(pid: int, parents: dict[int, int]) -> int:
    """The child of this process (PID 1) that ``pid`` descends from."""
    seen = 0
    while parents.get(pid, 1) != os.getpid() and seen < len(parents):
        pid, seen = parents[pid], seen + 1
    return pid


def _measures(fenced: bool, as_nobody: bool, seccomp_failed: str | None) -> dict[str, Any]:
    """What holds for this template's workers, as facts (the judge words them). Without
    namespaces the workers drop what is left themselves (to nobody where possible, and every
    capability)."""
    return {"namespaces": fenced, "uid": fence.UNPRIVILEGED if fenced or as_nobody else os.geteuid(),
            "capabilities": fence.capabilities() if fenced else 0, "seccomp": seccomp_failed}


def open_submission(control: socket.socket, config: dict[str, Any], files_fd: int, fenced: bool) -> None:
    """In a fresh child of the master: wait to be put in a cgroup, fence in, serve; never returns."""
    os.setsid()  # a session and process group of its own: none of the master's, nor any other submission's
    close_all_but(2, control.fileno(), files_fd)
    files = _read_files(files_fd)
    send(control, {"hello": True})
    receive(control)  # "go": the judge has put this process in the submission's cgroup
    if fenced:
        fence.enter(files, int(config["limits"]["disk_mb"]))
        os.chdir(fence.SCRATCH)
        pid = os.fork()
        if pid == 0:
            try:
                die_with_parent()
                os.setsid()  # PID 1 leads the workers' group: a group signal from them cannot reach the parent
                fence.finish()
                fence.drop_privileges()
                failed = seccomp.load_filter()
                send(control, {"ready": _measures(True, False, failed)})
                SubmissionTemplate(control, config, fence.SCRATCH, fenced=True).run()
            finally:
                os._exit(0)
        control.close()
        os._exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) & 0xFF)
    scratch = fence.scratch_on_disk(files)
    try:
        os.chdir(scratch)
        failed = seccomp.load_filter()  # inherited by every worker
        send(control, {"ready": _measures(False, bool(config.get("as_nobody")), failed)})
        SubmissionTemplate(control, config, scratch, fenced=False).run()
    finally:
        fence.remove_tree(scratch)
        os._exit(0)


def can_fence() -> str | None:
    """Build a whole fence in a throw-away child; None if it holds, else why not."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        why = ""
        try:
            fence.enter({}, 1)
            inner = os.fork()
            if inner == 0:
                try:
                    fence.finish()
                    fence.drop_privileges()
                    os._exit(0)
                except OSError as err:
                    os.write(write, str(err).encode())
                    os._exit(1)
            if os.waitstatus_to_exitcode(os.waitpid(inner, 0)[1]) != 0:
                why = "cannot finish the fence"
        except OSError as err:
            why = str(err)
        os.write(write, why.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        why = pipe.read().decode(errors="replace")
    os.waitpid(pid, 0)
    return why or None


def serve_master(control: socket.socket, fenced: bool) -> None:
    """Answer ``open`` requests until the judge closes the control socket."""
    while True:
        try:
            request, fds = receive(control)
        except EOFError:
            return
        judge_end, template_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        judge_end.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)  # before the template's hello
        pid = os.fork()
        if pid == 0:
            try:
                die_with_parent()
                open_submission(template_end, request["config"], fds[0], fenced)
            finally:
                os._exit(70)
        template_end.close()
        for fd in fds:
            os.close(fd)
        send(control, {"opened": True}, [judge_end.fileno()])
        judge_end.close()
        while True:  # reap submission templates that have ended
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    break
            except ChildProcessError:
                break


def run_master(control: socket.socket, mode: str) -> None:
    """Be the master: preload, test the fence, say so, serve, then wait for every child.

    As a child subreaper it also adopts, and so reaps, any process orphaned below it.
    """
    die_with_parent()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    course, _ = receive(control)  # the course's root, chapters and preloads: never the roster
    preload(str(course["root"]), list(course["chapters"]), list(course["preload"]))
    gc.freeze()  # what preload made is never scanned again: forks copy fewer pages
    why = can_fence() if mode == "fenced" else "the master runs without namespaces"
    send(control, {"ready": True, "fence": why is None, "why": why})
    serve_master(control, why is None)
    while True:
        try:
            os.wait()
        except ChildProcessError:
            break
        except OSError as err:
            if err.errno != errno.EINTR:
                raise


def main() -> None:
    run_master(socket.socket(fileno=int(sys.argv[1])), sys.argv[2])


if __name__ == "__main__":
    main()
