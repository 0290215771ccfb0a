"""The system calls no submission may make, refused by a seccomp filter (libseccomp, via pyseccomp).

Loaded by each submission's template once it has built its fence, so every worker
inherits it and nothing can lift it. Everything torch and Python need stays allowed;
refused: debugging other processes, the kernel's keyring, BPF and perf, mounting and
namespaces, loading kernel modules, and pushing keystrokes into a terminal (``TIOCSTI``).
A call from another architecture's table (32-bit, x32) kills the process.
"""

from __future__ import annotations

import errno
from typing import Any

REFUSED = (
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
    "mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "open_tree", "move_mount", "fsopen",
    "fsmount", "fsconfig", "fspick", "mount_setattr",
    "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
    "io_uring_setup", "io_uring_enter", "io_uring_register",
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
    "open_by_handle_at", "name_to_handle_at", "acct", "swapon", "swapoff", "reboot", "syslog",
    "quotactl", "lookup_dcookie", "fanotify_init", "personality",
)
TIOCSTI, TIOCLINUX = 0x5412, 0x541C
CLONE_NEW = (0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000, 0x00000080)


def _library() -> Any:
    """pyseccomp, or None where it or libseccomp is missing."""
    try:
        import pyseccomp
    except (ImportError, RuntimeError, OSError):  # RuntimeError: "Unable to find libseccomp"
        return None
    return pyseccomp


def load_filter() -> str | None:
    """Load the filter into this process (and so into all it forks); None, or why it could not be."""
    seccomp = _library()
    if seccomp is None:
        return "libseccomp or pyseccomp is not installed"
    refuse = seccomp.ERRNO(errno.EPERM)
    try:
        rules = seccomp.SyscallFilter(seccomp.ALLOW)
        for name in REFUSED:
            try:
                rules.add_rule(refuse, name)
            except (ValueError, OSError):  # a call this kernel or libseccomp does not know
                continue
        for request in (TIOCSTI, TIOCLINUX):  # the kernel reads the request as 32 bits
            rules.add_rule(refuse, "ioctl", seccomp.Arg(1, seccomp.MASKED_EQ, 0xFFFFFFFF, request))
        for flag in CLONE_NEW:  # threads and forks, never new namespaces
            rules.add_rule(refuse, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
        rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")  # its flags are out of reach: libc falls back to clone
        rules.load()
    except OSError as err:
        return f"the filter could not be loaded ({err})"
    return None
