"""PNG frames a person can look at: one when a scene is shown, then one every ``interval_s``."""

from __future__ import annotations

from pathlib import Path

import pygame

SCREENSHOT_INTERVAL_S = 1.0


class ScreenshotRecorder:
    """Saves ``NNNN_<scene>_<seconds>s.png`` files into ``directory`` (created when missing)."""

    def __init__(self, directory: Path, *, interval_s: float = SCREENSHOT_INTERVAL_S) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self._interval_s = interval_s
        self._next_s = 0.0
        self._count = 0
        self.saved: list[Path] = []

    def capture(self, surface: pygame.Surface, scene_name: str, now_s: float, *, scene_changed: bool) -> None:
        if not scene_changed and now_s < self._next_s:
            return
        self._count += 1
        path = self.directory / f"{self._count:04d}_{scene_name}_{now_s:06.2f}s.png"
        pygame.image.save(surface, str(path))
        self.saved.append(path)
        self._next_s = now_s + self._interval_s
