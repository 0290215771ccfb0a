"""Finds its channel to the judge among ``/proc/self/fd``, sends it one byte, then sleeps:
the judge must not wait for the rest of an answer that never comes."""
import os
import time


def _one_byte_then_sleep():
    for name in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{name}").startswith("socket:"):
                os.write(int(name), b"\x07")
        except OSError:
            pass
    time.sleep(10_000)


def to_tensor(array):
    _one_byte_then_sleep()


def to_numpy(tensor):
    _one_byte_then_sleep()


def independent_copy(array):
    _one_byte_then_sleep()
