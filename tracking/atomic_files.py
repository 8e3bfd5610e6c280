"""Output files that are either complete or absent: written to a temporary file beside the target, renamed at the end.

Every file motorplay writes for a person (recordings, analysis JSON, plots, calibrations, reports, exports) goes
through here, so that a crash, SIGKILL, Ctrl-C or a full disk never leaves a half-written file that looks whole,
and never destroys the previous version of the target. The temporary file is created with mode 0600 (patient data
stays private), flushed and fsynced before the rename, and the folder is fsynced after it so that the rename itself
survives a power cut.

Pure standard library; the only module that knows how an output becomes durable.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

from tracking.errors import OutputFileError

TEMP_PREFIX = "."
TEMP_SUFFIX = ".part"
# Patient data is private: the folders motorplay creates for it are readable by their owner only (files are 0600).
PRIVATE_FOLDER_MODE = 0o700


def describe_os_error(error: OSError) -> str:
    """Return a short reason for a person: the system's words without the errno number."""
    return error.strerror or str(error)


def check_output_path(path: Path, *, what: str = "output") -> None:
    """Refuse, before any work is done, a target that cannot be written: a folder, or a missing parent folder.

    Raises
    ------
    OutputFileError
        Naming ``path`` and what is wrong with it.
    """
    if path.is_dir():
        raise OutputFileError(f"{what} {path}: is a folder; expected a file name")
    if not path.parent.is_dir():
        raise OutputFileError(f"{what} {path}: the folder {path.parent} does not exist")


def same_file(a: Path, b: Path) -> bool:
    """Return ``True`` when ``a`` and ``b`` are the same file on disk, ``False`` when either does not exist.

    A hard link or a symbolic link to the file counts as the same file.
    """
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


_Self = TypeVar("_Self", bound="CommitsOnCleanExit")


class CommitsOnCleanExit:
    """``with`` support for outputs that are complete or absent: a clean exit commits, an exception discards."""

    def commit(self) -> object:
        """Make the output complete and visible."""
        raise NotImplementedError

    def discard(self) -> None:
        """Abandon the output, leaving any previous file as it was."""
        raise NotImplementedError

    def __enter__(self: _Self) -> _Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()


class AtomicFile(CommitsOnCleanExit):
    """A file being written.

    ``stream`` is a temporary file beside ``path``; :meth:`commit` renames it into place, :meth:`discard` removes it.
    Use as a context manager: it commits on a clean exit and discards on an exception.

    Raises :class:`~tracking.errors.OutputFileError` (naming ``path``) when the temporary file cannot be made, written
    or renamed.
    """

    def __init__(self, path: str | Path, *, binary: bool = False, line_buffered: bool = False) -> None:
        self.path = Path(path)
        self._committed = False
        self._discarded = False
        try:
            descriptor, temp_name = tempfile.mkstemp(
                prefix=f"{_temp_prefix(self.path)}{os.getpid()}.", suffix=TEMP_SUFFIX, dir=self.path.parent
            )
        except OSError as error:
            raise OutputFileError(f"{self.path}: cannot write here ({describe_os_error(error)})") from None
        self.temp_path = Path(temp_name)
        mode = "wb" if binary else "w"
        options: dict[str, Any] = {} if binary else {"encoding": "utf-8", "newline": "\n"}
        self.stream: IO[Any] = os.fdopen(descriptor, mode, buffering=1 if line_buffered else -1, **options)

    def write(self, data: Any) -> None:
        """Write ``data`` (text or bytes, as opened); a full disk raises :class:`OutputFileError`."""
        try:
            self.stream.write(data)
        except OSError as error:
            self.discard()
            raise OutputFileError(f"{self.path}: cannot write ({describe_os_error(error)})") from None

    def commit(self) -> Path:
        """Flush, fsync, rename over ``path`` and fsync the folder; returns ``path``.

        Raises :class:`OutputFileError` when the file was discarded (a failed write): nothing was written.
        """
        if self._committed:
            return self.path
        if self._discarded:
            raise OutputFileError(f"{self.path}: not written (an earlier write failed)")
        try:
            if self.stream.closed:  # written by someone else through temp_path (see atomic_path)
                _fsync_file(self.temp_path)
            else:
                self.stream.flush()
                os.fsync(self.stream.fileno())
                self.stream.close()
            os.replace(self.temp_path, self.path)
        except OSError as error:
            self.discard()
            raise OutputFileError(f"{self.path}: cannot write ({describe_os_error(error)})") from None
        self._committed = True
        fsync_folder(self.path.parent)
        remove_orphaned_temp_files(self.path)
        return self.path

    def discard(self) -> None:
        """Close and remove the temporary file; ``path`` is left as it was (idempotent)."""
        if self._committed or self._discarded:
            return
        self._discarded = True
        with contextlib.suppress(OSError):
            self.stream.close()
        with contextlib.suppress(FileNotFoundError):
            self.temp_path.unlink()


def _fsync_file(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened, as on Windows)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems cannot fsync a folder; the rename itself already happened
    finally:
        os.close(descriptor)


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` completely or not at all."""
    with AtomicFile(path) as output:
        output.write(text)
    return Path(path)


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` completely or not at all."""
    with AtomicFile(path, binary=True) as output:
        output.write(data)
    return Path(path)


def _temp_prefix(path: Path) -> str:
    """Return how every temporary file of ``path`` is named first: ``.NAME.``, then the writer's process id."""
    return f"{TEMP_PREFIX}{path.name}."


def temporary_file_match(candidate_name: str, target_name: str) -> re.Match[str] | None:
    """Match ``candidate_name`` if it is a temporary file of a target named ``target_name``, else ``None``.

    ``.NAME.PID.XXXXXXXX.part`` (the ``pid`` group: the writer's process id), or ``.NAME.XXXXXXXX.part`` as written
    before the process id was added (``pid`` ``None``); ``XXXXXXXX``: 8 characters of :mod:`tempfile`'s alphabet.
    """
    pattern = rf"{re.escape(_temp_prefix(Path(target_name)))}(?:(?P<pid>\d+)\.)?[a-z0-9_]{{8}}{re.escape(TEMP_SUFFIX)}"
    return re.fullmatch(pattern, candidate_name)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by another user
        return True
    return True


def remove_orphaned_temp_files(path: Path) -> list[Path]:
    """Remove the temporary files of ``path`` whose writer is gone, and return them.

    Those are left by a writer killed (SIGKILL, a power cut) while it wrote: ``.NAME.PID.XXXX.part``. A writer
    still running keeps its file, whatever its age; a file whose name does not carry a process id is left alone.
    Errors are ignored: the file is litter beside a target that is already whole.
    """
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(path.parent):
            found = temporary_file_match(entry.name, path.name)
            pid = None if found is None or found["pid"] is None else int(found["pid"])
            if pid is None or pid == os.getpid() or _process_alive(pid):
                continue
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """For writers that take a file name (matplotlib's ``savefig``).

    Yields a temporary path beside ``path`` and renames it into place when the block ends without an exception.
    """
    output = AtomicFile(path, binary=True)
    output.stream.close()
    try:
        yield output.temp_path
    except BaseException:
        output.discard()
        raise
    output.commit()


def create_private_folders(folder: Path) -> None:
    """Create ``folder`` and its missing parents with mode 0700 (``mkdir(parents=True)`` would use 0777).

    Raises
    ------
    OSError
        From the first folder that cannot be created; its ``filename`` names that folder.
    """
    missing: list[Path] = []
    current = folder
    while not os.path.lexists(current) and current != current.parent:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        path.mkdir(mode=PRIVATE_FOLDER_MODE, exist_ok=True)
