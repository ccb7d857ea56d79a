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


def read_input_bytes(path: str | os.PathLike) -> bytes:
    """The bytes of an input file; a missing or unreadable file becomes an :class:`InputError`.

    (An empty file is returned as ``b""``: each reader names that problem in its own terms.)
    """
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, not a file") from None
    except OSError as e:
        raise InputError(path, f"cannot read ({e.strerror})") from None
