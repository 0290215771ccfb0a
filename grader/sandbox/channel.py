"""Length-prefixed frames between the judge and a worker: a JSON text and a tensor blob.

Only bytes cross: the JSON is parsed with ``json`` and the blob with safetensors
(:mod:`grader.probing.wire`). The judge reads each answer against one absolute deadline and a size
cap, so a worker that sends one byte and sleeps, or a huge answer, costs only its check.
"""

from __future__ import annotations

import socket
import struct
import time

_HEADER = struct.Struct("<II")


class ChannelClosed(ConnectionError):
    """The other side went away (exited, crashed or was killed)."""


class AnswerLate(TimeoutError):
    """The whole answer did not arrive before the deadline."""


class AnswerTooLarge(ValueError):
    """The answer announced more bytes than the cap allows."""


def send_frame(sock: socket.socket, text: str, blob: bytes = b"") -> None:
    data = text.encode()
    sock.sendall(_HEADER.pack(len(data), len(blob)) + data + blob)


def _exactly(sock: socket.socket, size: int, deadline: float | None) -> bytes:
    chunks, left = [], size
    while left:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AnswerLate("no complete answer before the deadline")
            sock.settimeout(remaining)
        try:
            chunk = sock.recv(min(left, 1 << 20))
        except TimeoutError:
            raise AnswerLate("no complete answer before the deadline") from None
        if not chunk:
            raise ChannelClosed("the other side closed the channel")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def recv_frame(sock: socket.socket, *, deadline: float | None = None, limit: int | None = None) -> tuple[str, bytes]:
    """The next frame, complete before ``deadline`` (``time.monotonic()``) and at most ``limit`` bytes.

    Raises :class:`ChannelClosed` at end of stream, :class:`AnswerLate` past the deadline,
    :class:`AnswerTooLarge` (before reading the body) past the limit, ``UnicodeDecodeError``
    for a text that is not UTF-8.
    """
    try:
        text_size, blob_size = _HEADER.unpack(_exactly(sock, _HEADER.size, deadline))
        if limit is not None and text_size + blob_size > limit:
            raise AnswerTooLarge(f"an answer of {text_size + blob_size} bytes; the limit is {limit}")
        return _exactly(sock, text_size, deadline).decode(), _exactly(sock, blob_size, deadline)
    finally:
        if deadline is not None:
            sock.settimeout(None)
