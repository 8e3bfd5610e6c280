"""A new difficulty applied to a level under way: the next trial is played with the new level's parameters, the
trials already finished keep theirs (every family with difficulty ramps)."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest

from levels.difficulty import level_at
from levels.families import family_for
from levels.loader import load_level_spec, parse_level_spec
from levels.retune import RetuneError, can_retune, retune
from levels.screen import ScreenShape
from tracking.types import Effector

SCREEN = ScreenShape(aspect=16 / 9, top_reserved_norm=0.08)
STEP_S = 0.05
# A ramp added to the catalogue levels that have none (grasp, trace, breathe): each family's difficulty parameter.
EXTRA_RAMPS = {
    "grasp": (
        ("carry_distance_norm = 0.45", "carry_distance_norm = [0.3, 0.6]"),
        ("trial_timeout_s = 60.0", "trial_timeout_s = 10.0"),
    ),
    "trace": (("speed_norm_per_s = 0.12", "speed_norm_per_s = [0.25, 0.5]"),),
    "breathe": (
        ("breaths_per_min = 6.0", "breaths_per_min = [10.0, 20.0]"),
        ("duration_s = 120.0", "duration_s = 30.0"),
    ),
}
# The parameter each family's trial result shows (``TrialResult.params``), which the difficulty moves.
SHOWN = {
    "reach": "target_radius_norm",
    "head": "target_radius_norm",
    "hold": "hold_time_s",
    "grasp": "carry_distance_norm",
    "trace": "speed_norm_per_s",
    "breathe": "breaths_per_min",
}


def _spec(name: str) -> Any:
    if name not in EXTRA_RAMPS:
        return load_level_spec(name)
    text = (resources.files("levels.catalogue") / f"{name}.toml").read_text(encoding="utf-8")
    for old, new in EXTRA_RAMPS[name]:
        assert old in text
        text = text.replace(old, new)
    return parse_level_spec(text.replace(old, new), source=f"{name}.toml", expected_name=name)


def _play_until(family: Any, state: Any, results: int) -> Any:
    """Step the level with no input (its effector seen) until it has ``results`` results (timeouts, laps, breaths)."""
    for _ in range(200_000):
        if len(state.progress.results) >= results or state.progress.finished:
            return state
        state = family.step(state, [], STEP_S)
    raise AssertionError("the level did not end a trial")


@pytest.mark.parametrize("name", ["reach", "head", "hold", "grasp", "trace", "breathe"])
def test_the_next_trial_uses_the_new_parameters_and_finished_results_stay(name: str) -> None:
    spec = _spec(name)
    assert spec.ramp(SHOWN[name]) is not None
    family = family_for(spec.kind)
    easy, hard = level_at(spec, 0.0), level_at(spec, 1.0)
    state = family.start(easy, SCREEN, frozenset(Effector))
    state = _play_until(family, state, 1)
    first = state.progress.results[0]
    trials = state.progress.trials

    retuned = retune(family, state, hard, SCREEN)

    assert retuned.progress == state.progress and retuned.phase == state.phase
    assert retuned.phase_elapsed_s == state.phase_elapsed_s
    assert retuned.progress.trials == trials  # the set keeps its length
    after = _play_until(family, retuned, 2)
    assert after.progress.results[0] == first  # the finished trial keeps what it was played with
    was, now = first.params[SHOWN[name]], after.progress.results[1].params[SHOWN[name]]
    assert was == pytest.approx(getattr(easy, SHOWN[name]))
    assert now == pytest.approx(getattr(hard, SHOWN[name])) and now != pytest.approx(was)


def test_a_reach_target_after_the_change_has_the_new_radius() -> None:
    spec = load_level_spec("reach")
    family = family_for("reach")
    state = _play_until(family, family.start(level_at(spec, 0.0), SCREEN, frozenset(Effector)), 1)
    retuned = retune(family, state, level_at(spec, 1.0), SCREEN)
    while retuned.target is None:
        retuned = family.step(retuned, [], STEP_S)
    assert retuned.params.target_radius_norm == 0.06 and state.params.target_radius_norm == 0.12


def test_the_count_of_trials_stays_as_the_set_started() -> None:
    spec = load_level_spec("reach")
    family = family_for("reach")
    state = family.start(level_at(spec, 0.0), SCREEN, frozenset(Effector))
    more = level_at(spec, 1.0).model_copy(update={"trials": 12})
    retuned = retune(family, state, more, SCREEN)
    assert retuned.params.trials == state.params.trials == state.progress.trials == 8


def test_a_state_without_parameters_or_a_level_of_another_family_is_refused() -> None:
    reach = family_for("reach")
    state = reach.start(level_at(load_level_spec("reach"), 0.5), SCREEN, frozenset(Effector))
    with pytest.raises(RetuneError, match="a head level cannot retune a reach level"):
        retune(reach, state, level_at(load_level_spec("head"), 0.5), SCREEN)
    assert can_retune(state) and not can_retune(state.progress) and not can_retune(type(state))
    with pytest.raises(RetuneError, match="no parameters"):
        retune(reach, state.progress, level_at(load_level_spec("reach"), 0.5), SCREEN)
