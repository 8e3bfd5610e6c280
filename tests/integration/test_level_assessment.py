"""The assessment played headless to its end through ``run_session`` with a simulated clock: from a landmark
recording of a real face mesh and a real hand doing every step (a resting tremor included), and with the mouse and
the arrow keys (a scripted player that looks at the step shown). The results are then saved as the patient's
assessment file."""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pygame
import pytest

from clinic.calibration_store import CalibrationStore
from clinic.records.store import open_store
from game.input_source import InputKind
from game.scenes.level import LevelScene
from game.session import DEFAULT_WINDOW_PX, SessionOptions, run_session
from levels.assessment import rules
from levels.assessment.record import assessment_from_results, save_assessment
from levels.assessment.rules import REACH_TARGETS, STEPS, AssessmentState, Step
from levels.assessment.schema import AssessmentLevel
from levels.loader import load_level
from levels.trial import Outcome
from tests.support.assessment_inputs import VIDEO_PALM_WIDTH_FRAC, sized_hand
from tests.support.game_flows import KeyPress, ScriptedClock, image_point, play_area
from tests.support.head_recordings import RealFace, real_face
from tracking.calibration import Calibration, ReachRange
from tracking.recording import RecordingWriter
from tracking.types import HeadAngles, LandmarkFrame, SourceInfo

FPS = 30.0
MENU_S = 1.0  # the player starts the level from the menu after this long
REACH = ReachRange(0.25, 0.75, 0.2, 0.8)
NEUTRAL = HeadAngles(0.0, 0.0, 0.0)
RESTING = HeadAngles(25.0, 0.0, -10.0)  # the relaxed head: turned 25 deg left, tilted 10 deg to the right shoulder
# The recording's timeline (seconds from the level's start), each part inside its step with a little slack: the
# set-up (2 s), the reach range (8 s), the head's range (12 s), its resting posture (10 s), the still hand (10 s,
# a 5 Hz tremor in it), five reaches and the summary (8 s).
CIRCLE_S = (2.5, 9.5)
SWEEPS = ((10.5, 14.5, 0, 30.0), (14.5, 18.0, 1, 20.0), (18.0, 21.5, 2, 15.0))  # (start, end, axis, amplitude)
RESTING_FROM_S = 22.5
TREMOR_S = (36.0, 39.0)
REACHES_FROM_S = 46.0
MOVE_S, HOLD_S = 0.8, 1.5
END_S = REACHES_FROM_S + len(REACH_TARGETS) * (MOVE_S + HOLD_S) + 10.0


def screen_targets() -> list[tuple[float, float]]:
    level = load_level("assessment")
    assert isinstance(level, AssessmentLevel)
    shape = play_area("assessment", DEFAULT_WINDOW_PX)
    params = rules.assessment_params(level, shape)
    return [rules.target_on_screen(params, target) for target in REACH_TARGETS]


def head_at(t_s: float) -> HeadAngles:
    for start_s, end_s, axis, amplitude in SWEEPS:
        if start_s <= t_s < end_s:
            angle = amplitude * math.sin(2 * math.pi * (t_s - start_s) / (end_s - start_s))
            return HeadAngles(*(angle if index == axis else 0.0 for index in range(3)))
    return RESTING if t_s >= RESTING_FROM_S else NEUTRAL


def palm_at(t_s: float, targets: list[tuple[float, float]]) -> tuple[float, float]:
    centre = image_point(REACH, (0.5, 0.5))
    if CIRCLE_S[0] <= t_s < CIRCLE_S[1]:
        phase = 2 * math.pi * (t_s - CIRCLE_S[0]) / 3.5  # an oval 0.44 wide and 0.27 high, twice round
        return centre[0] + 0.22 * math.sin(phase), centre[1] + 0.27 * (1 - math.cos(phase)) / 2
    if TREMOR_S[0] <= t_s < TREMOR_S[1]:
        return centre[0] + 0.008 * math.sin(2 * math.pi * 5.0 * t_s), centre[1]
    if t_s >= REACHES_FROM_S:
        previous = centre
        start_s = REACHES_FROM_S
        for target in targets:
            goal = image_point(REACH, target)
            if t_s < start_s + MOVE_S:
                u = (t_s - start_s) / MOVE_S
                s = 10 * u**3 - 15 * u**4 + 6 * u**5
                return previous[0] + s * (goal[0] - previous[0]), previous[1] + s * (goal[1] - previous[1])
            if t_s < start_s + MOVE_S + HOLD_S:
                return goal
            previous, start_s = goal, start_s + MOVE_S + HOLD_S
        return previous
    return centre


