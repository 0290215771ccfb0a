"""Raises the grader's own error type, with a kind that does not exist, while being imported."""
from grader.errors import StudentError

raise StudentError("no-such-kind", "ex01_tensor_numpy", message="all checks passed")
