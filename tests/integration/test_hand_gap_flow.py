"""Tracking lost mid-trial (the patient leaves the picture), through the whole game (issue 9, "Faults").

A landmark recording of a real hand reaching the three targets of a level, played as ``play --source`` plays it
(``run_session``, headless, simulated clock): halfway through the second reach the hand leaves the picture for
longer than the level's time limit for a target (the frames go on, without a hand), comes back where that reach
began and makes it again. The level waits, the reach is a hit (the time away cost no timeout), and no break is
counted for the time the hand was not seen (nor for its jump back: the track is split at the gap).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pygame
import pytest

from clinic.calibration_store import CalibrationStore
from game.scenes.results import ResultsScene
from game.session import DEFAULT_WINDOW_PX, SessionOptions, run_session
from levels.feedback import TrialFeedback
from levels.trial import Outcome
from tests.support.game_flows import (
    FIRST_MOVE_S,
    HOLD_S,
    MOVE_S,
    REACH,
    KeyPress,
    ScriptedClock,
    level_targets,
    position,
    reach_waypoints,
    three_target_level_toml,
)
from tests.support.game_inputs import hand_at
from tracking.calibration import Calibration
from tracking.recording import RecordingWriter
from tracking.types import LandmarkFrame, SourceInfo

FPS = 30.0
LEVEL_TOML = three_target_level_toml(name="flows", title="Three targets", seed=7, trial_timeout_s=6.0)
# Halfway through the second reach (it starts at SECOND_REACH_S) the hand leaves for AWAY_S, longer than the level's
# trial_timeout_s: a clock that did not stop while the hand is away would make the reach a miss.
SECOND_REACH_S = FIRST_MOVE_S + MOVE_S + HOLD_S
AWAY_AT_S = SECOND_REACH_S + MOVE_S / 2
AWAY_S = 8.0
START_AT_S = 1.0  # Space on the menu: the recording starts with the level
QUIT_AT_S = 40.0


def write_recording_with_a_gap(path: Path, waypoints: list[tuple[float, tuple[float, float]]]) -> Path:
    """Frames every 1/FPS: the hand on ``waypoints``, none from AWAY_AT_S for AWAY_S, then the second reach again
    from its start and the rest of ``waypoints``."""
    back_s = AWAY_AT_S + AWAY_S
    end_s = back_s + waypoints[-1][0] - SECOND_REACH_S + 1.0
    with RecordingWriter(path, SourceInfo(FPS, 640, 360, "hand leaves")) as writer:
        for t_s in (float(t) for t in np.arange(0.0, end_s, 1.0 / FPS)):
            if AWAY_AT_S <= t_s < AWAY_AT_S + AWAY_S:
                writer.write(LandmarkFrame(t_s))  # a picture without the hand
                continue
            hand_s = t_s if t_s < AWAY_AT_S else SECOND_REACH_S + t_s - back_s
            writer.write(LandmarkFrame(t_s, (hand_at(position(waypoints, hand_s)),)))
    return path


def test_the_hand_leaving_the_picture_mid_reach_costs_no_failure_and_no_break(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    level_path = tmp_path / "flows.toml"
    level_path.write_text(LEVEL_TOML, encoding="utf-8")
    waypoints = reach_waypoints(
        REACH, level_targets(level_path, DEFAULT_WINDOW_PX), first_move_s=FIRST_MOVE_S, move_s=MOVE_S, hold_s=HOLD_S
    )
    recording = write_recording_with_a_gap(tmp_path / "gap.jsonl", waypoints)
    shown: list[tuple[list[Outcome], list[TrialFeedback]]] = []
    original = ResultsScene.on_show

    def on_show(scene: ResultsScene) -> None:
        shown.append(([r.outcome for r in scene.state.progress.results], list(scene.feedback)))
        original(scene)

    monkeypatch.setattr(ResultsScene, "on_show", on_show)
    data_dir = tmp_path / "data"
    CalibrationStore(data_dir).save("anna", Calibration(REACH))
    clock = ScriptedClock([KeyPress(START_AT_S, pygame.K_SPACE), KeyPress(QUIT_AT_S, pygame.K_q)])
    result = run_session(
        SessionOptions(level=str(level_path), source=recording, patient="anna", data_dir=data_dir, max_seconds=60.0),
        clock_factory=lambda: clock,
    )
    assert not result.timed_out and result.scenes[:4] == ["loading", "menu", "level", "results"], result.scenes
    outcomes, feedback = shown[0]
    assert outcomes == [Outcome.HIT] * 3  # the time away cost the second reach no timeout
    interrupted = feedback[1]
    assert interrupted.measured, interrupted
    assert interrupted.break_count == 0, interrupted  # nothing counted for the time the hand was not seen
