"""The breathe level's pure rules: breath cycles as trials, the guide's pace, stillness measured from tracked
frames, breaks of the rest (also with the mouse's events), the clock stopped while the face is lost, and the
breathing rate from the face (or the shoulders, when the level says so)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest

from levels.breathe import rules
from levels.breathe.rules import BreatheParams, BreatheState, Phase
from levels.breathe.schema import BreatheLevel
from levels.errors import LevelFileError
from levels.events import CursorMoved, HeadPose, InputEvent, SourceEnded, TrackedFrame, TrackingFound, TrackingLost
from levels.loader import load_level, parse_level
from levels.screen import ScreenShape
from levels.trial import Outcome
from tests.support.breathing import breathing_sample, face_raised, shoulder_trace
from tests.support.head_recordings import real_face
from tracking.types import Effector, HeadAngles, LandmarkFrame, Signals, TrackedSample

FPS = 30.0
STEP_S = 1.0 / FPS
HEAD = frozenset({Effector.HEAD})
PARAMS = BreatheParams(breaths=3, cycle_s=10.0, inhale_fraction=0.4, lead_in_s=2.0)


Frames = Callable[[float], list[InputEvent]]


def run(
    state: BreatheState, seconds: float, events: list[InputEvent] | None = None, *, frame: Frames | None = None
) -> BreatheState:
    """Step ``seconds`` a frame at a time; ``frame(t_s)`` gives each frame's events (after ``events`` on the first)."""
    pending = list(events or [])
    for _ in range(round(seconds / STEP_S)):
        t_s = state.progress.clock.elapsed_s
        state = rules.step(state, [*pending, *(frame(t_s) if frame else [])], STEP_S)
        pending = []
    return state


def still_head(seed: int, jitter_deg: float = 0.5) -> Frames:
    """Frames of a head at rest, jittering by ``jitter_deg`` (SD) in each angle."""
    rng = np.random.default_rng(seed)

    def frame(t_s: float) -> list[InputEvent]:
        yaw, pitch, roll = (float(v) for v in jitter_deg * rng.standard_normal(3))
        return [TrackedFrame(t_s, breathing_sample(t_s, head=HeadAngles(yaw, pitch, roll)))]

    return frame


def test_the_level_is_whole_breaths_of_its_pace() -> None:
    level = parse_level(
        'schema_version = 1\nname = "b"\ntitle = "B"\nkind = "breathe"\nmodels = ["face"]\n'
        "breaths_per_min = 6.0\nduration_s = 125.0\n",
        source="b.toml",
    )
    assert isinstance(level, BreatheLevel)
    params = rules.start(level, ScreenShape(aspect=16 / 9), HEAD).params
    assert params.breaths == 12 and params.cycle_s == pytest.approx(10.0) and params.inhale_fraction == 0.4


def test_the_guide_grows_while_breathing_in_and_shrinks_while_breathing_out() -> None:
    state = run(rules.initial_state(PARAMS, seen=HEAD), 2.0)
    assert state.phase is Phase.BREATHING and state.breath_size == pytest.approx(0.0, abs=1e-6) and state.inhaling
    sizes = []
    for _ in range(10):
        state = run(state, 1.0)
        sizes.append(state.breath_size)
        if len(sizes) == 3:
            assert state.inhaling
        if len(sizes) == 5:
            assert not state.inhaling
    assert sizes[3] == pytest.approx(1.0, abs=1e-6)  # fully in at 4 s of 10
    assert all(a < b for a, b in zip(sizes[:4], sizes[1:4], strict=False))
    assert all(a > b for a, b in zip(sizes[3:9], sizes[4:9], strict=False))
    (result,) = state.progress.results  # the tenth second ended the first breath
    assert result.duration_s == pytest.approx(10.0, abs=STEP_S)


def test_a_still_breath_scores_full_and_measures_the_jitter_as_stillness() -> None:
    state = run(rules.initial_state(PARAMS, seen=HEAD), 12.0, frame=still_head(seed=3))
    (result,) = state.progress.results
    assert result.outcome is Outcome.HIT and result.points == rules.CALM_POINTS
    assert result.measures["rest_breaks"] == 0
    # RMS about the mean of three angles each with SD 0.5: sqrt(3) * 0.5 degrees
    assert result.measures["stillness_rms_head_deg"] == pytest.approx(math.sqrt(3) * 0.5, rel=0.1)
    assert "stillness_rms_hand_image_norm" not in result.measures  # no hand seen
    assert "breathing_rate_per_min" not in result.measures  # no pose


