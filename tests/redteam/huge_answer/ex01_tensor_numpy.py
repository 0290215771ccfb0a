"""Answers with 60 MB of ``[[],[],…]``: returned by to_tensor (as a string, which the worker
describes and sends whole), and written straight onto the channel by to_numpy (a frame
that announces 60 MB) and by independent_copy (a frame of 15 MB, just under the cap, that
is not an answer)."""
import os
import struct

FLAT = b"[" + b"[]," * (20 * 1024 * 1024) + b"[]]"  # 60 MB


def _channel():
    for name in os.listdir("/proc/self/fd"):
        if os.readlink(f"/proc/self/fd/{name}").startswith("socket:"):
            return int(name)
    raise RuntimeError("no channel")


def _send_raw(text):
    fd = _channel()
    data = struct.pack("<II", len(text), 0) + text
    while data:
        data = data[os.write(fd, data):]
    os.pause()


def to_tensor(array):
    return FLAT.decode()


def to_numpy(tensor):
    _send_raw(FLAT)


def independent_copy(array):
    _send_raw(FLAT[:15 * 1024 * 1024 - 1] + b"]")
