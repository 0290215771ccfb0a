"""``python -m tests.refuse_namespaces -- COMMAND...``: run COMMAND where namespaces are refused.

As in a container started with Docker's default seccomp profile and without
``CAP_SYS_ADMIN`` (Gradescope's, say): ``unshare``, ``setns``, ``mount`` and ``clone`` with a
namespace flag fail with EPERM, ``clone3`` with ENOSYS. The filter is inherited by COMMAND.
"""

from __future__ import annotations

import errno
import os
import sys

import pyseccomp as seccomp

from grader.sandbox.seccomp import CLONE_NEW


def refuse_namespaces() -> None:
    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    for name in ("unshare", "setns", "mount"):
        rules.add_rule(seccomp.ERRNO(errno.EPERM), name)
    for flag in CLONE_NEW:
        rules.add_rule(seccomp.ERRNO(errno.EPERM), "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
    rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    rules.load()


if __name__ == "__main__":
    command = sys.argv[sys.argv.index("--") + 1:]
    refuse_namespaces()
    os.execvp(command[0], command)
