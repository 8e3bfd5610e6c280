"""The seconds of sensory trick in a trial, from tracked samples (``trick_seconds``) and on a level clock
(``TrickTimer``), from the per-frame ``hand_on_face`` signal."""

from __future__ import annotations

import pytest

from levels.events import HeadPose, TrackedFrame
from levels.sensory_trick import TrickTimer, trick_seconds
from tracking.types import HeadAngles, LandmarkFrame, Signals, TrackedSample


def sample(t_s: float, on_face: bool | None) -> TrackedSample:
    return TrackedSample(LandmarkFrame(t_s), Signals(t_s, hand_on_face=on_face))


def test_each_sample_counts_until_the_next_one() -> None:
    # 30 fps with a dropped frame: the hand is on the face from 0.1 s to 0.4 s (the frame at 0.4 s is off).
    times = [0.0, 1 / 30, 2 / 30, 0.1, 0.2, 0.3, 0.4, 0.5]
    flags: list[bool | None] = [False, None, False, True, True, True, False, True]
    samples = [sample(t, flag) for t, flag in zip(times, flags, strict=True)]
    assert trick_seconds(samples) == pytest.approx(0.3)  # the last sample's length is unknown: not counted
    assert trick_seconds([]) == 0.0 and trick_seconds(samples[-1:]) == 0.0
    assert trick_seconds([sample(0.0, None), sample(1.0, None)]) == 0.0  # no face: no trick


def test_the_timer_counts_only_while_the_hand_is_on_the_face() -> None:
    timer = TrickTimer()
    timer = timer.advance(1.0)
    assert timer.seconds == 0.0
    timer = timer.take(TrackedFrame(0.0, sample(0.0, True))).advance(0.5)
    timer = timer.take(HeadPose(0.0, HeadAngles(1.0, 0.0, 0.0))).advance(0.25)  # other events change nothing
    timer = timer.take(TrackedFrame(0.0, sample(0.0, None))).advance(2.0)  # the face lost: not a trick
    assert timer.seconds == pytest.approx(0.75) and not timer.on_face
    restarted = timer.take(TrackedFrame(0.0, sample(0.0, True))).restart()
    assert restarted.seconds == 0.0 and restarted.on_face
