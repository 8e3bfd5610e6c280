"""For tests of the live tracker's worker threads: a fixture that fails a test leaving a worker running, and a
landmark recording of a still open hand to play."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.camera_faults import wait_until
from tests.support.synthetic_landmarks import bent_hand_points, hand_from_points
from tracking.live import THREAD_NAME_PREFIX
from tracking.recording import RecordingWriter
from tracking.types import LandmarkFrame, SourceInfo


@pytest.fixture()
def no_leftover_threads() -> Iterator[None]:
    """After the test, every live tracking worker thread ends (within camera_faults.STUCK_AFTER_S)."""
    yield
    wait_until(
        lambda: not any(thread.name.startswith(THREAD_NAME_PREFIX) for thread in threading.enumerate()),
        "a live tracking worker was left running",
    )


def write_still_hand_recording(path: Path, *, fps: float, frames: int) -> Path:
    """A 640x360 recording of ``frames`` frames at ``fps``, each with the same open synthetic hand."""
    hand = hand_from_points(bent_hand_points(0.0), with_world=False)
    with RecordingWriter(path, SourceInfo(fps=fps, width_px=640, height_px=360, name="synthetic")) as writer:
        for index in range(frames):
            writer.write(LandmarkFrame(t_s=index / fps, hands=(hand,)))
    return path
