"""The grasp and release level played headless to its end through ``run_session`` with a simulated clock: with the
mouse (a scripted player that looks at the screen's state, moves the pointer, presses and releases the button,
and lets one ball slip on purpose), and from a landmark recording of a real hand whose fingers close and open
(the raw aperture decides, with the level's own thresholds)."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pygame
import pytest

from clinic.calibration_store import CalibrationStore
from game.input_source import InputKind
from game.renderers import renderer_for
from game.scenes.level import LevelScene
from game.session import DEFAULT_WINDOW_PX, SessionOptions, run_session
from game.theme import Theme
from levels.events import CursorMoved, TrackedFrame
from levels.grasp import rules
from levels.grasp.rules import GraspLevelState, Phase
from levels.grasp.schema import GraspLevel
from levels.loader import load_level
from levels.screen import ScreenShape
from levels.trial import Outcome
from tests.support.game_flows import ScriptedClock, image_point, position
from tests.support.game_inputs import hand_at
from tests.support.synthetic_landmarks import bent_hand_points
from tracking.calibration import Calibration, ReachRange
from tracking.hand_signals import grasp_aperture
from tracking.pipeline import open_tracked_file
from tracking.recording import RecordingWriter
from tracking.types import Effector, HandLandmarks, LandmarkFrame, SourceInfo

LEVEL_TOML = """\
schema_version = 1
name = "grasp-flow"
title = "Three balls"
kind = "grasp"
models = ["hands"]
trials = 3
object_radius_norm = 0.07
goal_radius_norm = 0.12
carry_distance_norm = 0.45
grip_hold_time_s = 0.5
inter_trial_pause_s = 1.0
trial_timeout_s = 40.0
seed = 3
"""
# The scripted player's pointer speed, screen heights a second: an unhurried reach.
POINTER_SPEED_NORM_PER_S = 0.6
FRAME_S = 1.0 / 60.0


@pytest.fixture
def level_path(tmp_path: Path) -> Path:
    path = tmp_path / "grasp-flow.toml"
    path.write_text(LEVEL_TOML, encoding="utf-8")
    return path


class LevelWatch:
    """The grasp level's latest state, as the level scene steps it (what the player sees on the screen)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.state: GraspLevelState | None = None
        original = LevelScene.update

        def update(scene: LevelScene, *args: object) -> object:
            route = original(scene, *args)  # type: ignore[arg-type]
            assert isinstance(scene.state, GraspLevelState)
            self.state = scene.state
            return route

        monkeypatch.setattr(LevelScene, "update", update)


class MousePlayer(ScriptedClock):
    """The simulated clock, and a player on the mouse: each frame it looks at the level and moves the pointer a
    little towards the ball (button up) or, carrying, towards the goal (button down); over the ball it presses,
    over the goal's centre it lets go. Once, on the ball ``slip_on``, it lets go half-way to the goal."""

    def __init__(self, watch: LevelWatch, *, slip_on: int) -> None:
        super().__init__(real_wait_s=0.0)
        self.watch = watch
        self.slip_on = slip_on
        self.slipped = False
        self.pointer = (0.5, 0.5)
        self.button_down = False

    def tick(self) -> float:
        frame_s = super().tick()
        state = self.watch.state
        if state is not None and not state.progress.finished:
            self._play(state)
        return frame_s

    def _play(self, state: GraspLevelState) -> None:
        if state.phase is Phase.REACHING and state.ball_home is not None:
            if self.button_down and not state.on_ball:
                self._button(False)
            elif self._towards(state.ball_home, state.params.screen_aspect) and not self.button_down and state.armed:
                self._button(True)
        elif state.phase is Phase.CARRYING and state.goal is not None and state.ball_home is not None:
            arrived = self._towards(state.goal, state.params.screen_aspect)
            total = rules.screen_distance_norm(state.ball_home, state.goal, state.params.screen_aspect)
            left = rules.screen_distance_norm(self.pointer, state.goal, state.params.screen_aspect)
            if state.trial_index == self.slip_on and not self.slipped and left < total / 2:
                self.slipped = True
                self._button(False)
            elif arrived:
                self._button(False)

    def _towards(self, goal: tuple[float, float], aspect: float) -> bool:
        """Move the pointer one frame's step towards ``goal``; whether it is there."""
        distance = rules.screen_distance_norm(self.pointer, goal, aspect)
        fraction = min(1.0, POINTER_SPEED_NORM_PER_S * FRAME_S / distance) if distance > 0 else 1.0
        self.pointer = (
            self.pointer[0] + fraction * (goal[0] - self.pointer[0]),
            self.pointer[1] + fraction * (goal[1] - self.pointer[1]),
        )
        width, height = DEFAULT_WINDOW_PX
        pos = (round(self.pointer[0] * width), round(self.pointer[1] * height))
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
        return fraction >= 1.0

    def _button(self, down: bool) -> None:
        width, height = DEFAULT_WINDOW_PX
        pos = (round(self.pointer[0] * width), round(self.pointer[1] * height))
        kind = pygame.MOUSEBUTTONDOWN if down else pygame.MOUSEBUTTONUP
        pygame.event.post(pygame.event.Event(kind, pos=pos, button=pygame.BUTTON_LEFT))
        self.button_down = down