def write_recording(path: Path, person: RealFace) -> Path:
    targets = screen_targets()
    rng = np.random.default_rng(5)
    with RecordingWriter(path, SourceInfo(FPS, person.width_px, person.height_px, "synthetic assessment")) as writer:
        for t_s in np.arange(0.0, END_S, 1.0 / FPS):
            x, y = palm_at(float(t_s), targets)
            jitter = rng.normal(0.0, 0.0004, 2)  # MediaPipe-like landmark jitter
            hand = sized_hand((x + float(jitter[0]), y + float(jitter[1])), VIDEO_PALM_WIDTH_FRAC)
            writer.write(LandmarkFrame(float(t_s), (hand,), face=person.turned(head_at(float(t_s)))))
    return path


def test_the_recording_plays_every_step_and_the_assessment_is_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MOTORPLAY_DB", raising=False)
    monkeypatch.delenv("MOTORPLAY_DATA_DIR", raising=False)
    person = real_face()
    recording = write_recording(tmp_path / "assessment.jsonl", person)
    data_dir = tmp_path / "data"
    CalibrationStore(data_dir).save("anna", Calibration(REACH, head_neutral=person.neutral))
    quit_s = MENU_S + END_S + 3.0
    clock = ScriptedClock([KeyPress(MENU_S, pygame.K_SPACE), KeyPress(quit_s, pygame.K_q)])
    result = run_session(
        SessionOptions(
            level="assessment",
            source=recording,
            patient="anna",
            data_dir=data_dir,
            max_seconds=quit_s + 20.0,
            record=True,
        ),
        clock_factory=lambda: clock,
    )
    assert not result.timed_out and result.exit_code == 0, result.summary
    state = result.level_results
    assert isinstance(state, AssessmentState), result.scenes
    results = state.progress.results
    assert [r.outcome for r in results] == [Outcome.HIT] * len(STEPS), [(r.params, r.measures) for r in results]
    found = {Step(str(r.params["step"])): r.measures for r in results}
    assert found[Step.SETUP]["checked_with"] == "camera" and found[Step.SETUP]["problems_seen"] == ""
    assert float(found[Step.SETUP]["palm_width_frac"]) == pytest.approx(VIDEO_PALM_WIDTH_FRAC, abs=0.005)
    assert found[Step.REACH_RANGE]["positions_of"] == "image"
    assert 0.3 < float(found[Step.REACH_RANGE]["reach_width_norm"]) < 0.44  # the circle is 0.44 wide
    head = found[Step.HEAD_RANGE]
    expected_deg = {
        "turn_left": 30,
        "turn_right": 30,
        "chin_up": 20,
        "chin_down": 20,
        "tilt_left": 15,
        "tilt_right": 15,
    }
    for way, expected in expected_deg.items():
        key = f"{way}_max_deg"
        assert float(head[key]) == pytest.approx(expected, abs=3.0), (key, head)
    posture = found[Step.REST_POSTURE]
    assert float(posture["turn_deg"]) == pytest.approx(25.0, abs=2.0) and posture["turn_side"] == "left"
    assert float(posture["tilt_deg"]) == pytest.approx(10.0, abs=2.0) and posture["tilt_side"] == "right"
    assert "22.5-45" in str(posture["turn_band"]) and "0-15" in str(posture["tilt_band"])
    still = found[Step.REST_HAND]
    assert still["measured"] is True and int(still["tremor_count"]) >= 1, still
    reaches = found[Step.REACHES]
    assert reaches["measured"] is True and reaches["reaches_done"] == 5, reaches
    assert all(-3.0 < float(reaches[f"reach_{n}_sparc"]) < 0.0 for n in range(1, 6)), reaches

    # the game saved the assessment when it ended: the patient's file, and the same payload in the records
    files = sorted((data_dir / "patients" / "anna" / "assessments").glob("*.json"))
    assert len(files) == 1, files
    saved = json.loads(files[0].read_text(encoding="utf-8"))
    assert saved["assessment_version"] == 1 and saved["level"] == "assessment"
    assert list(saved["steps"]) == [step.value for step in STEPS]
    assert saved["steps"]["rest_posture"]["turn_deg"] == pytest.approx(float(posture["turn_deg"]))
    assert saved["steps"]["head_range"]["outcome"] == "hit"
    with open_store(data_dir=data_dir, import_calibrations=False) as store:
        recorded = store.assessments("anna")
    assert len(recorded) == 1
    assert recorded[0].payload == {key: value for key, value in saved.items() if key != "assessment_version"}
    # a second assessment is a new file, numbered on
    taken_at = datetime(2026, 11, 26, 15, 0, tzinfo=timezone.utc)
    path = save_assessment(data_dir, "anna", assessment_from_results("assessment", results, taken_at=taken_at))
    assert path not in files and json.loads(path.read_text(encoding="utf-8"))["assessment_version"] == 2


