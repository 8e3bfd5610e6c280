"""PNG frames a person can look at: one when a scene is shown, then one every ``interval_s``.

The folder is checked before the game starts (:func:`check_screenshot_dir`); each PNG is written completely or not
at all (:mod:`tracking.atomic_files`). A write that fails later (the disk filled up) stops the screenshots, not the
game: the error is kept and the command reports it when the game ends.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pygame

from game.errors import GameSetupError
from tracking.atomic_files import describe_os_error, write_bytes_atomic
from tracking.errors import OutputFileError

SCREENSHOT_INTERVAL_S = 1.0
OPTION = "--screenshot-dir"


def check_screenshot_dir(directory: Path) -> None:
    """Create ``directory`` when missing and make sure files can be written in it, before the game starts.

    Raises
    ------
    GameSetupError
        Naming the option and the folder: a file is in the way, the folder cannot be created, or it is read-only.
    """
    if directory.exists() and not directory.is_dir():
        raise GameSetupError(f"{OPTION} {directory}: is a file, not a folder; give a folder for the screenshots.")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=directory, prefix=".motorplay-check-"):
            pass
    except OSError as error:
        raise GameSetupError(
            f"{OPTION} {directory}: cannot write screenshots there ({describe_os_error(error)}); "
            "give a folder you can write to."
        ) from None


class ScreenshotRecorder:
    """Saves ``NNNN_<scene>_<seconds>s.png`` files into ``directory`` (created when missing)."""

    def __init__(self, directory: Path, *, interval_s: float = SCREENSHOT_INTERVAL_S) -> None:
        check_screenshot_dir(directory)
        self.directory = directory
        self._interval_s = interval_s
        self._next_s = 0.0
        self._count = 0
        self.saved: list[Path] = []
        self.error: OutputFileError | None = None  # the first failed write; no screenshots are taken after it

    def capture(self, surface: pygame.Surface, scene_name: str, now_s: float, *, scene_changed: bool) -> None:
        if self.error is not None or (not scene_changed and now_s < self._next_s):
            return
        self._count += 1
        path = self.directory / f"{self._count:04d}_{scene_name}_{now_s:06.2f}s.png"
        png = io.BytesIO()
        pygame.image.save(surface, png, "png")
        try:
            write_bytes_atomic(path, png.getvalue())
        except OutputFileError as error:
            self.error = OutputFileError(f"{OPTION}: screenshots stopped: {error}")
            return
        self.saved.append(path)
        self._next_s = now_s + self._interval_s
