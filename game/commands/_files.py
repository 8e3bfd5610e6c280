"""Checks of the files a person names on the command line, done before any work, with messages that name the option
and the path as given.

Outputs: never the same file as an input or as another output (compared with :func:`os.path.samefile`, so a hard
or symbolic link counts), never a folder or in a missing folder; written through
:mod:`tracking.atomic_files`, so that a failure leaves the previous file as it was and nothing half-written.

Inputs are checked by :func:`tracking.sources.check_input_file` (a still image or a text file is not a video).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from tracking.atomic_files import AtomicFile, check_output_path, same_file
from tracking.errors import OutputFileError, UserFacingError

# Longest file name or source printed whole in a summary line; longer ones are shortened in the middle (the JSON
# and recordings keep them whole). Two terminal lines: any path a person types stays whole and can be copied, while
# a recording's header source (any length: 100 KB seen) or a PATH_MAX-long path does not flood the terminal.
DISPLAY_NAME_CHARS = 160
ELLIPSIS = "…"


class FileArgumentError(UserFacingError):
    """A file named on the command line cannot be used as it is (the message names the option and the path)."""


def display_name(name: str | Path, *, limit: int = DISPLAY_NAME_CHARS) -> str:
    """``name`` for a printed line: whole when short, else its start and end around an ellipsis."""
    text = str(name)
    if len(text) <= limit:
        return text
    keep = limit - len(ELLIPSIS)
    head = keep // 2
    return text[:head] + ELLIPSIS + text[len(text) - (keep - head) :]


def _same_target(a: Path, b: Path) -> bool:
    """Same file on disk, or (for files not written yet) the same name in the same folder."""
    return same_file(a, b) or (a.name == b.name and same_file(a.parent, b.parent))


def check_outputs(inputs: Sequence[tuple[str, Path]], outputs: Sequence[tuple[str, Path]]) -> None:
    """Refuse an output that is a folder, in a missing folder, the same file as an input, or the same file as
    another output. ``inputs`` and ``outputs`` are (option, path) pairs, e.g. ``("--json", Path("a.json"))``.

    Raises
    ------
    FileArgumentError
        Naming the option(s) and path(s).
    """
    for index, (option, path) in enumerate(outputs):
        try:
            check_output_path(path, what=option)
        except OutputFileError as error:
            raise FileArgumentError(str(error)) from None
        for input_option, input_path in inputs:
            if _same_target(path, input_path):
                raise FileArgumentError(
                    f"{option} {path}: is the same file as {input_option} {input_path}; writing it would destroy "
                    "the input: choose another name"
                )
        for other_option, other_path in outputs[:index]:
            if _same_target(path, other_path):
                raise FileArgumentError(
                    f"{option} {path}: is the same file as {other_option} {other_path}; choose another name"
                )


@contextlib.contextmanager
def naming_option(option: str) -> Iterator[None]:
    """Report an :class:`OutputFileError` raised in the block (read-only or full file system, ...) as a
    :class:`FileArgumentError` that starts with ``option``, e.g. ``--json out.json: cannot write here (...)``."""
    try:
        yield
    except OutputFileError as error:
        raise FileArgumentError(f"{option} {error}") from None


def open_output(path: Path, option: str, *, binary: bool = False) -> AtomicFile:
    """Start writing ``path`` (a temporary file beside it, renamed by ``commit``); errors name ``option``."""
    with naming_option(option):
        return AtomicFile(path, binary=binary)
