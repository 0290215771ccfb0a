"""Starting the batch's master (judge side): under bubblewrap, in a root built from an allow-list.

Why bubblewrap: it is the kept, audited tool for exactly this step (an unprivileged
process tree in fresh namespaces, a root assembled from read-only binds, a cleared
environment, its own session, death with its parent), and it runs here as root and in
containers that grant user namespaces. What it cannot do is what the per-submission fence
adds inside (:mod:`grader.sandbox.fence`): one master imports torch once, and each
submission forked from it gets namespaces, a tmpfs and an identity of its own, which a
fresh bubblewrap per submission could only give by importing torch again each time.

The root holds only: the Python runtime (``sys.base_prefix``, the virtual environment),
the ``grader`` package, the system's shared libraries and ``ldconfig`` (read-only); a
``/dev`` with null, zero, random and urandom (and the NVIDIA devices when grading on
CUDA); a ``/proc`` of its own; an empty ``/tmp``. Not the course repository, its ``.git``,
examples, tests, hidden checks or solutions; no home folder; no other temporary folder.

Where bubblewrap is missing or refused, the master is a plain interpreter with an empty
environment, in a session of its own, and says so; :mod:`grader.sandbox.template` then
falls back too.
"""

from __future__ import annotations

import collections
import functools
import json
import os
import select
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

import grader
from grader.errors import GraderError
from grader.manifest import Course, default_root
from grader.sandbox.fence import runtime_readable_by_others

START_SECONDS = 300.0
SYSTEM_LIBRARIES = ("/usr/lib", "/usr/lib64", "/usr/lib32")
TOP_LINKS = ("/lib", "/lib64", "/lib32", "/bin", "/sbin")
DEVICES = ("/dev/null", "/dev/zero", "/dev/random", "/dev/urandom")


class TemplateFailed(GraderError):
    """The master could not start or answer: a problem of this machine, not of a submission.
    ``zh`` and ``en`` say what happened; ``log``, what the master printed, follows both."""

    def __init__(self, zh: str, en: str, log: str = "") -> None:
        said_zh, said_en = (f"{zh}：{log}", f"{en}: {log}") if log else (zh, en)
        super().__init__(f"评分的工作进程无法启动或没有应答：{said_zh}",
                         f"the grader's worker processes could not start or did not answer: {said_en}")
        self.what_zh, self.what_en = zh, en


@functools.cache
def runtime_roots() -> list[str]:
    """What a worker may read: the Python runtime and the grader package the master will import
    (``python -I`` from ``/``: not a copy that happens to lie in the current folder), outermost only."""
    found = subprocess.run([sys.executable, "-I", "-c", "import grader; print(grader.__path__[0])"],
                           capture_output=True, text=True, cwd="/", env={}, timeout=60)
    package = found.stdout.strip() or str(Path(grader.__file__).parent)
    wanted = [Path(sys.base_prefix), Path(sys.prefix), Path(sys.executable), Path(package)]
    roots: list[Path] = []
    for path in sorted({p.resolve() for p in wanted}, key=lambda p: len(p.parts)):
        if len(path.parts) > 1 and not any(path.is_relative_to(r) for r in roots):
            roots.append(path)
    return [str(r) for r in roots]


def warm_runtime(root: Path | None = None) -> None:
    """Import here what the master imports, so that their bytecode is compiled before the master
    (which sees the runtime read-only) needs it; for ``make`` and the Gradescope setup."""
    from grader.sandbox.template import preload

    course = Course.load(root or default_root())
    preload(str(course.root), [c.id for c in course.chapters], list(course.preload))


COURSE_INSIDE = "/course"  # where a chapter's probes lie inside the root, wherever the course lies outside


def probe_files(course: Course) -> list[tuple[str, str]]:
    """The course's code a worker runs, as (outside, inside) paths: each chapter's probes and the
    package files above them (never its judging helpers, mutants, checks or solutions)."""
    found = [Path("chapters") / "__init__.py"]
    for chapter in course.chapters:
        package = chapter.package(course.root).relative_to(course.root)
        found += [package / "__init__.py", package / "probes"]
    return [(str(course.root / path), f"{COURSE_INSIDE}/{path}") for path in found if (course.root / path).exists()]


