"""The hold levels played headless to their end through ``run_session``: from a landmark recording of a real face
mesh turned into a stretch, drifting out once and back, and with the mouse's arrow keys as a simulated head."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from clinic.calibration_store import CalibrationStore
from game.input_source import InputKind
from game.session import SessionOptions, run_session
from levels.hold.rules import HoldState
from levels.trial import Outcome
from tests.support.game_flows import KeyPress, ScriptedClock
from tests.support.head_recordings import real_face, write_head_recording
from tracking.calibration import Calibration, ReachRange
from tracking.types import HeadAngles

FPS = 30.0
MENU_S = 1.0  # the player starts the level from the menu after this long
NEUTRAL = HeadAngles(0.0, 0.0, 0.0)
STRETCH = HeadAngles(15.0, 0.0, 0.0)
DRIFTED = HeadAngles(25.0, 0.0, 0.0)  # 10 degrees past the stretch: out of its 5-degree tolerance
LEVEL_TOML = """\
schema_version = 1
name = "{name}"
title = "Short stretch"
kind = "hold"
models = ["face"]
repetitions = 2
hold_time_s = 3.0
inter_trial_pause_s = 1.0
trial_timeout_s = 10.0
target_yaw_deg = {yaw}
target_pitch_deg = {pitch}
tolerance_deg = 5.0
"""


def level_file(directory: Path, name: str, *, yaw: float = 0.0, pitch: float = 0.0) -> Path:
    path = directory / f"{name}.toml"
    path.write_text(LEVEL_TOML.format(name=name, yaw=yaw, pitch=pitch), encoding="utf-8")
    return path


def test_a_face_recording_holds_the_stretch_twice_and_its_drift_is_counted(tmp_path: Path) -> None:
    """The level starts with the recording: 1 s of rest, the head turns into the stretch by 2.3 s (the first hold
    starts as it enters the tolerance, about 2.1 s) and drifts 10 degrees past it from about 3.2 to 4.0 s; it stays
    in the stretch through the rest and the second hold."""
    person = real_face()
    keyframes = [
        (0.0, NEUTRAL),
        (1.5, NEUTRAL),
        (2.3, STRETCH),
        (3.0, STRETCH),
        (3.3, DRIFTED),
        (3.8, DRIFTED),
        (4.1, STRETCH),
        (10.5, STRETCH),
    ]
    recording = write_head_recording(tmp_path / "hold.jsonl", person, keyframes, fps=FPS)
    data_dir = tmp_path / "data"
    CalibrationStore(data_dir).save("anna", Calibration(ReachRange(0.25, 0.75, 0.2, 0.8), head_neutral=person.neutral))
    quit_s = MENU_S + keyframes[-1][0] + 4.0
    clock = ScriptedClock([KeyPress(MENU_S, pygame.K_SPACE), KeyPress(quit_s, pygame.K_q)])
    level = level_file(tmp_path, "stretch-short", yaw=15.0)
    result = run_session(
        SessionOptions(level=str(level), source=recording, patient="anna", data_dir=data_dir, max_seconds=quit_s + 20),
        clock_factory=lambda: clock,
    )
    assert not result.timed_out and result.exit_code == 0, result.summary
    assert result.scenes[:4] == ["loading", "menu", "level", "results"], result.scenes
    state = result.level_results
    assert isinstance(state, HoldState)
    first, second = state.progress.results
    assert first.outcome is second.outcome is Outcome.HIT
    assert first.measures["hold_drifts_out"] == 1 and second.measures["hold_drifts_out"] == 0
    # out from about 3.2 s (past 20 degrees) to about 3.95 s (back within 19): a quarter of the 3 s hold
    assert float(first.measures["hold_in_tolerance_fraction"]) == pytest.approx(0.75, abs=0.1)
    assert second.measures["hold_in_tolerance_fraction"] == pytest.approx(1.0)
    assert second.measures["hold_longest_s"] == pytest.approx(3.0, abs=0.05)
    assert float(first.measures["hold_longest_s"]) < 2.0
    assert float(second.measures["hold_mean_deviation_deg"]) < 1.0  # the recorded face's angles are read back
    assert first.params["target_yaw_deg"] == 15.0


def test_the_arrow_keys_turn_a_simulated_head_into_the_hold(tmp_path: Path) -> None:
    """With the mouse, the up arrow raises the simulated chin 2 degrees a press: four presses reach a chin-up hold of
    8 degrees; the level plays to its end."""
    presses = [KeyPress(MENU_S, pygame.K_SPACE)] + [KeyPress(MENU_S + 1.5 + 0.1 * n, pygame.K_UP) for n in range(4)]
    clock = ScriptedClock([*presses, KeyPress(MENU_S + 15.0, pygame.K_q)])
    level = level_file(tmp_path, "chin-up", pitch=8.0)
    result = run_session(
        SessionOptions(level=str(level), input_kind=InputKind.MOUSE, data_dir=tmp_path / "data", max_seconds=60.0),
        clock_factory=lambda: clock,
    )
    state = result.level_results
    assert isinstance(state, HoldState), result.scenes
    assert [trial.outcome for trial in state.progress.results] == [Outcome.HIT, Outcome.HIT]
    assert [trial.measures["hold_in_tolerance_fraction"] for trial in state.progress.results] == [1.0, 1.0]
    assert state.head == HeadAngles(0.0, 8.0, 0.0)
