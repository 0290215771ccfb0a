"""The in-process runner: a check's probes run in this process (the student's own loop), and
the local time limit that keeps a stuck function from hanging that loop."""

from __future__ import annotations

import ctypes
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from grader.errors import TimeLimitReached
from grader.probing import wire
from grader.probing.registry import run_probe
from grader.probing.submission import Submission

RESTATE = 1.0  # seconds between reminders, should the student's code swallow the first one


class InProcessRunner:
    """Runs probes in this process: the student's fast, debuggable loop.

    Inputs and observations still cross the same wire format as with an isolated worker,
    so a check sees exactly the same kind of values under either runner.
    """

    def __init__(self, folder: Path) -> None:
        self.submission = Submission(folder)

    def probe(self, name: str, device: str, inputs: dict[str, Any], check_id: str = "") -> Any:
        return wire.round_trip(run_probe(self.submission, name, device, wire.round_trip(inputs)))

    def check_done(self) -> None:
        """Nothing to end: probes ran in this process."""

    def source(self, module: str) -> str | None:
        path = self.submission.folder / f"{module}.py"
        return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None


@contextmanager
def time_limit(seconds: float) -> Iterator[Callable[[], None]]:
    """Within the block, code still running after ``seconds`` gets :class:`TimeLimitReached`
    raised in its own frame (the student's function, at the line it is stuck on), and again
    each :data:`RESTATE` seconds until the block ends; 0 means no limit.

    Yields a function that lifts the limit (a debugger was opened). On the main thread of a
    system with ``SIGALRM`` an alarm interrupts even a blocking call, its previous handler and
    timer restored afterwards; elsewhere a timer thread raises it between two lines of Python.
    """
    if seconds <= 0:
        yield lambda: None
    elif hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread():
        with _alarm(seconds) as lift:
            yield lift
    else:
        with _async_raise(seconds) as lift:
            yield lift


@contextmanager
def _alarm(seconds: float) -> Iterator[Callable[[], None]]:
    def expire(signum: int, frame: object) -> None:
        raise TimeLimitReached

    start = time.monotonic()
    handler = signal.signal(signal.SIGALRM, expire)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds, RESTATE)
    def lift() -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)

    try:
        yield lift
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, handler)
        if outer:  # an enclosing timer keeps its own deadline
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - start), 1e-3))


@contextmanager
def _async_raise(seconds: float) -> Iterator[Callable[[], None]]:
    target, lifted = threading.get_ident(), threading.Event()

    def watch() -> None:
        if lifted.wait(seconds):
            return
        while not lifted.is_set():
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(TimeLimitReached))
            lifted.wait(RESTATE)

    watcher = threading.Thread(target=watch, name="time-limit", daemon=True)
    watcher.start()
    try:
        yield lifted.set
    finally:
        lifted.set()
        watcher.join()
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)  # one not yet delivered
