"""A level keeps a bounded span of samples for a trial's analysis, so that a trial that cannot end no longer fills the
memory (found by the 30-minute soak benchmark: a head hold played from a recording with only a hand in it).

While the trial has not seen its effector, only UNSEEN_SAMPLES_KEPT_S are kept (the rest before a movement that
segmentation needs); once it has, at most MAX_TRIAL_SAMPLES_S."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pygame
import pytest

from game.scenes.level import MAX_TRIAL_SAMPLES_S, UNSEEN_SAMPLES_KEPT_S, LevelScene
from levels.events import Command, CommandIssued, TrackedFrame
from levels.loader import load_level
from tests.support.game_contexts import tracked_reach_context
from tests.support.game_inputs import FakeTracker, hand_sample, sample
from tracking.types import HeadAngles, TrackedSample

SIZE_PX = (960, 540)
FPS = 30.0


@pytest.fixture(autouse=True)
def window() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


def hold_scene(tmp_path: Path) -> LevelScene:
    context = tracked_reach_context(tmp_path, SIZE_PX, FakeTracker())
    context.level = load_level("hold")  # the head's hold
    return LevelScene(context)


def kept_span_s(scene: LevelScene) -> float:
    kept = list(scene.trial_samples)
    return kept[-1].signals.t_s - kept[0].signals.t_s


def feed(scene: LevelScene, seconds: float, make: Callable[[float], TrackedSample]) -> None:
    for index in range(round(seconds * FPS)):
        t_s = index / FPS
        scene.update([TrackedFrame(t_s, make(t_s))], 1.0 / FPS)


def test_a_hold_that_never_sees_the_head_keeps_only_the_last_seconds(tmp_path: Path) -> None:
    scene = hold_scene(tmp_path)
    feed(scene, MAX_TRIAL_SAMPLES_S + 60.0, lambda t_s: hand_sample(t_s, (0.5, 0.5)))
    assert not scene.state.progress.results  # no trial ended: every sample went to the one trial waiting
    assert UNSEEN_SAMPLES_KEPT_S - 1.0 / FPS <= kept_span_s(scene) <= UNSEEN_SAMPLES_KEPT_S
    assert len(scene.trial_samples) <= UNSEEN_SAMPLES_KEPT_S * FPS + 1


def test_a_trial_that_has_seen_its_effector_keeps_at_most_the_longest_span(tmp_path: Path) -> None:
    scene = hold_scene(tmp_path)
    scene.update([CommandIssued(0.0, Command.PAUSE)], 1.0 / FPS)  # paused: the trial cannot end, samples still come
    assert scene.state.progress.clock.paused
    feed(scene, MAX_TRIAL_SAMPLES_S + 60.0, lambda t_s: sample(t_s, None, head=HeadAngles(20.0, 0.0, 0.0)))
    assert not scene.state.progress.results
    assert MAX_TRIAL_SAMPLES_S - 1.0 / FPS <= kept_span_s(scene) <= MAX_TRIAL_SAMPLES_S  # the newest, no more
