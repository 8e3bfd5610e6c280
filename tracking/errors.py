"""Errors that reach a person: each names the file, line or field and what was expected."""

from __future__ import annotations


class UserFacingError(Exception):
    """Root of every motorplay error whose message is meant for a person (the CLI prints it, no traceback).

    The packages above tracking (levels, clinic, game) subclass it too.
    """


class TrackingError(UserFacingError):
    """Base class for every error raised by the tracking package."""


class SourceError(TrackingError):
    """A camera, video file or recording cannot be opened or read."""


class RecordingFormatError(TrackingError):
    """A landmark recording line does not follow the documented format.

    The message names the file, the 1-based line number and the field.
    """

    def __init__(self, path: str, line_number: int, field: str, problem: str) -> None:
        self.path = path
        self.line_number = line_number
        self.field = field
        self.problem = problem
        super().__init__(f"{path}, line {line_number}, field '{field}': {problem}")


class OutputFileError(TrackingError):
    """A file motorplay was asked to write cannot be written (a folder, a missing folder, read-only, disk full).

    Nothing half-written is left behind and the previous file, if any, is kept.
    """