def test_a_head_turn_mid_breath_is_one_break_and_raises_the_stillness_rms() -> None:
    """The head turns by 10 degrees in the middle of the breath and stays turned (a turn back is a movement too)."""
    calm = still_head(seed=4)

    def turning(t_s: float) -> list[InputEvent]:
        events = calm(t_s)
        if t_s >= 6.0:
            sample = events[0]
            assert isinstance(sample, TrackedFrame) and sample.sample.signals.head is not None
            angles = sample.sample.signals.head
            moved = HeadAngles(angles.yaw_deg + 10.0, angles.pitch_deg, angles.roll_deg)
            return [TrackedFrame(t_s, breathing_sample(t_s, head=moved))]
        return events

    state = run(rules.initial_state(PARAMS, seen=HEAD), 12.0, frame=turning)
    (result,) = state.progress.results
    assert result.measures["rest_breaks"] == 1 and result.points == rules.BREATH_POINTS
    assert float(result.measures["stillness_rms_head_deg"]) > 3.0


def test_the_palms_stillness_is_in_image_coordinates() -> None:
    def frame(t_s: float) -> list[InputEvent]:
        side = 1.0 if round(t_s / STEP_S) % 2 else -1.0  # +-0.004 image widths, alternating each frame
        return [TrackedFrame(t_s, breathing_sample(t_s, head=HeadAngles(0, 0, 0), palm_norm=(0.4 + 0.004 * side, 0.7)))]

    state = run(rules.initial_state(PARAMS, seen=HEAD), 12.0, frame=frame)
    (result,) = state.progress.results
    assert result.measures["stillness_rms_hand_image_norm"] == pytest.approx(0.004, rel=0.01)
    assert result.measures["rest_breaks"] == 0  # frame-to-frame jitter averages out


def test_with_the_mouse_a_movement_breaks_the_rest_but_no_stillness_is_measured() -> None:
    state = run(rules.initial_state(PARAMS, seen=frozenset(Effector)), 3.0, [CursorMoved(0.0, 0.5, 0.5)])
    moved = run(state, 0.5, [CursorMoved(3.0, 0.6, 0.5)])
    assert moved.moving and moved.motion_level > 1.0
    state = run(moved, 6.0)
    assert not state.moving and state.motion_level < rules.BREAK_REARM_LEVEL  # the mouse at rest: calm again
    state = run(state, 3.5, [HeadPose(5.0, HeadAngles(0.0, 0.0, 0.0))])
    (result,) = state.progress.results
    assert result.measures == {"rest_breaks": 1, "sensory_trick_s": 0.0}


def test_the_guide_waits_while_the_face_is_not_seen() -> None:
    state = run(rules.initial_state(PARAMS, seen=HEAD), 4.0)
    lost = run(state, 5.0, [TrackingLost(0.0, Effector.HEAD)])
    assert lost.breath_size == state.breath_size and lost.progress.clock.elapsed_s == state.progress.clock.elapsed_s
    assert run(lost, 1.0, [TrackingFound(0.0, Effector.HEAD)]).breath_size != state.breath_size


def test_the_level_ends_after_its_breaths_and_an_ended_source_leaves_a_breath_unfinished() -> None:
    state = run(rules.initial_state(PARAMS, seen=HEAD), 32.5)
    assert state.progress.finished and [r.outcome for r in state.progress.results] == [Outcome.HIT] * 3
    state = run(rules.initial_state(PARAMS, seen=HEAD), 5.0, [])
    state = rules.step(state, [SourceEnded(5.0)], STEP_S)
    assert state.progress.finished and state.progress.results[-1].outcome is Outcome.UNFINISHED


