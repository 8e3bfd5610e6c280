"""Small throw-away file systems for tests of full and read-only disks (needs root, as in CI; skips otherwise).

``chmod`` cannot make a folder read-only for root, so a read-only tmpfs is mounted instead; a full disk is a tmpfs of
a few kilobytes. Both are unmounted when the ``with`` block ends.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _mount(folder: Path, options: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs at {folder} (needs root): {done.stderr.strip()}")


def _unmount(folder: Path) -> None:
    # -l (lazy): detached even while a file in it is still open (a failing test may have left one open).
    subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


@contextlib.contextmanager
def tmpfs(folder: Path, *, size_kib: int = 64, read_only: bool = False) -> Iterator[Path]:
    """A tmpfs of ``size_kib`` KiB mounted at ``folder`` (created), read-only if asked; yields ``folder``."""
    _mount(folder, f"size={size_kib}k" + (",ro" if read_only else ""))
    try:
        yield folder
    finally:
        _unmount(folder)


def fill(folder: Path, *, leave_bytes: int) -> None:
    """Fill the file system of ``folder`` until about ``leave_bytes`` are free (written to ``folder/filler``)."""
    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    with (folder / "filler").open("wb") as stream:
        stream.write(b"\0" * max(free - leave_bytes, 0))
