"""The trace level's pure rules: the paths, a guide at constant speed that waits while the hand is lost, laps, and
the tracking error and time on the path measured from scripted cursors."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import numpy.typing as npt
import pytest

from levels.events import Command, CommandIssued, CursorMoved, InputEvent, SourceEnded, TrackingFound, TrackingLost
from levels.loader import parse_level
from levels.screen import ScreenShape
from levels.trace import rules
from levels.trace.rules import Phase, TraceState
from levels.trace.schema import TraceLevel
from levels.trial import Outcome
from tracking.types import Effector

STEP_S = 1.0 / 60.0
HAND = frozenset({Effector.HAND})
SCREEN = ScreenShape(aspect=16 / 9, top_reserved_norm=0.2)
LEVEL_TOML = """\
schema_version = 1
name = "custom-trace"
title = "Custom trace"
kind = "trace"
trials = 2
path = "{path}"
speed_norm_per_s = 0.25
path_width_norm = 0.1
inter_trial_pause_s = 1.0
models = ["hands"]
"""
PATHS = ("line", "circle", "figure8")

Cursor = Callable[[TraceState], tuple[float, float] | None]


def level(path: str = "line") -> TraceLevel:
    parsed = parse_level(LEVEL_TOML.format(path=path), source="custom-trace.toml")
    assert isinstance(parsed, TraceLevel)
    return parsed


def started(path: str = "line", seen: frozenset[Effector] = HAND) -> TraceState:
    return rules.start(level(path), SCREEN, seen)


def run(
    state: TraceState, seconds: float, cursor: Cursor | None = None, events: list[InputEvent] | None = None
) -> TraceState:
    """Step for ``seconds``; ``cursor(state)`` says where the cursor moves before each step (None: it stays)."""
    pending = list(events or [])
    for _ in range(round(seconds / STEP_S)):
        where = cursor(state) if cursor is not None else None
        if where is not None:
            pending.append(CursorMoved(0.0, *where))
        state = rules.step(state, pending, STEP_S)
        pending = []
    return state


def following(offset_norm: tuple[float, float] = (0.0, 0.0)) -> Cursor:
    """A cursor on the guide where it will be after the next step, moved by ``offset_norm`` (screen heights)."""

    def cursor(state: TraceState) -> tuple[float, float]:
        ahead = (
            replace(state, phase_elapsed_s=state.phase_elapsed_s + STEP_S) if state.phase is Phase.TRACING else state
        )
        x, y = ahead.guide
        return x + offset_norm[0] / SCREEN.aspect, y + offset_norm[1]

    return cursor


def to_lap(state: TraceState, cursor: Cursor | None = None) -> TraceState:
    """Step until the guide sets off (the rest over), the cursor on ``cursor``'s point from the start."""
    while state.phase is Phase.RESTING:
        where = cursor(state) if cursor is not None else None
        state = rules.step(state, [CursorMoved(0.0, *where)] if where is not None else [], STEP_S)
    return state


def points_h(state: TraceState) -> npt.NDArray[np.float64]:
    points: npt.NDArray[np.float64] = np.asarray(state.params.path.points_norm) * np.array([SCREEN.aspect, 1.0])
    return points


@pytest.mark.parametrize("path", PATHS)
def test_each_path_is_closed_and_wholly_in_the_play_area_with_its_width(path: str) -> None:
    state = started(path)
    points = np.asarray(state.params.path.points_norm)
    half_width = state.params.path_width_norm / 2
    assert np.allclose(points[0], points[-1])  # a lap ends where the next one starts
    assert points[:, 0].min() - half_width / SCREEN.aspect > 0 and points[:, 0].max() + half_width / SCREEN.aspect < 1
    assert points[:, 1].min() - half_width > SCREEN.top_reserved_norm and points[:, 1].max() + half_width < 1


def test_the_circle_is_round_on_a_wide_screen_and_its_lap_is_its_circumference() -> None:
    state = started("circle")
    points = points_h(state)
    centre = points[:-1].mean(axis=0)  # the last point repeats the first
    radii = np.hypot(*(points - centre).T)
    assert radii.max() - radii.min() < 1e-3 * radii.mean()
    assert state.params.path.length_norm == pytest.approx(2 * math.pi * radii.mean(), rel=1e-4)
    assert state.params.lap_s == pytest.approx(state.params.path.length_norm / 0.25)


def test_the_line_goes_out_and_back_and_the_figure8_crosses_itself_at_the_centre() -> None:
    line = started("line").params.path
    start, far = line.at(0.0), line.at(line.length_norm / 2)
    assert start[1] == pytest.approx(far[1]) and far[0] > start[0] + 0.5
    figure8 = started("figure8").params.path
    assert figure8.at(figure8.length_norm / 2) == pytest.approx(figure8.at(0.0), abs=1e-9)
    assert figure8.at(0.0)[0] == pytest.approx(0.5)  # the crossing, at the screen's centre


@pytest.mark.parametrize("path", PATHS)
def test_the_guide_waits_at_the_start_then_moves_at_the_set_speed(path: str) -> None:
    state = run(started(path), 0.99)
    assert state.phase is Phase.RESTING and state.guide == state.params.path.at(0.0)
    state = run(state, 0.02)
    assert state.phase is Phase.TRACING
    steps_h = []
    for _ in range(120):
        before = state.guide
        state = rules.step(state, [], STEP_S)
        steps_h.append(rules.screen_distance_norm(before, state.guide, SCREEN.aspect))
    assert np.allclose(steps_h, 0.25 * STEP_S, rtol=0.02)  # the same speed on straight and curved parts


