"""The therapist's plan: every error names its field, caps that contradict a level are refused, caps always win."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from levels.loader import load_level_spec
from levels.plan import PlanFileError, index_limits, parse_plan, planned_level
from levels.simulation import SimulatedPatient, simulate
from levels.staircase import StaircaseRules

PLAN = """\
schema_version = 1
affected_side = "left"
session_limit_min = 30
rest_between_sets_s = 30.0

[[levels]]
name = "reach"
repetitions = 8
sets = 2
start_difficulty = 0.3
min_difficulty = 0.1
max_difficulty = 0.9
caps = { target_radius_norm = { min = 0.07 } }

[[levels]]
name = "head"
repetitions = 6
start_difficulty = 0.2
caps = { range_fraction = { max = 0.6 } }
"""


def _parse(text: str = PLAN):  # type: ignore[no-untyped-def]
    return parse_plan(text, source="plan.toml", load_spec=load_level_spec)


def test_a_good_plan_sets_repetitions_sets_rest_and_caps() -> None:
    plan = _parse()
    reach, head = (load_level_spec(entry.name) for entry in plan.levels)
    hardest = planned_level(reach, plan.levels[0], plan, 1.0)
    assert (hardest.trials, hardest.sets, hardest.rest_between_sets_s) == (8, 2, 30.0)
    assert hardest.target_radius_norm == 0.07  # the cap wins over the ramp's 0.06
    assert planned_level(head, plan.levels[1], plan, 1.0).range_fraction == 0.6
    low, high = index_limits(head, plan.levels[1])
    assert (low, high) == (0.0, 0.75)  # range_fraction [0.3, 0.7... ] reaches 0.6 at 0.75


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (("max = 0.6", "max = 0.2"), "levels.1.caps.range_fraction.max", "contradicts the level's range"),
        (("range_fraction", "colour"), "levels.1.caps.colour", "no numeric parameter"),
        (("min = 0.07", "min = 0.5"), "levels.0.caps.target_radius_norm.min", "contradicts"),
        (("min = 0.07", "max = 0.5"), "levels.0.caps.target_radius_norm", "outside the level's range"),
        (("repetitions = 6", "repetitions = 600"), "levels.1.repetitions", "less than or equal to 100"),
        (('"left"', '"up"'), "affected_side", "'left', 'right', 'both' or 'none'"),
        (("session_limit_min = 30", "session_limit_min = 0"), "session_limit_min", "greater than 0"),
        (("start_difficulty = 0.3", "start_difficulty = 0.95"), "levels.0", "outside min_difficulty"),
        (('name = "head"', 'name = "nope"'), "levels.1.name", "Unknown level 'nope'"),
        (("sets = 2", "set = 2"), "levels.0.set", "unknown field"),
        (("schema_version = 1\n", ""), "schema_version", "missing"),
    ],
)
def test_every_error_names_its_field(change: tuple[str, str], field: str, words: str) -> None:
    with pytest.raises(PlanFileError) as caught:
        _parse(PLAN.replace(*change))
    message = str(caught.value)
    assert message.startswith("plan.toml")
    assert f"'{field}" in message, message
    assert words in message, message


def test_repetitions_on_a_level_without_trials_are_refused() -> None:
    text = PLAN + '\n[[levels]]\nname = "breathe"\nrepetitions = 3\n'
    with pytest.raises(PlanFileError, match="'levels.2.repetitions': a breathe level has no repetitions"):
        _parse(text)


@settings(max_examples=120, deadline=None)
@given(
    radius_min=st.floats(0.06, 0.11), range_max=st.floats(0.31, 0.7), low=st.floats(0.0, 0.5),
    high=st.floats(0.5, 1.0), skill=st.floats(0.0, 1.0), fatigue=st.floats(0.0, 1.0),
    breaks=st.floats(0.0, 0.6), seed=st.integers(0, 2**31),
)
def test_caps_are_never_exceeded_over_random_plans_and_patients(
    radius_min: float, range_max: float, low: float, high: float, skill: float, fatigue: float, breaks: float,
    seed: int,
) -> None:
    text = (PLAN.replace("min = 0.07", f"min = {radius_min!r}").replace("max = 0.6", f"max = {range_max!r}")
            .replace("min_difficulty = 0.1", "min_difficulty = 0.0").replace("max_difficulty = 0.9",
                                                                              f"max_difficulty = {high!r}")
            .replace("start_difficulty = 0.3", f"start_difficulty = {low!r}"))
    plan = _parse(text)
    for entry in plan.levels:
        spec = load_level_spec(entry.name)
        minimum, maximum = index_limits(spec, entry)
        rules = StaircaseRules(step=spec.adaptation.difficulty_step, min_index=minimum, max_index=maximum)
        run = simulate(SimulatedPatient(skill, fatigue, breaks), rules, entry.start_difficulty, 30, seed)
        for trial in run.trials:
            assert math.isfinite(trial.difficulty) and 0.0 <= trial.difficulty <= 1.0
            assert minimum - 1e-9 <= trial.difficulty <= maximum + 1e-9
            level = planned_level(spec, entry, plan, trial.difficulty)
            for field, cap in entry.caps.items():
                value = getattr(level, field)
                assert cap.min is None or value >= cap.min
                assert cap.max is None or value <= cap.max


@pytest.mark.parametrize("name", ["hold", "stretch", "head-gates", "breathe", "grasp", "trace-figure8"])
def test_every_adaptive_catalogue_level_plays_from_a_plan_at_any_difficulty(name: str) -> None:
    """A level whose validator works values out (a head hold's target and tolerance) is not refused in a plan."""
    plan = _parse(PLAN.split("[[levels]]")[0] + f'[[levels]]\nname = "{name}"\nsets = 2\n')
    spec = load_level_spec(name)
    for index in (0.0, 0.5, 1.0):
        level = planned_level(spec, plan.levels[0], plan, index)
        assert (level.name, level.sets) == (name, 2)
