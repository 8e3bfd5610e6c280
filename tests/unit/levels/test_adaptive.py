"""The game's hook: a level played adaptively from the game's trial results, within the plan."""

from __future__ import annotations

from levels.adaptive import after_trial, begin, level_now
from levels.loader import load_level_spec
from levels.plan import parse_plan
from levels.trial import Outcome, TrialResult

PLAN = """\
schema_version = 1
affected_side = "left"
session_limit_min = 30

[[levels]]
name = "reach"
repetitions = 5
start_difficulty = 0.3
max_difficulty = 0.4
caps = { target_radius_norm = { min = 0.1 } }
"""


def _trial(index: int, outcome: Outcome = Outcome.HIT, sparc: float = -1.8) -> TrialResult:
    return TrialResult(index=index, outcome=outcome, start_s=0.0, end_s=1.0, measures={"sparc": sparc})


def test_three_smooth_hits_step_up_and_the_plan_caps_hold() -> None:
    spec = load_level_spec("reach")
    plan = parse_plan(PLAN, source="plan.toml", load_spec=load_level_spec)
    run = begin(spec, plan.levels[0], plan)
    assert run.state.difficulty == 0.3
    assert level_now(run).trials == 5
    changes = []
    for index in range(9):
        run, change = after_trial(run, _trial(index), breaks=0)
        changes.append(change)
    moved = [c for c in changes if c is not None]
    assert [(c.from_index, c.to_index, c.reason) for c in moved] == [(0.3, 0.333333333, "3 successes in a row")]
    assert level_now(run).target_radius_norm == 0.1  # the cap: the ramp would give 0.1 at 1/3 and less beyond


def test_a_rough_hit_or_a_break_is_a_failure_and_the_warm_up_starts_below_last_time() -> None:
    spec = load_level_spec("reach")
    run = begin(spec, last_index=0.7)
    assert run.state.difficulty == 0.6
    run, change = after_trial(run, _trial(0, sparc=-5.0), breaks=0)
    assert change is not None and change.reason == "not smooth enough (SPARC below -3.0)"
    assert change.to_index == 0.5
    run, change = after_trial(run, _trial(1), breaks=1)
    assert change is not None and change.reason == "break" and change.to_index == 0.4
    run, change = after_trial(run, _trial(2, Outcome.MISSED), breaks=0)
    assert change is not None and change.reason == "missed"
    run, change = after_trial(run, _trial(3, sparc=-1.0), breaks=0, sparc=-4.0)  # the feedback's SPARC wins
    assert change is not None and change.reason.startswith("not smooth enough")
