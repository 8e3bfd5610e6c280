"""A level keeps at most MAX_TRIAL_SAMPLES_S of samples for a trial's analysis: a trial that cannot end (a head
hold played with only a hand in the picture, found by the 30-minute soak benchmark) no longer fills the memory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from game.scenes.level import MAX_TRIAL_SAMPLES_S, LevelScene
from levels.events import TrackedFrame
from levels.loader import load_level
from tests.support.game_contexts import tracked_reach_context
from tests.support.game_inputs import FakeTracker, hand_sample

SIZE_PX = (960, 540)
FPS = 30.0


@pytest.fixture(autouse=True)
def window() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


def test_a_hold_that_never_sees_the_head_keeps_only_the_last_samples(tmp_path: Path) -> None:
    context = tracked_reach_context(tmp_path, SIZE_PX, FakeTracker())
    context.level = load_level("hold")  # the head's hold: a hand alone never starts or ends its trial
    scene = LevelScene(context)
    seconds = MAX_TRIAL_SAMPLES_S + 60.0
    for index in range(round(seconds * FPS)):
        t_s = index / FPS
        scene.update([TrackedFrame(t_s, hand_sample(t_s, (0.5, 0.5)))], 1.0 / FPS)
    assert not scene.state.progress.results  # no trial ended: every sample went to the one trial under way
    kept = list(scene.trial_samples)
    span_s = kept[-1].signals.t_s - kept[0].signals.t_s
    assert MAX_TRIAL_SAMPLES_S - 1.0 / FPS <= span_s <= MAX_TRIAL_SAMPLES_S  # the newest samples, no more
    assert len(kept) <= MAX_TRIAL_SAMPLES_S * FPS + 1
