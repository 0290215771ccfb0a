"""Grading: one submission, a whole class, what a finished grading leaves on disk, and the
course's own consistency proof (``grader check``)."""
