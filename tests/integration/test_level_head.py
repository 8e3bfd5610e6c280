"""The head levels played headless to their end through ``run_session``: from a landmark recording of a real face
mesh turned onto each target (a hand resting on the chin for a while), and with the mouse as a simulated head."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from clinic.calibration_store import CalibrationStore
from game.input_source import InputKind
from game.session import DEFAULT_WINDOW_PX, SessionOptions, run_session
from levels.head.rules import HeadState, all_targets, head_params, head_to_screen
from levels.head.schema import HeadLevel
from levels.loader import load_level
from levels.trial import Outcome
from tests.support.game_flows import KeyPress, ScriptedClock, play_area
from tests.support.head_mouse import follow_head_state, post_mouse_motion
from tests.support.head_recordings import real_face, write_head_recording
from tracking.calibration import Calibration, ReachRange
from tracking.sensory_trick import hand_on_face
from tracking.signals import SignalExtractor
from tracking.types import HeadAngles, LandmarkFrame

FPS = 30.0
MENU_S = 1.0  # the player starts the level from the menu after this long
FIRST_MOVE_S = 2.0  # the first target appears 1.5 s into the level
MOVE_S = 0.8
# Each target is held far longer than its dwell (0.8 s) and the rest before the next target (1.5 s): the recording is
# a script, and a busy machine can delay the level behind it by a few frames.
HOLD_S = 3.5
# Before the second target's move the head stays where it was and the hand rests on the chin for TRICK_S, from
# TRICK_AFTER_S after the second target appears: the trick falls wholly within that trial even with some delay.
PAUSE_S = 1.5  # the level's rest between targets (head-trick.toml)
DWELL_S = 0.8
TRICK_AFTER_S = 0.5
TRICK_S = 1.0
NEUTRAL = HeadAngles(0.0, 0.0, 0.0)


def head_targets(name: str) -> list[HeadAngles]:
    level = load_level(name)
    assert isinstance(level, HeadLevel)
    screen = play_area("head", DEFAULT_WINDOW_PX)
    return all_targets(head_params(level, screen))


def test_the_face_recording_steers_onto_every_target_and_the_trick_is_timed(tmp_path: Path) -> None:
    person = real_face()
    targets = head_targets("head-trick")
    keyframes = [(0.0, NEUTRAL), (FIRST_MOVE_S, NEUTRAL)]
    hand_on_chin: list[tuple[float, float]] = []
    for index, target in enumerate(targets):
        start_s = keyframes[-1][0]
        if index == 1:  # the second target: wait, with the hand on the chin, then move
            arrived_s = FIRST_MOVE_S + MOVE_S
            shown_s = arrived_s + DWELL_S + PAUSE_S
            hand_on_chin.append((shown_s + TRICK_AFTER_S, shown_s + TRICK_AFTER_S + TRICK_S))
            start_s = shown_s + 2 * TRICK_AFTER_S + TRICK_S
            keyframes.append((start_s, keyframes[-1][1]))
        keyframes += [(start_s + MOVE_S, target), (start_s + MOVE_S + HOLD_S, target)]
    recording = write_head_recording(tmp_path / "head.jsonl", person, keyframes, fps=FPS, hand_on_chin=hand_on_chin)
    # The recording's signals, as the game derives them: the head reaches each target and the hand is on the face.
    extractor = SignalExtractor(width_px=person.width_px, height_px=person.height_px, head_neutral=person.neutral)
    on_chin = extractor.update(LandmarkFrame(0.0, (person.hand_on_chin(person.face),), face=person.face))
    assert on_chin.hand_on_face is True
    assert hand_on_face(LandmarkFrame(0.0, face=person.face), width_px=10, height_px=10) is False

    data_dir = tmp_path / "data"
    CalibrationStore(data_dir).save("anna", Calibration(ReachRange(0.25, 0.75, 0.2, 0.8), head_neutral=person.neutral))
    recording_s = keyframes[-1][0] + 1.0
    quit_s = MENU_S + recording_s + 4.0
    clock = ScriptedClock([KeyPress(MENU_S, pygame.K_SPACE), KeyPress(quit_s, pygame.K_q)])
    result = run_session(
        SessionOptions(
            level="head-trick", source=recording, patient="anna", data_dir=data_dir, max_seconds=quit_s + 20.0
        ),
        clock_factory=lambda: clock,
    )
    assert not result.timed_out and result.exit_code == 0, result.summary
    assert result.scenes[:4] == ["loading", "menu", "level", "results"], result.scenes
    state = result.level_results
    assert isinstance(state, HeadState)
    outcomes = [trial.outcome for trial in state.progress.results]
    assert outcomes == [Outcome.HIT] * len(targets), outcomes
    trick_s = [float(trial.measures["sensory_trick_s"]) for trial in state.progress.results]
    assert trick_s[1] == pytest.approx(TRICK_S, abs=0.1), trick_s  # within a few frames of the hand's 1 s
    assert trick_s[0] == 0.0 and all(seconds == 0.0 for seconds in trick_s[2:]), trick_s
    for trial, target in zip(state.progress.results, targets, strict=True):
        assert trial.params["target_yaw_deg"] == pytest.approx(target.yaw_deg)


class MouseOnTargets(ScriptedClock):
    """The player's mouse: moved onto the target shown (posting a motion event), as a person would."""

    def __init__(self, keys: list[KeyPress], window_px: tuple[int, int]) -> None:
        super().__init__(keys)
        self.window_px = window_px
        self.state: HeadState | None = None

    def tick(self) -> float:
        frame_s = super().tick()
        surface = pygame.display.get_surface()
        if surface is not None and self.state is not None and self.state.target is not None:
            post_mouse_motion(surface, head_to_screen(self.state.target))
        return frame_s


def test_the_mouse_moves_a_simulated_head_onto_every_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The level takes about 8 x (1.5 s rest + 0.8 s dwell + the words after each trial, read for up to ~5 s); then
    # the player quits from the results.
    clock = MouseOnTargets([KeyPress(MENU_S, pygame.K_SPACE), KeyPress(MENU_S + 80.0, pygame.K_q)], DEFAULT_WINDOW_PX)
    follow_head_state(monkeypatch, clock)
    result = run_session(
        SessionOptions(level="head", input_kind=InputKind.MOUSE, data_dir=tmp_path / "data", max_seconds=120.0),
        clock_factory=lambda: clock,
    )
    state = result.level_results
    assert isinstance(state, HeadState), result.scenes
    assert [trial.outcome for trial in state.progress.results] == [Outcome.HIT] * state.progress.trials
    assert not state.tracked  # no tracked frame: the screen offered the mouse as the head throughout
