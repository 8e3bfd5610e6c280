"""The breathe level played headless to its end through ``run_session``: from a landmark recording of a real face
mesh at rest (one head turn in the third breath) rising and falling with breathing at a known rate (the rate read
from the face, as the catalogue's level does without the pose model), and with the mouse."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pygame
import pytest

from clinic.calibration_store import CalibrationStore
from game.input_source import InputKind
from game.session import SessionOptions, run_session
from levels.breathe.rules import BreatheState
from levels.trial import Outcome
from tests.support.breathing import face_raised, shoulder_trace
from tests.support.game_flows import KeyPress, ScriptedClock
from tests.support.head_recordings import RealFace, real_face
from tracking.calibration import Calibration, ReachRange
from tracking.recording import RecordingWriter
from tracking.types import HeadAngles, LandmarkFrame, SourceInfo

FPS = 30.0
MENU_S = 1.0
RATE_PER_MIN = 12.0
LEVEL_TOML = """\
schema_version = 1
name = "breathe-short"
title = "Breathe"
kind = "breathe"
models = ["face"]
breaths_per_min = 12.0
duration_s = 30.0
lead_in_s = 1.0
"""
# Longer than the level (31 s): the level's clock starts with the first face seen, a little after the recording.
RECORDING_S = 36.0
# The head turns 8 degrees in the third breath (11-16 s of the level, the recording up to 2 s ahead) and stays turned.
TURN_S = (13.5, 13.9)


def write_breathing_recording(path: Path, person: RealFace) -> Path:
    """The face at rest (turned 8 degrees from ``TURN_S``), rising and falling with breathing at ``RATE_PER_MIN``."""
    times, heights = shoulder_trace(RATE_PER_MIN, seed=5, span_s=RECORDING_S, fps=FPS)
    rises = heights[0] - heights  # up on each inhale, 4 image-thousandths deep, with jitter and drift
    with RecordingWriter(path, SourceInfo(FPS, person.width_px, person.height_px, "synthetic breathing")) as writer:
        for t_s, rise in zip(times, rises, strict=True):
            turn = float(np.clip((t_s - TURN_S[0]) / (TURN_S[1] - TURN_S[0]), 0.0, 1.0))
            face = face_raised(person.turned(HeadAngles(8.0 * turn, 0.0, 0.0)), float(rise))
            writer.write(LandmarkFrame(float(t_s), face=face))
    return path


def test_a_recording_breathes_through_the_level_with_one_break_and_its_rate(tmp_path: Path) -> None:
    person = real_face()
    recording = write_breathing_recording(tmp_path / "breathe.jsonl", person)
    level = tmp_path / "breathe-short.toml"
    level.write_text(LEVEL_TOML, encoding="utf-8")
    data_dir = tmp_path / "data"
    CalibrationStore(data_dir).save("anna", Calibration(ReachRange(0.25, 0.75, 0.2, 0.8), head_neutral=person.neutral))
    quit_s = MENU_S + RECORDING_S + 3.0
    clock = ScriptedClock([KeyPress(MENU_S, pygame.K_SPACE), KeyPress(quit_s, pygame.K_q)])
    result = run_session(
        SessionOptions(level=str(level), source=recording, patient="anna", data_dir=data_dir, max_seconds=quit_s + 20),
        clock_factory=lambda: clock,
    )
    assert not result.timed_out and result.exit_code == 0, result.summary
    state = result.level_results
    assert isinstance(state, BreatheState), result.scenes
    results = state.progress.results
    assert [trial.outcome for trial in results] == [Outcome.HIT] * 6
    assert [trial.measures["rest_breaks"] for trial in results] == [0, 0, 1, 0, 0, 0]
    assert [trial.points for trial in results] == [100, 100, 50, 100, 100, 100]
    head_rms = [float(trial.measures["stillness_rms_head_deg"]) for trial in results]
    assert head_rms[2] > 2.0 and max(head_rms[:2] + head_rms[3:]) < 0.5, head_rms  # still: only rounding noise
    rates = [trial.measures.get("breathing_rate_per_min") for trial in results]
    assert rates[:3] == [None, None, None], rates  # under 20 s of breathing
    for rate in rates[4:]:  # from 25 s of breathing on
        assert rate == pytest.approx(RATE_PER_MIN, abs=1.0), rates


def test_the_mouse_plays_the_breaths_to_the_end(tmp_path: Path) -> None:
    level = tmp_path / "breathe-short.toml"
    level.write_text(LEVEL_TOML, encoding="utf-8")
    clock = ScriptedClock([KeyPress(MENU_S, pygame.K_SPACE), KeyPress(MENU_S + 33.0, pygame.K_q)])
    result = run_session(
        SessionOptions(level=str(level), input_kind=InputKind.MOUSE, data_dir=tmp_path / "data", max_seconds=60.0),
        clock_factory=lambda: clock,
    )
    state = result.level_results
    assert isinstance(state, BreatheState), result.scenes
    assert [trial.outcome for trial in state.progress.results] == [Outcome.HIT] * 6
    no_frames = {"rest_breaks": 0, "sensory_trick_s": 0.0}  # no tracked frames: no stillness measured
    assert all(trial.measures == no_frames for trial in state.progress.results)