def bwrap_command(executable: str, device: str, course: Course) -> list[str] | None:
    """bubblewrap's command line for the master's allow-list root; None where it is not installed."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return None
    args = [bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
            "--uid", "0", "--gid", "0", "--cap-add", "ALL", "--hostname", "grader"]
    for name, value in _environment().items():
        args += ["--setenv", name, value]
    for path in SYSTEM_LIBRARIES:
        if os.path.isdir(path) and not os.path.islink(path):
            args += ["--ro-bind", path, path]
    for path in TOP_LINKS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path) and path in ("/lib", "/lib64", "/lib32"):
            args += ["--ro-bind", path, path]
    for path in ("/etc/ld.so.cache", shutil.which("ldconfig") or "/sbin/ldconfig"):
        if os.path.exists(path):
            real = os.path.realpath(path)
            args += ["--ro-bind", real, real]
    for root in runtime_roots():
        args += ["--ro-bind", root, root]
    for outside, inside in probe_files(course):
        args += ["--ro-bind", outside, inside]
    devices = list(DEVICES)
    if device.startswith("cuda"):
        devices += sorted(str(p) for p in Path("/dev").glob("nvidia*"))
    for path in devices:
        args += ["--dev-bind", path, path]
    args += ["--dir", "/dev/shm", "--symlink", "/proc/self/fd", "/dev/fd", "--proc", "/proc",
             "--tmpfs", "/tmp", "--remount-ro", "/", "--chdir", "/", "--", executable]
    return args


def _environment() -> dict[str, str]:
    """The master's whole environment: nothing of the instructor's but the GPU choice."""
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "OMP_NUM_THREADS": "1", "HOME": "/tmp"}
    if "CUDA_VISIBLE_DEVICES" in os.environ:
        env["CUDA_VISIBLE_DEVICES"] = os.environ["CUDA_VISIBLE_DEVICES"]
    return env


def _refused(command: list[str]) -> str | None:
    """Why bubblewrap cannot build the root here (None when it can): a trial run of Python in it."""
    try:
        done = subprocess.run([*command, "-I", "-S", "-c", ""], env={}, capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"bubblewrap could not start here: {err}"
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip().splitlines()
        return f"bubblewrap refused here: {said[-1][:100] if said else f'exit code {done.returncode}'}"
    return None


def receive(control: socket.socket, timeout: float) -> tuple[dict[str, Any], list[int]]:
    """One JSON message and the descriptors sent with it; TemplateFailed after ``timeout``."""
    if not select.select([control], [], [], timeout)[0]:
        raise TemplateFailed("超时未应答", "no answer in time")
    data, fds, _, _ = socket.recv_fds(control, 65536, 4)
    if not data:
        raise TemplateFailed("模板进程已退出", "the template exited")
    try:
        return json.loads(data), fds
    except ValueError:
        raise TemplateFailed("收到无法读取的消息", "an unreadable message") from None


class Master:
    """The batch's master process and the judge's control socket to it.

    ``root_missing`` says why the allow-list root is not in force (None when it is).
    """

    def __init__(self, course: Course, device: str = "cpu") -> None:
        """Start the master for ``course``; it imports torch while the caller goes on (see :meth:`open`)."""
        self.lock = threading.Lock()
        self.ready = False
        self.restarts = 0
        command = bwrap_command(sys.executable, device, course)
        self.root_missing = "bubblewrap (bwrap) is not installed" if command is None else _refused(command)
        self.course = {"root": COURSE_INSIDE if self.root_missing is None else str(course.root),
                       "chapters": [c.id for c in course.chapters], "preload": list(course.preload)}
        if command is None or self.root_missing is not None:
            self.command, self.mode = [sys.executable], "plain"
        else:
            self.command, self.mode = command, "fenced"
        self._start(self.command, self.mode)
        # without namespaces, root's workers become nobody, where nobody can read the runtime
        self.as_nobody = self.root_missing is not None and os.geteuid() == 0 \
            and runtime_readable_by_others(runtime_roots())

    def _start(self, command: list[str], mode: str) -> None:
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.stderr: collections.deque[bytes] = collections.deque(maxlen=64)
        self.process = subprocess.Popen(
            [*command, "-I", "-m", "grader.sandbox.template", str(theirs.fileno()), mode],
            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, env=_environment() if mode == "plain" else {}, cwd="/", start_new_session=True)
        theirs.close()
        self.control.send(json.dumps(self.course).encode())
        threading.Thread(target=self._drain, args=(self.process.stderr,), daemon=True).start()

    def _await_ready(self) -> None:
        """Wait (once) until the master has imported torch and says it is ready."""
        if not self.ready:
            try:
                receive(self.control, START_SECONDS)
            except TemplateFailed as err:
                raise TemplateFailed(err.what_zh, err.what_en, self.log_tail()) from None
            self.ready = True

    def _restart(self) -> None:
        if self.restarts >= 3:
            raise TemplateFailed(f"主进程已结束 {self.restarts + 1} 次", f"the master ended {self.restarts + 1} times",
                                 self.log_tail())
        self.restarts += 1
        self.control.close()
        self.process.wait()
        self.ready = False
        self._start(self.command, self.mode)

    def _drain(self, stream: IO[bytes] | None) -> None:
        for line in stream or ():
            self.stderr.append(line[:2000])

    def log_tail(self) -> str:
        return b"".join(self.stderr).decode(errors="replace")[-3000:].strip() or "(nothing printed)"

    def open(self, config: dict[str, Any], files: dict[str, bytes]) -> socket.socket:
        """Fork a submission template holding ``files``; the judge's control socket to it."""
        bundle = os.memfd_create("submission")
        try:
            os.write(bundle, json.dumps({name: data.hex() for name, data in files.items()}).encode())
            os.lseek(bundle, 0, os.SEEK_SET)
            with self.lock:
                if self.process.poll() is not None:  # it died (nothing a submission can do should kill it)
                    self._restart()
                self._await_ready()
                try:
                    socket.send_fds(self.control, [json.dumps({"op": "open", "config": config}).encode()], [bundle])
                    _, fds = receive(self.control, 60)
                except OSError as err:
                    raise TemplateFailed(f"控制通道出错（{err}）", f"the control channel failed ({err})",
                                         self.log_tail()) from None
        finally:
            os.close(bundle)
        if len(fds) != 1:
            raise TemplateFailed("主进程没有送来模板进程", "the master sent no template")
        return socket.socket(fileno=fds[0])

    def close(self) -> None:
        """End the master (it ends its submission templates)."""
        self.control.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> Master:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

