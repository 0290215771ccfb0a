"""Length-prefixed frames between the judge and a worker: a JSON text and a tensor blob.

Only bytes cross: the JSON is parsed with ``json`` and the blob with safetensors
(:mod:`grader.wire`); sizes are bounded so a worker cannot exhaust the judge's memory.
"""

from __future__ import annotations

import socket
import struct

_HEADER = struct.Struct("<II")
MAX_FRAME = 512 * 1024 * 1024


class ChannelClosed(ConnectionError):
    """The other side went away (exited, crashed or was killed)."""


def send_frame(sock: socket.socket, text: str, blob: bytes = b"") -> None:
    data = text.encode()
    sock.sendall(_HEADER.pack(len(data), len(blob)) + data + blob)


def _exactly(sock: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise ChannelClosed("the other side closed the channel")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def recv_frame(sock: socket.socket) -> tuple[str, bytes]:
    """The next frame; :class:`ChannelClosed` at end of stream or on an oversized frame."""
    text_size, blob_size = _HEADER.unpack(_exactly(sock, _HEADER.size))
    if text_size + blob_size > MAX_FRAME:
        raise ChannelClosed(f"frame of {text_size + blob_size} bytes is over the limit")
    return _exactly(sock, text_size).decode(), _exactly(sock, blob_size)
