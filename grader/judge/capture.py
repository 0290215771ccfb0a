"""Capturing what judge-side code prints, safely when several submissions are judged at once.

``contextlib.redirect_stdout`` swaps ``sys.stdout`` for the whole process, so two judging
threads capturing at once would mix their text. Captures here take turns.
"""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Callable
from typing import Any

_TURN = threading.Lock()


def printed(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    """What ``fn(*args, **kwargs)`` prints to standard output."""
    with _TURN, contextlib.redirect_stdout(io.StringIO()) as buffer:
        fn(*args, **kwargs)
    return buffer.getvalue()
