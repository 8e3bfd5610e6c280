"""Whole sessions played headless through ``run_session`` with the mouse and a simulated clock: the patient pauses
(the Pause button held, or P), answers "It hurts" (the pointer held on it, or the key 2) and resumes (P or Escape);
the level scene keeps the pain (``paused_for_pain``, ``pause_reasons``) and the level clock stopped only while
paused."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from game import session_flow
from game.scenes.controls import PAUSE_BUTTON_NORM
from game.scenes.level import PAUSE_REASONS, LevelScene, pause_buttons_norm
from game.session import HEADLESS_READING_S
from tests.support.game_flows import KeyPress
from tests.support.session_flows import MouseClock, hold_at, play_with_mouse, reach_level_file
from tests.support.session_wiring import kept_instances

PAUSE_PRESSED_S = 4.5  # Pause held from 3 s: pressed after the 1.5 s dwell
PAIN_PRESSED_S = 6.5  # "It hurts" held from 5 s
RESUMED_S = 7.0  # P pressed
END_S = 9.0


@pytest.fixture(autouse=True)
def _no_records_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTORPLAY_DB", raising=False)
    monkeypatch.delenv("MOTORPLAY_DATA_DIR", raising=False)


def test_pause_answer_pain_by_dwell_then_resume_with_p(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scenes = kept_instances(monkeypatch, session_flow, LevelScene)
    level = reach_level_file(tmp_path, "first", trials=5, timeout_s=30.0)
    pain = pause_buttons_norm()[[reason.code for reason in PAUSE_REASONS].index("pain")]
    moves = [
        *hold_at(PAUSE_BUTTON_NORM[:2], 3.0, 4.8),
        *hold_at(pain[:2], 5.0, 6.8),
    ]
    result = play_with_mouse(
        [level],
        lambda: MouseClock(moves, keys=[KeyPress(RESUMED_S, pygame.K_p)]),
        data_dir=tmp_path / "data",
        max_seconds=END_S,
        results_json=tmp_path / "session.json",
        offer_choices=False,
    )
    (scene,) = scenes
    assert scene.paused_for_pain and scene.pause_reasons == ["pain"]
    state = result.level_state
    assert state is not None and not state.progress.clock.paused  # P resumed the level
    # The level clock ran from the reading time to the pause, and again from P to the end: not while paused.
    expected_s = (PAUSE_PRESSED_S - HEADLESS_READING_S) + (END_S - RESUMED_S)
    assert state.progress.clock.elapsed_s == pytest.approx(expected_s, abs=0.15)


def test_pause_answer_and_resume_with_keys_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """P pauses, the key 2 answers "It hurts", Escape resumes: real key presses through the mouse input."""
    scenes = kept_instances(monkeypatch, session_flow, LevelScene)
    level = reach_level_file(tmp_path, "first", trials=5, timeout_s=30.0)
    keys = [KeyPress(3.0, pygame.K_p), KeyPress(4.0, pygame.K_2), KeyPress(5.0, pygame.K_ESCAPE)]
    result = play_with_mouse(
        [level],
        lambda: MouseClock(keys=keys),
        data_dir=tmp_path / "data",
        max_seconds=6.0,
        offer_choices=False,
    )
    (scene,) = scenes
    assert scene.paused_for_pain and scene.pause_reasons == ["pain"]
    state = result.level_state
    assert state is not None and not state.progress.clock.paused
    assert state.progress.clock.elapsed_s == pytest.approx((3.0 - HEADLESS_READING_S) + (6.0 - 5.0), abs=0.15)
