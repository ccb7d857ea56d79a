"""Errors that the command line reports as one line naming the file and the problem."""

from __future__ import annotations

import os


class JpegafError(Exception):
    """A problem the user can fix (bad input, missing weights); never shown as a traceback."""


class InputError(JpegafError):
    """A file that cannot be used: missing, empty, truncated, corrupt, wrong mode or size."""

    def __init__(self, path: str | os.PathLike | None, problem: str):
        self.path = None if path is None else os.fspath(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}" if self.path is not None else problem)
