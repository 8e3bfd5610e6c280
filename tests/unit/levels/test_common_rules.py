"""The families' shared rules (levels.common_rules) and shared level file fields (levels.common_schema).

The families' own rules tests (tests/unit/levels/<family>/) play them through every family; these pin the shared
pieces on a minimal family of their own, so a change to the bookkeeping shows here first.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace

import pytest
from pydantic import ValidationError

from levels.common_rules import (
    LevelStepper,
    PhasedState,
    after_rest,
    best_draw,
    dwell_or_timeout,
    end_trial,
    params_from_level,
    placement_rng,
)
from levels.events import InputEvent, SourceEnded, TrackingLost
from levels.families import family_for
from levels.hold.rules import HoldParams
from levels.loader import load_level
from levels.screen import ScreenShape
from levels.trial import LevelProgress, Outcome
from tracking.types import Effector, HeadAngles

HAND = frozenset({Effector.HAND})


class Phase(enum.Enum):
    """A toy family's phases."""

    RESTING = "resting"
    ACTIVE = "active"


@dataclass(frozen=True)
class ToyParams:
    """A toy family's parameters."""

    rest_s: float = 1.0
    dwell_time_s: float = 0.5
    timeout_s: float = 3.0


@dataclass(frozen=True)
class ToyState(PhasedState[ToyParams]):
    """A toy family: rest, then a trial hit by a dwell on the target (always on it while ``on_target``)."""

    phase: Phase = Phase.RESTING
    dwell_s: float = 0.0
    on_target: bool = True
    frozen_steps: int = 0


def _end(state: ToyState, outcome: Outcome) -> ToyState:
    return end_trial(state, outcome, trial_s=state.phase_elapsed_s, points=1, params={"toy": True}, phase=Phase.RESTING)


def _advance(state: ToyState, dt_s: float) -> ToyState:
    if state.phase is Phase.RESTING:
        return after_rest(
            state, state.params.rest_s, lambda rested: replace(rested, phase=Phase.ACTIVE, phase_elapsed_s=0.0)
        )
    params = state.params
    return dwell_or_timeout(
        state,
        dt_s,
        dwell_s=state.dwell_s,
        on_target=state.on_target,
        dwell_time_s=params.dwell_time_s,
        timeout_s=params.timeout_s,
        end=_end,
    )


def _apply(state: ToyState, events: Iterable[InputEvent]) -> ToyState:
    progress = state.progress
    for event in events:
        progress = progress.take(event)
    return replace(state, progress=progress)


STEP = LevelStepper(
    _apply,
    _advance,
    _end,
    frozenset({Phase.ACTIVE}),
    while_frozen=lambda state: replace(state, frozen_steps=state.frozen_steps + 1),
)


def _toy(trials: int = 2, on_target: bool = True) -> ToyState:
    return ToyState(
        params=ToyParams(), progress=LevelProgress.start(trials, Effector.HAND, seen=HAND), on_target=on_target
    )


def _run(state: ToyState, steps: int, dt_s: float = 0.25) -> ToyState:
    for _ in range(steps):
        state = STEP(state, [], dt_s)
    return state


def test_a_trial_starts_after_the_rest_and_a_dwell_hits_it() -> None:
    state = _run(_toy(), 3)
    assert state.phase is Phase.RESTING  # 0.75 s of a 1 s rest
    state = _run(state, 1)
    assert state.phase is Phase.ACTIVE and state.phase_elapsed_s == 0.0
    state = _run(state, 2)  # 0.5 s on the target
    assert [result.outcome for result in state.progress.results] == [Outcome.HIT]
    result = state.progress.results[0]
    assert (result.index, result.start_s, result.end_s, result.points) == (0, 1.0, 1.5, 1)
    assert state.phase is Phase.RESTING and state.phase_elapsed_s == 0.0 and state.trial_index == 1


def test_a_trial_off_the_target_times_out_as_missed_and_the_level_ends_after_its_trials() -> None:
    state = _run(_toy(trials=1, on_target=False), 4 + 12)
    assert [result.outcome for result in state.progress.results] == [Outcome.MISSED]
    assert state.progress.results[0].duration_s == pytest.approx(3.0)
    assert state.progress.finished
    assert STEP(state, [], 0.25) is state  # a finished level stays as it is


def test_the_source_ending_records_the_trial_under_way_or_ends_the_level_between_trials() -> None:
    in_trial = _run(_toy(on_target=False), 5)
    ended = STEP(in_trial, [SourceEnded(t_s=9.0)], 0.25)
    assert [result.outcome for result in ended.progress.results] == [Outcome.UNFINISHED]
    assert ended.progress.finished
    resting = STEP(_toy(), [SourceEnded(t_s=0.0)], 0.25)
    assert resting.progress.finished and not resting.progress.results


def test_nothing_moves_while_the_clock_stands_still() -> None:
    state = STEP(_toy(), [TrackingLost(t_s=0.0, effector=Effector.HAND)], 0.25)
    assert state.frozen_steps == 1
    assert state.phase_elapsed_s == 0.0 and state.progress.clock.elapsed_s == 0.0


def test_best_draw_takes_the_first_fitting_draw_else_the_earliest_nearest() -> None:
    draws = iter([5.0, 2.0, 0.5, 0.0, 9.0])
    assert best_draw(lambda: next(draws), lambda value: value, attempts=5) == (0.0, 0.0)
    draws = iter([5.0, 2.0, 2.0, 3.0])
    assert best_draw(lambda: next(draws), lambda value: value, attempts=4) == (2.0, 2.0)


def test_placement_is_seeded_by_the_level_seed_and_the_trial_index() -> None:
    assert placement_rng(7, 3).uniform() == placement_rng(7, 3).uniform()
    assert placement_rng(7, 3).uniform() != placement_rng(7, 4).uniform()


def test_params_take_the_level_fields_of_the_same_name_the_screen_and_the_computed_ones() -> None:
    level = load_level("hold")
    screen = ScreenShape(aspect=1.5, top_reserved_norm=0.1)
    computed = {"effector": Effector.HAND, "target_head": HeadAngles(0.0, 0.0, 0.0), "target_point": (0.5, 0.5)}
    params = params_from_level(HoldParams, level, screen, **computed)
    assert params.repetitions == level.repetitions  # type: ignore[attr-defined]
    assert params.sensory_trick == level.sensory_trick
    assert params.screen_aspect == 1.5  # HoldParams has no top_reserved_norm: left out
    assert params.effector is Effector.HAND  # computed wins over the level's field of the same name


@pytest.mark.parametrize(
    ("kind", "field", "bad"),
    [
        ("reach", "trials", 101),
        ("grasp", "trials", 0),
        ("head", "seed", -1),
        ("reach", "dwell_time_s", 5.5),
        ("head", "trial_timeout_s", 1.5),
        ("trace", "inter_trial_pause_s", 10.5),
        ("assessment", "target_radius_norm", 0.01),
    ],
)
def test_a_shared_field_keeps_its_range_in_every_family(kind: str, field: str, bad: float) -> None:
    level = load_level(kind)
    data = level.model_dump(mode="python")
    with pytest.raises(ValidationError, match=field):
        family_for(kind).schema.model_validate({**data, field: bad})