def test_a_cursor_on_the_guide_follows_the_whole_lap_with_no_error() -> None:
    state = to_lap(started("circle"), following())
    lap_s = state.params.lap_s
    state = run(state, lap_s + 0.1, following())
    lap = state.progress.results[0]
    assert lap.outcome is Outcome.HIT and lap.points == rules.LAP_POINTS
    assert lap.measures["on_path_fraction"] == pytest.approx(1.0)
    assert float(lap.measures["tracking_error_rms_norm"]) < 1e-6
    assert lap.duration_s == pytest.approx(lap_s, abs=STEP_S)
    assert lap.params["path"] == "circle" and lap.params["speed_norm_per_s"] == 0.25


def test_a_steady_lag_beside_the_path_is_the_rms_error_and_still_on_the_path() -> None:
    state = to_lap(started("line"), following((0.0, 0.03)))
    state = run(state, state.params.lap_s, following((0.0, 0.03)))  # 0.03 below the line: inside its 0.05 half-width
    lap = state.progress.results[0]
    assert float(lap.measures["tracking_error_rms_norm"]) == pytest.approx(0.03, abs=1e-6)
    assert lap.measures["on_path_fraction"] == pytest.approx(1.0)


def test_a_cursor_off_the_path_misses_the_lap_and_scores_nothing() -> None:
    state = to_lap(started("line"), following((0.0, 0.08)))
    state = run(state, state.params.lap_s, following((0.0, 0.08)))  # beyond the half-width
    lap = state.progress.results[0]
    assert lap.outcome is Outcome.MISSED and lap.points == 0
    assert lap.measures["on_path_fraction"] == 0.0
    assert float(lap.measures["tracking_error_rms_norm"]) == pytest.approx(0.08, abs=1e-6)


def test_half_a_lap_on_the_path_is_half_the_time_on_it() -> None:
    state = to_lap(started("figure8"), following())
    half_s = state.params.lap_s / 2
    state = run(state, half_s, following())
    state = run(state, half_s + 0.05, lambda _: (0.02, 0.98))  # the bottom-left corner, far from every part
    lap = state.progress.results[0]
    assert lap.measures["on_path_fraction"] == pytest.approx(0.5, abs=0.01)
    assert lap.points == pytest.approx(rules.LAP_POINTS / 2, abs=1)
    assert float(lap.measures["tracking_error_rms_norm"]) > 0.3  # 0 for half the time, far for the other half


def test_the_guide_waits_while_the_hand_is_lost_and_the_lost_time_is_not_the_laps() -> None:
    state = run(started("circle"), 1.01)
    state = run(state, 2.0, following())
    guide, elapsed = state.guide, state.progress.clock.elapsed_s
    state = run(state, 3.0, events=[TrackingLost(0.0, Effector.HAND)])
    assert state.guide == guide and state.progress.clock.elapsed_s == elapsed and not state.on_path
    state = run(state, 0.0)
    state = rules.step(state, [TrackingFound(0.0, Effector.HAND)], STEP_S)
    state = run(state, state.params.lap_s, following())
    lap = state.progress.results[0]
    assert lap.duration_s == pytest.approx(state.params.lap_s, abs=2 * STEP_S)  # the 3 s lost are not counted
    assert lap.measures["on_path_fraction"] == pytest.approx(1.0, abs=0.01)


def test_a_camera_level_waits_for_the_hand_and_a_pause_stops_the_guide() -> None:
    state = run(started("line", seen=frozenset()), 2.0)
    assert state.progress.clock.elapsed_s == 0.0 and state.phase is Phase.RESTING
    state = run(state, 1.5, events=[TrackingFound(0.0, Effector.HAND)])
    assert state.phase is Phase.TRACING
    guide = state.guide
    state = run(state, 1.0, events=[CommandIssued(0.0, Command.PAUSE)])
    assert state.guide == guide and state.progress.clock.paused


def test_no_cursor_is_no_time_on_the_path_and_no_error_measured() -> None:
    state = run(started("line"), 1.01 + started("line").params.lap_s)
    lap = state.progress.results[0]
    assert lap.measures == {"on_path_fraction": 0.0} and lap.outcome is Outcome.MISSED


def test_the_level_finishes_after_its_laps_and_a_source_end_leaves_the_lap_unfinished() -> None:
    state = started("circle")
    state = run(state, 2 * (1.0 + state.params.lap_s) + 0.2, following())
    assert state.progress.finished and [r.outcome for r in state.progress.results] == [Outcome.HIT] * 2
    assert state.progress.score == 2 * rules.LAP_POINTS and rules.step(state, [], STEP_S) is state
    ended = run(run(started("circle"), 3.0, following()), 0.1, events=[SourceEnded(0.0)])
    assert ended.progress.finished and [r.outcome for r in ended.progress.results] == [Outcome.UNFINISHED]
    assert ended.progress.results[0].points == 0
    resting = run(started("circle"), 0.2, events=[SourceEnded(0.0)])
    assert resting.progress.finished and not resting.progress.results


def test_params_come_from_the_level_file_and_each_result_is_plain_data() -> None:
    state = started("figure8")
    params = state.params
    assert (params.trials, params.path_name, params.speed_norm_per_s, params.path_width_norm) == (
        2,
        "figure8",
        0.25,
        0.1,
    )
    assert params.inter_trial_pause_s == 1.0 and params.screen_aspect == SCREEN.aspect
    assert state.progress.clock.effector is Effector.HAND and state.progress.trials == 2
    state = run(state, 1.01 + params.lap_s, following())
    lap = state.progress.results[0]
    record = lap.as_dict()
    assert record["outcome"] == "hit" and record["params"] == dict(lap.params)
    assert lap.params["lap_length_norm"] == pytest.approx(params.path.length_norm)
    assert set(lap.measures) == {"on_path_fraction", "tracking_error_rms_norm"} and record["measures"] == lap.measures