def test_the_breathing_rate_comes_from_the_face_once_there_is_enough_of_it() -> None:
    """The real face mesh of business_person.png rising and falling with a 12-a-minute breathing trace."""
    face = real_face().face
    times, heights = shoulder_trace(12.0, seed=7, span_s=80.0, fps=FPS)
    rises = heights[0] - heights  # up on inhale, as the shoulders
    params = BreatheParams(breaths=7, cycle_s=10.0, inhale_fraction=0.4, lead_in_s=2.0)

    def frame(t_s: float) -> list[InputEvent]:
        index = min(round(t_s * FPS), len(rises) - 1)
        sample = breathing_sample(
            t_s,
            face=face_raised(face, float(rises[index])),
            shoulders_norm=0.6,  # still shoulders: the face alone carries the rhythm
            head=HeadAngles(0.0, 0.0, 0.0),
        )
        return [TrackedFrame(t_s, sample)]

    state = run(rules.initial_state(params, seen=HEAD), 72.5, frame=frame)
    results = state.progress.results
    assert len(results) == 7
    assert "breathing_rate_per_min" not in results[0].measures  # 12 s of the face: too short to say
    for result in results[2:]:  # from 22 s on
        assert result.measures["breathing_rate_per_min"] == pytest.approx(12.0, abs=1.0)
    from_shoulders = replace(params, breathing_rate_from="shoulders")  # the face moves, the shoulders do not
    state = run(rules.initial_state(from_shoulders, seen=HEAD), 72.5, frame=frame)
    assert all("breathing_rate_per_min" not in result.measures for result in state.progress.results)


def test_the_breathing_rate_comes_from_the_shoulders_when_the_level_says_so() -> None:
    times, heights = shoulder_trace(12.0, seed=7, span_s=80.0, fps=FPS)
    params = BreatheParams(breaths=7, cycle_s=10.0, inhale_fraction=0.4, lead_in_s=2.0, breathing_rate_from="shoulders")

    def frame(t_s: float) -> list[InputEvent]:
        index = min(round(t_s * FPS), len(heights) - 1)
        sample = breathing_sample(t_s, shoulders_norm=float(heights[index]), head=HeadAngles(0.0, 0.0, 0.0))
        return [TrackedFrame(t_s, sample)]

    state = run(rules.initial_state(params, seen=HEAD), 72.5, frame=frame)
    results = state.progress.results
    assert len(results) == 7
    assert "breathing_rate_per_min" not in results[0].measures  # 12 s of shoulders: too short to say
    for result in results[2:]:  # from 22 s of shoulders on
        assert result.measures["breathing_rate_per_min"] == pytest.approx(12.0, abs=1.0)


def test_the_seconds_with_a_hand_on_the_face_are_recorded_per_breath() -> None:
    def frame(t_s: float) -> list[InputEvent]:
        on_face = 4.0 <= t_s < 7.0  # three seconds of the first breath (2-12 s)
        sample = TrackedSample(LandmarkFrame(t_s), Signals(t_s, head=HeadAngles(0, 0, 0), hand_on_face=on_face))
        return [TrackedFrame(t_s, sample)]

    state = run(rules.initial_state(PARAMS, seen=HEAD), 22.0, frame=frame)
    first, second = state.progress.results
    assert first.measures["sensory_trick_s"] == pytest.approx(3.0, abs=2 * STEP_S)
    assert second.measures["sensory_trick_s"] == 0.0


def test_the_level_file_says_where_the_rate_is_read_and_shoulders_need_the_pose_model() -> None:
    base = (
        'schema_version = 1\nname = "b"\ntitle = "B"\nkind = "breathe"\nmodels = [{models}]\n'
        "breaths_per_min = 6.0\nduration_s = 60.0\n"
    )
    level = parse_level(base.format(models='"face", "hands"'), source="b.toml")
    assert isinstance(level, BreatheLevel) and level.breathing_rate_from == "face"
    assert rules.breathe_params(level).breathing_rate_from == "face"
    posed = parse_level(base.format(models='"face", "pose"') + 'breathing_rate_from = "shoulders"\n', source="b.toml")
    assert isinstance(posed, BreatheLevel) and rules.breathe_params(posed).breathing_rate_from == "shoulders"
    with pytest.raises(LevelFileError, match="b.toml: field 'breathing_rate_from': .*needs the pose model"):
        parse_level(base.format(models='"face", "hands"') + 'breathing_rate_from = "shoulders"\n', source="b.toml")
    catalogue = load_level("breathe")
    assert isinstance(catalogue, BreatheLevel) and catalogue.breathing_rate_from == "face"
    assert "pose" not in {model.value for model in catalogue.models}  # the heaviest model is not needed
