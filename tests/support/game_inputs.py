"""Stand-ins for live tracking in game tests: a tracker that hands out queued samples, and tracked samples with a
real hand's landmarks (``tests/fixtures/hand_landmarks_open.json``) placed where a test wants the palm."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from tracking.errors import UserFacingError
from tracking.hand_signals import palm_centre_norm
from tracking.types import (
    GraspState,
    Handedness,
    HandLandmarks,
    HeadAngles,
    LandmarkFrame,
    Signals,
    SourceInfo,
    TrackedSample,
)

TEMPLATE_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "hand_landmarks_open.json"


class FakeTracker:
    """Hands out queued samples; a stand-in for tracking.live's worker (tests only). ``ended``, ``error`` and
    ``failure`` are set by the test; ``started`` records whether the game started it."""

    def __init__(self, *, duration_s: float | None = None) -> None:
        self.info = SourceInfo(fps=30.0, width_px=640, height_px=360, name="fake")
        self.duration_s = duration_s
        self.queue: list[TrackedSample] = []
        self.ended = False
        self.error: str | None = None
        self.failure: UserFacingError | None = None
        self.started = False
        self.closed = False
        self.paused = False  # the game's pause, passed on (a file's clock stops)

    def start(self) -> None:
        self.started = True

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused = False

    def poll(self) -> list[TrackedSample]:
        samples, self.queue = self.queue, []
        return samples

    def close(self) -> None:
        self.closed = True


def sample(
    t_s: float,
    cursor: tuple[float, float] | None,
    *,
    grasp_state: GraspState | None = None,
    head: HeadAngles | None = None,
) -> TrackedSample:
    return TrackedSample(LandmarkFrame(t_s), Signals(t_s, cursor_norm=cursor, grasp_state=grasp_state, head=head))


def hand_at(palm_norm: tuple[float, float]) -> HandLandmarks:
    """The real open hand of ``tests/fixtures/hand_landmarks_open.json`` moved so its palm centre is at
    ``palm_norm`` (normalised image coordinates)."""
    template = json.loads(TEMPLATE_PATH.read_text(encoding="utf-8"))
    landmarks = np.asarray(template["landmarks"], dtype=np.float64)
    hand = HandLandmarks(Handedness(template["side"]), 0.95, landmarks)
    centre = palm_centre_norm(hand)
    shifted = landmarks + np.array([palm_norm[0] - centre[0], palm_norm[1] - centre[1], 0.0])
    return HandLandmarks(hand.side, hand.score, shifted)


def hand_sample(t_s: float, palm_norm: tuple[float, float]) -> TrackedSample:
    """A tracked frame with a real hand's landmarks whose palm centre (the cursor) is at ``palm_norm``."""
    return TrackedSample(LandmarkFrame(t_s, (hand_at(palm_norm),)), Signals(t_s, cursor_norm=palm_norm))
