"""The reach level played from a replayed landmark recording through the live tracker: the recorded hand moves
to each target the level will show, and the targets are hit. No camera, no MediaPipe: the landmarks are a real
hand's (tests/fixtures/hand_landmarks_open.json) moved along minimum-jerk reaches."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pygame
import pytest

from clinic.calibration_store import CalibrationStore
from game.frame_clock import SimulatedFrameClock
from game.reach_rules import Outcome, all_targets
from game.scenes.level import reach_params
from game.session import DEFAULT_WINDOW_PX, HEADLESS_READING_S, SessionOptions, run_session
from game.theme import Theme
from levels.loader import load_level
from tests.unit.test_game_input import hand_at
from tracking.calibration import Calibration, ReachRange
from tracking.frames import LandmarkFrame, SourceInfo
from tracking.recording import RecordingWriter

FPS = 30.0
REACH = ReachRange(0.25, 0.75, 0.2, 0.8)
LEVEL_TOML = """\
name = "replay"
title = "Replay reach"
kind = "reach"
trials = 3
target_radius_norm = 0.09
dwell_time_s = 0.6
trial_timeout_s = 20.0
inter_trial_pause_s = 1.0
models = ["hands"]
seed = 99
"""
# The recorded patient rests until the first target is surely shown, then reaches each target in MOVE_S and
# holds it HOLD_S: longer than the dwell plus the level's rest, so the game is always waiting for the hand.
FIRST_MOVE_S = HEADLESS_READING_S + 1.0 + 0.5
MOVE_S = 0.8
HOLD_S = 1.6
# Real seconds each 1/60 s game frame waits: longer than the tracker worker's wait slice (5 ms), so the worker looks
# at the clock at least once a frame and publishes every recorded frame in time; the game runs ~2.8x real time.
REAL_WAIT_PER_FRAME_S = 0.006


class SteppedClock(SimulatedFrameClock):
    """Simulated time that advances one 1/60 s frame a tick, shared with the live tracker's replay.

    The game and the tracker see the same time, so the test does not depend on the machine's speed: a slow
    frame delays both (real time would let the replay run ahead of a stalled game)."""

    def tick(self) -> float:
        time.sleep(REAL_WAIT_PER_FRAME_S)
        return super().tick()


def image_point(screen: tuple[float, float]) -> tuple[float, float]:
    """The palm position (image coordinates) that the mirrored reach mapping sends to ``screen``."""
    x = REACH.x_min_norm + (1.0 - screen[0]) * (REACH.x_max_norm - REACH.x_min_norm)
    y = REACH.y_min_norm + screen[1] * (REACH.y_max_norm - REACH.y_min_norm)
    return x, y


def write_recording(path: Path, targets: list[tuple[float, float]]) -> None:
    palm = image_point((0.5, 0.5))
    waypoints = [(0.0, palm), (FIRST_MOVE_S, palm)]
    t_s = FIRST_MOVE_S
    for target in targets:
        goal = image_point(target)
        waypoints += [(t_s + MOVE_S, goal), (t_s + MOVE_S + HOLD_S, goal)]
        t_s += MOVE_S + HOLD_S
    with RecordingWriter(path, SourceInfo(FPS, 640, 360, "synthetic reach")) as writer:
        for frame_t_s in np.arange(0.0, t_s + 1.0, 1.0 / FPS):
            writer.write(LandmarkFrame(float(frame_t_s), (hand_at(position(waypoints, float(frame_t_s))),)))


def position(waypoints: list[tuple[float, tuple[float, float]]], t_s: float) -> tuple[float, float]:
    """Minimum-jerk (Flash and Hogan 1985) between consecutive waypoints."""
    for (t0, p0), (t1, p1) in zip(waypoints, waypoints[1:], strict=False):
        if t0 <= t_s <= t1:
            u = (t_s - t0) / (t1 - t0)
            s = 10 * u**3 - 15 * u**4 + 6 * u**5
            return p0[0] + s * (p1[0] - p0[0]), p0[1] + s * (p1[1] - p0[1])
    return waypoints[-1][1]


def test_reach_level_from_replayed_recording(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    level_path = tmp_path / "replay.toml"
    level_path.write_text(LEVEL_TOML, encoding="utf-8")
    level = load_level(level_path)
    pygame.init()
    targets = all_targets(reach_params(level, DEFAULT_WINDOW_PX, Theme.for_height(DEFAULT_WINDOW_PX[1])))
    pygame.quit()
    recording = tmp_path / "reach.jsonl"
    write_recording(recording, targets)
    CalibrationStore(tmp_path / "data").save("replay-patient", Calibration(REACH))
    options = SessionOptions(
        level=str(level_path),
        source=recording,
        patient="replay-patient",
        data_dir=tmp_path / "data",
        headless=True,
        max_seconds=FIRST_MOVE_S + 3 * (MOVE_S + HOLD_S) + 3.0,
        screenshot_dir=tmp_path / "shots",
    )
    result = run_session(options, clock_factory=SteppedClock)
    assert result.exit_code == 0
    assert result.scenes[:3] == ["menu", "level", "results"], result.scenes
    state = result.level_results
    assert state is not None
    assert [r.outcome for r in state.results] == [Outcome.HIT] * 3, state.results
    assert [r.target for r in state.results] == targets
    for trial in state.results:
        # Each target is reached in MOVE_S (the filtered cursor lags a little) and held for the dwell.
        assert level.dwell_time_s < trial.duration_s < MOVE_S + HOLD_S + level.inter_trial_pause_s
    assert any("results" in path.name for path in result.screenshots)
