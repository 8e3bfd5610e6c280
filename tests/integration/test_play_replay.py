"""The reach level played from a replayed landmark recording through the live tracker: the recorded hand moves
to each target the level will show, and the targets are hit. No camera, no MediaPipe: the landmarks are a real
hand's (tests/fixtures/hand_landmarks_open.json) moved along minimum-jerk reaches."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic.calibration_store import CalibrationStore
from game.session import DEFAULT_WINDOW_PX, HEADLESS_READING_S, SessionOptions, run_session
from levels.loader import load_level
from levels.reach.rules import ReachState, trial_target
from levels.trial import Outcome
from tests.support.game_flows import (
    FIRST_MOVE_S,
    HOLD_S,
    MOVE_S,
    REACH,
    REPLAY_WAIT_PER_FRAME_S,
    ScriptedClock,
    level_targets,
    reach_waypoints,
    three_target_level_toml,
    write_hand_recording,
)
from tests.support.game_flows import image_point as support_image_point
from tests.support.game_flows import position as position  # docs/make_screenshots.py imports it from here
from tracking.calibration import Calibration

FPS = 30.0
LEVEL_TOML = three_target_level_toml(name="replay", title="Replay reach", seed=99)
REAL_WAIT_PER_FRAME_S = REPLAY_WAIT_PER_FRAME_S


class SteppedClock(ScriptedClock):
    """Simulated time that advances one 1/60 s frame a tick, shared with the live tracker's replay (no keys)."""

    def __init__(self) -> None:
        super().__init__(real_wait_s=REAL_WAIT_PER_FRAME_S)


def image_point(screen: tuple[float, float]) -> tuple[float, float]:
    """The palm position (image coordinates) that the mirrored reach mapping sends to ``screen``."""
    return support_image_point(REACH, screen)


def write_recording(path: Path, targets: list[tuple[float, float]]) -> None:
    waypoints = reach_waypoints(REACH, targets, first_move_s=FIRST_MOVE_S, move_s=MOVE_S, hold_s=HOLD_S)
    write_hand_recording(path, waypoints, fps=FPS)


def test_reach_level_from_replayed_recording(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    level_path = tmp_path / "replay.toml"
    level_path.write_text(LEVEL_TOML, encoding="utf-8")
    level = load_level(level_path)
    targets = level_targets(level_path, DEFAULT_WINDOW_PX)
    recording = tmp_path / "reach.jsonl"
    write_recording(recording, targets)
    CalibrationStore(tmp_path / "data").save("replay-patient", Calibration(REACH))
    options = SessionOptions(
        level=str(level_path),
        source=recording,
        patient="replay-patient",
        data_dir=tmp_path / "data",
        headless=True,
        # The recording starts with the level, after the menu's reading time.
        max_seconds=HEADLESS_READING_S + FIRST_MOVE_S + 3 * (MOVE_S + HOLD_S) + 3.0,
        screenshot_dir=tmp_path / "shots",
    )
    result = run_session(options, clock_factory=SteppedClock)
    assert result.exit_code == 0
    assert result.scenes[:4] == ["loading", "menu", "level", "results"], result.scenes
    state = result.level_results
    assert isinstance(state, ReachState)
    results = state.progress.results
    assert [r.outcome for r in results] == [Outcome.HIT] * 3, results
    assert [trial_target(r) for r in results] == targets
    for trial in results:
        # Each target is reached in MOVE_S (the filtered cursor lags a little) and held for the dwell.
        assert level.dwell_time_s < trial.duration_s < MOVE_S + HOLD_S + level.inter_trial_pause_s
    assert any("results" in path.name for path in result.screenshots)