class MousePlayer(ScriptedClock):
    """The simulated clock, and a player on the mouse and arrow keys who looks at the step shown: circles the
    pointer for the reach range, turns the simulated head with the arrows for the head's range, leaves it turned to
    rest, leaves the mouse still, and moves the pointer onto each target."""

    def __init__(self, keys: list[KeyPress]) -> None:
        super().__init__(keys, real_wait_s=0.0)
        self.state: AssessmentState | None = None
        self.frame = 0

    def tick(self) -> float:
        frame_s = super().tick()
        self.frame += 1
        state = self.state
        if state is None or state.progress.finished:
            return frame_s
        if state.step is Step.REACH_RANGE:
            phase = 2 * math.pi * self.frame / 180
            self._point((0.5 + 0.35 * math.cos(phase), 0.5 + 0.3 * math.sin(phase)))
        elif state.step is Step.HEAD_RANGE and self.frame % 6 == 0:
            # right 10 presses, back and on to the left 10, then back to the middle: 20 deg each way
            keys = [pygame.K_RIGHT] * 10 + [pygame.K_LEFT] * 20 + [pygame.K_RIGHT] * 10
            press = keys[(self.frame // 6) % len(keys)]
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=press, mod=0, unicode="", scancode=0))
        elif state.step is Step.REACHES and state.target is not None:
            self._point(state.target)
        return frame_s

    @staticmethod
    def _point(position: tuple[float, float]) -> None:
        width, height = DEFAULT_WINDOW_PX
        pos = (round(position[0] * width), round(position[1] * height))
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))


def test_the_mouse_plays_every_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    player = MousePlayer([KeyPress(MENU_S, pygame.K_SPACE)])
    original = LevelScene.update

    def update(scene: LevelScene, *args: object) -> object:
        route = original(scene, *args)  # type: ignore[arg-type]
        assert isinstance(scene.state, AssessmentState)
        player.state = scene.state
        return route

    monkeypatch.setattr(LevelScene, "update", update)
    result = run_session(
        SessionOptions(
            level="assessment", input_kind=InputKind.MOUSE, data_dir=tmp_path / "data", headless=True,
            max_seconds=MENU_S + 60.0,
        ),
        clock_factory=lambda: player,
    )  # fmt: skip
    state = result.level_results
    assert isinstance(state, AssessmentState), result.scenes
    results = state.progress.results
    assert [r.outcome for r in results] == [Outcome.HIT] * len(STEPS), [(r.params, r.measures) for r in results]
    found = {Step(str(r.params["step"])): r.measures for r in results}
    assert found[Step.SETUP]["checked_with"] == "mouse (no camera image)"
    assert found[Step.REACH_RANGE]["positions_of"] == "screen (mouse)"
    head = found[Step.HEAD_RANGE]
    assert float(head["turn_left_max_deg"]) > 10 and float(head["turn_right_max_deg"]) > 10, head
    assert found[Step.REST_HAND]["measured"] is False and found[Step.REACHES]["reaches_done"] == 5
