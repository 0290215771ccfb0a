"""One submission's fence, built by its template inside the master's allow-list root.

:func:`enter` gives the template its own mount, PID, network, IPC and host-name namespaces
and mounts a tmpfs of ``disk_mb`` over ``/tmp``, the submission's only writable place (and
``/dev/shm``), with the submission's files in ``/tmp/submission``, read-only.
:func:`finish`, run as PID 1 of the new PID namespace, mounts a ``/proc`` that shows only the
submission's processes (``/proc/sys`` read-only) and :func:`drop_privileges` then leaves the
template, and so every worker it forks, as uid 65534 of a user namespace of its own, with
no capability, no way to gain one, not dumpable. Nothing is removed at the end: the tmpfs
lives in the submission's mount namespace and goes when its last process does.

Where the master runs without namespaces (:mod:`grader.sandbox.master` falls back), the
template writes the files to a private folder on disk instead (:func:`scratch_on_disk`) and
its workers change to an unprivileged user where one can read the runtime.
"""

from __future__ import annotations

import ctypes
import os
import stat
import tempfile
from pathlib import Path

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = (
    0x00020000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000)
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = (
    1, 2, 4, 8, 32, 4096, 16384, 1 << 18)
PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT = 4, 24, 38, 47
SCRATCH = Path("/tmp")
SUBMISSION = SCRATCH / "submission"
UNPRIVILEGED = 65534  # nobody


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _mount(source: str | None, target: str, kind: str | None, flags: int, data: str | None = None) -> None:
    def encode(text: str | None) -> bytes | None:
        return text.encode() if text is not None else None

    _check(_libc.mount(encode(source), target.encode(), encode(kind), flags, encode(data)), f"mount {target}")


def _read_only(path: str, extra: int = 0) -> None:
    """Bind ``path`` onto itself, then make that mount read-only."""
    _mount(path, path, None, MS_BIND | MS_REC)
    _mount(None, path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | extra)


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    """The submission's files in ``folder`` (names were checked by the judge: plain ``*.py``)."""
    folder.mkdir(mode=0o755)
    for name, data in files.items():
        (folder / Path(name).name).write_bytes(data)


def enter(files: dict[str, bytes], disk_mb: int) -> None:
    """New namespaces and the scratch tmpfs (in the template, before its PID-1 fork)."""
    _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS), "unshare")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _mount("tmpfs", str(SCRATCH), "tmpfs", MS_NOSUID | MS_NODEV, f"size={disk_mb}m,mode=1777")
    write_files(SUBMISSION, files)
    _read_only(str(SUBMISSION), MS_NOEXEC)
    shm = SCRATCH / ".shm"
    shm.mkdir(mode=0o1777)
    os.chmod(shm, 0o1777)
    if os.path.isdir("/dev/shm"):  # shared memory for DataLoader workers, within the same cap
        _mount(str(shm), "/dev/shm", None, MS_BIND)


def finish() -> None:
    """As PID 1 of the new PID namespace: a ``/proc`` of its own, its kernel settings read-only."""
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for part in ("sys", "sysrq-trigger", "irq", "bus"):
        if os.path.exists(f"/proc/{part}"):
            _read_only(f"/proc/{part}", MS_NOEXEC)
    _libc.sethostname(b"grader", 6)


def drop_privileges() -> None:
    """Become uid 65534 of a user namespace of its own, with no capability, ever."""
    uid, gid = os.geteuid(), os.getegid()
    _check(_libc.unshare(CLONE_NEWUSER), "unshare(user)")
    Path("/proc/self/setgroups").write_text("deny")
    Path("/proc/self/uid_map").write_text(f"{UNPRIVILEGED} {uid} 1")
    Path("/proc/self/gid_map").write_text(f"{UNPRIVILEGED} {gid} 1")
    os.setresgid(UNPRIVILEGED, UNPRIVILEGED, UNPRIVILEGED)
    os.setresuid(UNPRIVILEGED, UNPRIVILEGED, UNPRIVILEGED)
    clear_capabilities()


def clear_capabilities() -> None:
    """No capability in any set, none to gain (bounding and ambient sets cleared, no_new_privs)."""
    _libc.prctl(PR_CAP_AMBIENT, 4, 0, 0, 0)  # PR_CAP_AMBIENT_CLEAR_ALL
    for cap in range(64):
        _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)  # numbers this kernel lacks fail harmlessly
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)
    _check(_libc.capset(header, (ctypes.c_uint32 * 6)()), "capset")
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(no_new_privs)")
    _check(_libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "prctl(dumpable)")


def capabilities() -> int:
    """This process's effective capability set, as a number (0: none)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("CapEff:"):
                return int(line.split()[1], 16)
    return -1


def scratch_on_disk(files: dict[str, bytes]) -> Path:
    """Without namespaces: a private folder holding the submission (read-only) and ``tmp``."""
    scratch = Path(tempfile.mkdtemp(prefix="grader-submission-"))
    write_files(scratch / "submission", files)
    for path in (scratch / "submission").iterdir():
        path.chmod(0o444)
    (scratch / "submission").chmod(0o555)
    (scratch / "tmp").mkdir(mode=0o700)
    scratch.chmod(0o711)
    return scratch


def remove_tree(top: Path) -> None:
    """Remove ``top`` and all below it, however deep: one open folder at a time, no recursion,
    no path longer than a name, links never followed."""
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
    here, below = os.open(top, flags), []
    while True:
        os.fchmod(here, 0o700)
        with os.scandir(here) as listing:
            entries = [(e.name, e.is_dir(follow_symlinks=False)) for e in listing]
        for name, is_folder in entries:
            if not is_folder:
                os.unlink(name, dir_fd=here)
        folder = next((name for name, is_folder in entries if is_folder), None)
        if folder is not None:
            deeper = os.open(folder, flags, dir_fd=here)
            os.close(here)
            here = deeper
            below.append(folder)
            continue
        if not below:
            os.close(here)
            os.rmdir(top)
            return
        parent = os.open("..", flags, dir_fd=here)
        os.close(here)
        here = parent
        os.rmdir(below.pop(), dir_fd=here)


def runtime_readable_by_others(paths: list[str]) -> bool:
    """Whether every folder in ``paths`` can be reached and read by any user (for dropping to nobody)."""
    for path in paths:
        here = Path(path).resolve()
        for folder in [*reversed(here.parents), here]:
            mode = os.stat(folder).st_mode
            if not mode & stat.S_IXOTH or (folder == here and not mode & stat.S_IROTH):
                return False
    return True


def become_nobody(scratch: Path) -> None:
    """Without namespaces, as root: the worker becomes ``nobody``, owning only its ``tmp``."""
    os.chown(scratch / "tmp", UNPRIVILEGED, UNPRIVILEGED)
    os.setgroups([])
    os.setresgid(UNPRIVILEGED, UNPRIVILEGED, UNPRIVILEGED)
    os.setresuid(UNPRIVILEGED, UNPRIVILEGED, UNPRIVILEGED)
