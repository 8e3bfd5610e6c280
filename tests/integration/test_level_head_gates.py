"""The head level through gates played headless to its end through ``run_session``: from a landmark recording of a
real face mesh turned through every gate of every path, and with the mouse as a simulated head."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from clinic.calibration_store import CalibrationStore
from game.input_source import InputKind
from game.session import DEFAULT_WINDOW_PX, SessionOptions, run_session
from levels.head.gates import Gate
from levels.head.rules import GATE_POINTS, HeadParams, HeadState, gates_for_trial, head_params, screen_to_head
from levels.head.schema import HeadLevel
from levels.loader import load_level
from levels.trial import Outcome
from tests.support.game_flows import KeyPress, ScriptedClock, play_area
from tests.support.head_mouse import follow_head_state, post_mouse_motion
from tests.support.head_recordings import real_face, write_head_recording
from tracking.calibration import Calibration, ReachRange
from tracking.types import HeadAngles

FPS = 30.0
MENU_S = 1.0  # the player starts the level from the menu after this long
# The recorded head starts each path this long after the last one ended: the rest (1.5 s) and the words read after
# a trial (up to 6 s, levels.feedback.READING_MAX_S) are over by then, and the path's first gate waits 20 s.
PATH_START_S = 7.5
FIRST_PATH_S = 4.5  # the first path appears 1.5 s into the level (no words before it); the recording may run ~2 s ahead
STEP_S = 0.5  # the head's move to just before a gate, and through it
RETURN_S = 1.0  # back to neutral after a path
# How far before and beyond a gate's line the head goes, screen heights: beyond the face mesh's angle error (under
# 1 deg, ~0.02 screen heights) and within half the gates' spacing (at least ~0.14 for this level).
STRIDE_NORM = 0.05
NEUTRAL = HeadAngles(0.0, 0.0, 0.0)
LEVEL = """schema_version = 1
name = "gates-test"
title = "Gates"
kind = "head"
goal = "gates"
models = ["face"]
trials = 3
range_fraction = 0.8
gates_per_trial = 2
gate_width_norm = 0.2
gate_time_s = 20.0
inter_trial_pause_s = 1.5
seed = 5
"""


def play_area_params(level: HeadLevel) -> HeadParams:
    screen = play_area("head", DEFAULT_WINDOW_PX)
    return head_params(level, screen)


def at_gate(gate: Gate, ahead_norm: float, aspect: float) -> HeadAngles:
    """The head angles whose cursor is ``ahead_norm`` screen heights beyond ``gate``'s line (< 0: before it)."""
    x = gate.centre[0] + ahead_norm * gate.direction[0] / aspect
    y = gate.centre[1] + ahead_norm * gate.direction[1]
    return screen_to_head((x, y))


def test_the_face_recording_steers_through_every_gate(tmp_path: Path) -> None:
    level_file = tmp_path / "gates-test.toml"
    level_file.write_text(LEVEL, encoding="utf-8")
    level = load_level(str(level_file))
    assert isinstance(level, HeadLevel)
    params = play_area_params(level)
    keyframes: list[tuple[float, HeadAngles]] = [(0.0, NEUTRAL), (FIRST_PATH_S, NEUTRAL)]
    for index in range(params.trials):
        if index:
            keyframes.append((keyframes[-1][0] + RETURN_S, NEUTRAL))
            keyframes.append((keyframes[-1][0] + PATH_START_S, NEUTRAL))
        for gate in gates_for_trial(params, index):
            keyframes.append((keyframes[-1][0] + STEP_S, at_gate(gate, -STRIDE_NORM, params.screen_aspect)))
            keyframes.append((keyframes[-1][0] + STEP_S, at_gate(gate, STRIDE_NORM, params.screen_aspect)))
    person = real_face()
    recording = write_head_recording(tmp_path / "head.jsonl", person, keyframes, fps=FPS)
    data_dir = tmp_path / "data"
    CalibrationStore(data_dir).save("anna", Calibration(ReachRange(0.25, 0.75, 0.2, 0.8), head_neutral=person.neutral))
    quit_s = MENU_S + keyframes[-1][0] + 6.0
    clock = ScriptedClock([KeyPress(MENU_S, pygame.K_SPACE), KeyPress(quit_s, pygame.K_q)])
    result = run_session(
        SessionOptions(
            level=str(level_file), source=recording, patient="anna", data_dir=data_dir, max_seconds=quit_s + 20.0
        ),
        clock_factory=lambda: clock,
    )
    assert not result.timed_out and result.exit_code == 0, result.summary
    state = result.level_results
    assert isinstance(state, HeadState), result.scenes
    assert [trial.outcome for trial in state.progress.results] == [Outcome.HIT] * params.trials
    assert [trial.measures["gates_passed"] for trial in state.progress.results] == [2] * params.trials
    assert state.progress.score == params.trials * 2 * GATE_POINTS
    assert state.tracked


class MouseThroughGates(ScriptedClock):
    """The player's mouse: moved to just before the next gate, then through it (posting motion events)."""

    def __init__(self, keys: list[KeyPress]) -> None:
        super().__init__(keys, real_wait_s=0.0)  # no tracker to keep pace with
        self.state: HeadState | None = None
        self.before: Gate | None = None  # the gate the pointer was last put just before

    def tick(self) -> float:
        frame_s = super().tick()
        surface = pygame.display.get_surface()
        gate = None if self.state is None else self.state.current_gate
        if surface is None or self.state is None or gate is None:
            return frame_s
        ahead = STRIDE_NORM if gate == self.before else -STRIDE_NORM
        self.before = gate if ahead < 0 else None
        width_px, height_px = surface.get_size()  # the window, which the game fits to the desktop
        x = gate.centre[0] + ahead * gate.direction[0] * height_px / width_px
        y = gate.centre[1] + ahead * gate.direction[1]
        post_mouse_motion(surface, (x, y))
        return frame_s


def test_the_mouse_steers_a_simulated_head_through_every_gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    level = load_level("head-gates")
    assert isinstance(level, HeadLevel)
    # The level takes about 6 x (1.5 s rest + the words after each path, read for up to 6 s + a second of gates).
    clock = MouseThroughGates([KeyPress(MENU_S, pygame.K_SPACE), KeyPress(MENU_S + 70.0, pygame.K_q)])
    follow_head_state(monkeypatch, clock)
    result = run_session(
        SessionOptions(level="head-gates", input_kind=InputKind.MOUSE, data_dir=tmp_path / "data", max_seconds=110.0),
        clock_factory=lambda: clock,
    )
    state = result.level_results
    assert isinstance(state, HeadState), result.scenes
    assert [trial.outcome for trial in state.progress.results] == [Outcome.HIT] * level.trials
    passed = [trial.measures["gates_passed"] for trial in state.progress.results]
    assert passed == [level.gates_per_trial] * level.trials
    assert not state.tracked  # the mouse stood in for the head throughout
