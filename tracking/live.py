"""Live tracking for the game: a worker thread runs the landmarker so that the game loop never waits.

The game polls; the newest frame wins when inference falls behind. A video file or a landmark recording plays at
its own timestamps, as a camera would deliver it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from tracking.frames import LandmarkFrame, Signals, SourceInfo


@dataclass(frozen=True)
class SourceSpec:
    """Where live landmarks come from: a camera index, or a video file / ``.jsonl`` recording path."""

    camera_index: int | None = 0
    path: Path | None = None

    def describe(self) -> str:
        return str(self.path) if self.path is not None else f"camera {self.camera_index}"


@dataclass(frozen=True)
class TrackedSample:
    """One tracked frame with its raw signals."""

    frame: LandmarkFrame
    signals: Signals


class LiveTracker(Protocol):
    """What the game sees of live tracking."""

    info: SourceInfo

    def poll(self) -> list[TrackedSample]:
        """Every sample finished since the last poll, oldest first; never blocks."""

    @property
    def ended(self) -> bool:
        """True once a file source has played to its end, or a camera stopped delivering images."""

    @property
    def error(self) -> str | None:
        """A message for a person when the worker failed (camera unplugged, bad file), else ``None``."""

    def close(self) -> None:
        """Stop the worker and release the source."""
