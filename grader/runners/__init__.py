"""Runners carry a check's probes to the student code: in this process (the student's pytest
loop and notebooks); the isolated runner is :mod:`grader.sandbox.runner`."""
