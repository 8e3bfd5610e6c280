"""Small throw-away file systems for tests of full and read-only disks (needs root, as in CI; skips otherwise).

``chmod`` cannot make a folder read-only for root, so a read-only tmpfs is mounted instead; a full disk is a tmpfs of
a few kilobytes; a disk that fails mid-session is an ext4 image that the test turns read-only. All are unmounted when
the ``with`` block ends.
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


@contextlib.contextmanager
def ext4_image(folder: Path, *, size_mib: int = 16) -> Iterator[Ext4Mount]:
    """An ext4 file system in a loop-mounted image at ``folder`` (created), that the test can turn read-only.

    Mounted ``errors=remount-ro``, as Debian and Ubuntu mount their disks: after an error ext4 turns the whole file
    system read-only at once, open files included (new writes fail with EROFS), which no ``chmod`` or remount can do
    while files are open for writing. Needs root, ``mkfs.ext4`` and a loop device; skips otherwise.
    """
    folder.mkdir(parents=True, exist_ok=True)
    image = folder.with_name(f"{folder.name}.img")
    with image.open("wb") as stream:
        stream.truncate(size_mib * 1024 * 1024)
    steps = [["mkfs.ext4", "-q", str(image)], ["mount", "-o", "loop,errors=remount-ro", str(image), str(folder)]]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            image.unlink()
            pytest.skip(f"cannot make an ext4 image at {folder} (needs root and a loop device): {done.stderr.strip()}")
    try:
        yield Ext4Mount(folder, image)
    finally:
        _unmount(folder)
        image.unlink(missing_ok=True)


class Ext4Mount:
    """A mounted ext4 image (:func:`ext4_image`)."""

    def __init__(self, folder: Path, image: Path) -> None:
        self.folder = folder
        self.image = image

    def _device_name(self) -> str:
        for line in Path("/proc/self/mounts").read_text().splitlines():
            device, mount_point, kind, *_ = line.split()
            if mount_point == str(self.folder) and kind == "ext4":
                return Path(device).name
        raise AssertionError(f"{self.folder} is not an ext4 mount")

    def turn_read_only(self) -> None:
        """Raise a file-system error (ext4's own test hook): ext4 turns the file system read-only at once."""
        trigger = Path("/sys/fs/ext4") / self._device_name() / "trigger_fs_error"
        trigger.write_text("motorplay test: the data disk fails\n")
        assert "ro" in self.options() or "emergency_ro" in self.options(), self.options()

    def options(self) -> list[str]:
        """The mount options the kernel reports now."""
        for line in Path("/proc/self/mounts").read_text().splitlines():
            _, mount_point, _, options, *_ = line.split()
            if mount_point == str(self.folder):
                return options.split(",")
        raise AssertionError(f"{self.folder} is not mounted")

    def remount_repaired(self) -> None:
        """Unmount, repair with ``e2fsck`` (what a restart does), and mount again read-write at the same place."""
        device = self._device_name()
        for step in (["umount", str(self.folder)], ["e2fsck", "-fy", str(self.image)]):
            done = subprocess.run(step, capture_output=True, text=True, check=False)
            assert done.returncode in (0, 1), f"{step} (device {device}): {done.stdout}{done.stderr}"  # 1: repaired
        subprocess.run(["mount", "-o", "loop,errors=remount-ro", str(self.image), str(self.folder)], check=True)