def test_the_level_plays_to_its_end_with_the_mouse_and_a_slip_costs_nothing(
    level_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch = LevelWatch(monkeypatch)
    player: list[MousePlayer] = []

    def clock() -> MousePlayer:
        player.append(MousePlayer(watch, slip_on=1))
        return player[0]

    result = run_session(
        SessionOptions(
            level=str(level_path),
            input_kind=InputKind.MOUSE,
            data_dir=tmp_path / "data",
            headless=True,
            max_seconds=30.0,  # the three balls take about 15 s, the menu 2 s
        ),
        clock_factory=clock,
    )
    state = result.level_results
    assert isinstance(state, GraspLevelState), result.scenes
    results = state.progress.results
    assert [r.outcome for r in results] == [Outcome.HIT] * 3, results
    assert state.progress.score == 3 * rules.DELIVERY_POINTS  # the slip cost nothing
    assert [r.measures["transport_drops"] for r in results] == [0, 1, 0]
    for trial in results:
        assert float(trial.measures["carry_path_length_norm"]) == pytest.approx(0.45, abs=0.03)
        assert -4.0 < float(trial.measures["carry_sparc"]) < 0.0
        assert float(trial.measures["carry_ldlj"]) < 0.0
    assert "grasp-flow: 3 of 3 balls hit, score 300" in result.summary and result.errors == ()


# --- from a landmark recording: a real hand's landmarks, the fingers bent to close it --------------------------

REACH = ReachRange(0.25, 0.75, 0.2, 0.8)
# Finger bends (degrees at each of the three joints of the four long fingers) of an open hand and of a fist, and
# the apertures tracking.hand_signals.grasp_aperture gives them (checked in the test).
OPEN_BEND_DEG = 5.0
CLOSED_BEND_DEG = 60.0
FPS = 30.0
# The recorded hand's timeline, seconds (the level rests 1 s before each ball and needs a 0.5 s grip).
FIRST_MOVE_S = 1.6
REACH_S = 1.0
OPEN_ON_BALL_S = 1.0
CLOSED_ON_BALL_S = 1.3
CARRY_S = 1.2
CLOSED_IN_GOAL_S = 0.2
REST_AT_GOAL_S = 3.0


def hand(palm_image: tuple[float, float], bend_deg: float) -> HandLandmarks:
    """The real open hand's image landmarks at ``palm_image``, with world landmarks of fingers bent ``bend_deg``."""
    image = hand_at(palm_image)
    return HandLandmarks(image.side, image.score, image.landmarks_norm, world_landmarks_m=bent_hand_points(bend_deg))


def grasp_timeline(placements: list[tuple[tuple[float, float], tuple[float, float]]]) -> tuple[
    list[tuple[float, tuple[float, float]]], Callable[[float], float]
]:
    """Waypoints of the palm (image coordinates) and the finger bend over time: rest, then for each ball reach it
    open, wait open on it, close and hold, carry it to the goal, open, and rest there. The waits are long enough
    for the level to lag the recording by a second (a loaded machine) without the hand arriving closed."""
    waypoints = [(0.0, image_point(REACH, (0.5, 0.5))), (FIRST_MOVE_S, image_point(REACH, (0.5, 0.5)))]
    closings: list[tuple[float, float]] = []  # (close at, open at)
    t_s = FIRST_MOVE_S
    for ball, goal in placements:
        close_s = t_s + REACH_S + OPEN_ON_BALL_S
        open_s = close_s + CLOSED_ON_BALL_S + CARRY_S + CLOSED_IN_GOAL_S
        waypoints += [
            (t_s + REACH_S, image_point(REACH, ball)),
            (close_s + CLOSED_ON_BALL_S, image_point(REACH, ball)),
            (close_s + CLOSED_ON_BALL_S + CARRY_S, image_point(REACH, goal)),
            (open_s + REST_AT_GOAL_S, image_point(REACH, goal)),
        ]
        closings.append((close_s, open_s))
        t_s = open_s + REST_AT_GOAL_S

    def bend(at_s: float) -> float:
        for close_s, open_s in closings:
            if close_s <= at_s < open_s:
                return CLOSED_BEND_DEG
        return OPEN_BEND_DEG

    return waypoints, bend


def test_the_level_plays_to_its_end_from_a_recording_of_a_hand_closing_and_opening(
    level_path: Path, tmp_path: Path
) -> None:
    level = load_level(level_path)
    assert isinstance(level, GraspLevel)
    open_aperture = grasp_aperture(hand((0.5, 0.5), OPEN_BEND_DEG))
    closed_aperture = grasp_aperture(hand((0.5, 0.5), CLOSED_BEND_DEG))
    assert open_aperture > level.open_above_aperture and closed_aperture < level.close_below_aperture
    pygame.font.init()
    try:
        screen = renderer_for("grasp").screen_shape(DEFAULT_WINDOW_PX, Theme.for_height(DEFAULT_WINDOW_PX[1]))
    finally:
        pygame.font.quit()
    placements = rules.all_placements(rules.grasp_params(level, screen))
    waypoints, bend = grasp_timeline(placements)
    recording = tmp_path / "grasp.jsonl"
    with RecordingWriter(recording, SourceInfo(FPS, 640, 360, "synthetic grasp")) as writer:
        for t_s in np.arange(0.0, waypoints[-1][0] + 1.0, 1.0 / FPS):
            at_s = float(t_s)
            writer.write(LandmarkFrame(at_s, (hand(position(waypoints, at_s), bend(at_s)),)))
    data_dir = tmp_path / "data"
    CalibrationStore(data_dir).save("default", Calibration(REACH))
    result = run_session(
        SessionOptions(level=str(level_path), source=recording, data_dir=data_dir, headless=True, max_seconds=34.0),
        clock_factory=ScriptedClock,
    )
    state = result.level_state
    assert isinstance(state, GraspLevelState), result.scenes
    assert state.hand.uses_aperture  # the level's thresholds on the raw aperture decided, not GraspChanged
    outcomes = [r.outcome for r in state.progress.results]
    assert outcomes == [Outcome.HIT] * 3, (outcomes, result.summary)
    for trial in state.progress.results:
        assert trial.measures["transport_drops"] == 0
        # from the lift (closed for the grip time) to the opening
        carry_s = CLOSED_ON_BALL_S - level.grip_hold_time_s + CARRY_S + CLOSED_IN_GOAL_S
        assert float(trial.measures["carry_time_s"]) == pytest.approx(carry_s, abs=0.3)
        assert math.isfinite(float(trial.measures["carry_sparc"]))
    assert "grasp-flow: 3 of 3 balls hit, score 300" in result.summary and result.errors == ()


# --- the real hand video: an open hand held over the ball never lifts it -------------------------------------


@pytest.mark.mediapipe
def test_the_real_open_hand_of_the_video_never_closes_on_the_ball(media_dir: Path) -> None:
    """The hand in hand_video.mp4 stays open (its aperture, tracked by MediaPipe, dips to about 0.5 as it moves):
    held over the ball for the whole video, the catalogue level's thresholds never see a grip, so nothing lifts."""
    level = load_level("grasp")
    assert isinstance(level, GraspLevel)
    state = rules.start(level, ScreenShape(16 / 9, 0.1), frozenset({Effector.HAND}))
    state = rules.step(state, [], level.inter_trial_pause_s + FRAME_S)
    assert state.ball_home is not None
    ball = state.ball_home
    apertures = []
    with open_tracked_file(media_dir / "hand_video.mp4") as tracked:
        for sample in tracked.samples():
            state = rules.step(state, [CursorMoved(0.0, *ball), TrackedFrame(0.0, sample)], 1.0 / FPS)
            if sample.signals.grasp is not None:
                apertures.append(sample.signals.grasp)
            assert state.phase is Phase.REACHING and not state.hand.closed and state.grip_s == 0.0
    assert len(apertures) > 150 and min(apertures) > level.close_below_aperture
    assert state.armed and state.hand.uses_aperture
