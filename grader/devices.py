"""Which device student code runs on."""

from __future__ import annotations

import torch

from grader.errors import GraderError


class DeviceError(GraderError):
    """A device that does not exist, or is not usable on this machine."""


def default_device() -> str:
    """``cuda`` when a GPU is usable, else ``cpu``."""
    return "cuda" if torch.cuda.is_available() else "cpu"


def checked_device(name: str | None) -> str:
    """``name`` (or the default) validated: ``cpu``, ``cuda`` or ``cuda:N`` that exists here."""
    if name is None:
        return default_device()
    try:
        device = torch.device(name)
    except RuntimeError:
        raise DeviceError(f"未知的设备 {name!r}；请用 cpu 或 cuda", f"unknown device {name!r}; use cpu or cuda") \
            from None
    if device.type not in ("cpu", "cuda"):
        raise DeviceError(f"不支持的设备 {name!r}；请用 cpu 或 cuda", f"unsupported device {name!r}; use cpu or cuda")
    if device.type == "cuda" and not torch.cuda.is_available():
        raise DeviceError(f"要求使用设备 {name!r}，但本机没有可用的 CUDA",
                          f"device {name!r} asked for, but CUDA is not available on this machine")
    return name
