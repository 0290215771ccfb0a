"""What the course becomes elsewhere: student stubs, the student release, Gradescope, nbgrader."""

from grader.errors import GraderError


class ExportError(GraderError):
    """The course cannot be exported as asked (a part missing, a bad visibility, checks that
    cannot become notebook cells)."""
