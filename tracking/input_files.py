"""Opening a file a person named: a regular file, not a folder, a device or a pipe; UTF-8 text with its line.

Opening a FIFO for reading blocks until something writes to it, so a named pipe given as a recording would hang
the program: files are opened with ``O_NONBLOCK`` (which does nothing to a regular file) and checked with
``fstat`` on the open descriptor before anything is read, which also leaves no gap between check and use.
Errors name the path exactly as it was given.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from tracking.atomic_files import describe_os_error
from tracking.errors import TrackingError

# Open flags: read only; never block on a FIFO (regular files ignore it); do not become a terminal's controller.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


class InputFileError(TrackingError):
    """A file given to motorplay cannot be read as what was expected.

    Attributes ``path`` (as given), ``line`` (1-based, or ``None`` when the problem is the whole file) and
    ``problem`` let callers re-raise it as their own error type with the same words.
    """

    def __init__(self, path: str, problem: str, *, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}, line {line}" if line is not None else path
        super().__init__(f"{where}: {problem}")


def kind_of_file(mode: int) -> str:
    """Return what a non-regular file is, for a person: ``"is a folder"``, ``"is a named pipe (FIFO)"``..."""
    if stat.S_ISDIR(mode):
        return "is a folder"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"


def open_regular_file(path: str | Path, *, expected: str) -> BinaryIO:
    """Open ``path`` for binary reading when it is a regular file (symbolic links followed).

    Parameters
    ----------
    expected
        What the file should be, for the message (``"a .jsonl landmark recording"``).

    Raises
    ------
    InputFileError
        The file does not exist, cannot be opened, or is a folder, device, pipe or socket.
    """
    name = str(path)
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except (FileNotFoundError, NotADirectoryError):
        raise InputFileError(name, f"no such file; expected {expected}") from None
    except IsADirectoryError:
        raise InputFileError(name, f"is a folder; expected {expected}") from None
    except OSError as error:
        raise InputFileError(name, f"cannot be opened ({describe_os_error(error)}); expected {expected}") from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise InputFileError(name, f"{kind_of_file(mode)}; expected {expected}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def check_regular_file(path: str | Path, *, expected: str) -> None:
    """Raise :class:`InputFileError` unless ``path`` is a regular file that can be opened for reading."""
    open_regular_file(path, expected=expected).close()


def decode_utf8(data: bytes, *, path: str, first_line: int = 1) -> str:
    """Decode ``data`` as UTF-8 text.

    A byte that is not UTF-8 is reported with its line (``first_line`` is the line ``data`` starts on) and column.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = first_line + data.count(b"\n", 0, error.start)
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise InputFileError(
            path, f"byte 0x{data[error.start]:02x} at column {column} is not UTF-8 text", line=line
        ) from None


def read_text_file(path: str | Path, *, expected: str, max_bytes: int | None = None) -> str:
    """Return the whole of a regular UTF-8 text file.

    Raises
    ------
    InputFileError
        As :func:`open_regular_file`; or the file cannot be read, is larger than ``max_bytes``, or is not UTF-8
        (naming the line).
    """
    name = str(path)
    with open_regular_file(path, expected=expected) as stream:
        try:
            data = stream.read() if max_bytes is None else stream.read(max_bytes + 1)
        except OSError as error:
            raise InputFileError(name, f"cannot be read ({describe_os_error(error)})") from None
    if max_bytes is not None and len(data) > max_bytes:
        raise InputFileError(name, f"is larger than {max_bytes} bytes; expected {expected}")
    return decode_utf8(data, path=name)
