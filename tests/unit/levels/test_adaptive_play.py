"""The game's extras of the adaptive hook: the warm-up recorded as a change, and the mouse's unmeasured smoothness."""

from __future__ import annotations

from levels.adaptive import BEFORE_FIRST_TRIAL, WARM_UP_REASON, after_trial, begin, warm_up_change
from levels.loader import load_level_spec
from levels.trial import Outcome, TrialResult


def _hit(index: int) -> TrialResult:
    return TrialResult(index=index, outcome=Outcome.HIT, start_s=0.0, end_s=1.0)


def test_the_warm_up_is_a_change_from_the_last_end() -> None:
    spec = load_level_spec("reach")
    run = begin(spec, last_index=0.7)
    change = warm_up_change(run, 0.7)
    assert change is not None
    assert (change.trial_index, change.from_index, change.to_index) == (BEFORE_FIRST_TRIAL, 0.7, 0.6)
    assert change.reason == WARM_UP_REASON and not change.rest_suggested
    assert warm_up_change(begin(spec), None) is None
    assert warm_up_change(begin(spec, last_index=0.0), 0.0) is None  # already at the lowest: no change


def test_an_unmeasured_hit_fails_the_sparc_floor_unless_nothing_can_be_measured() -> None:
    spec = load_level_spec("reach")  # its success rule has a SPARC floor
    assert spec.adaptation.success_sparc_floor is not None
    camera, mouse = begin(spec), begin(spec)
    for index in range(3):
        camera, failed = after_trial(camera, _hit(index), breaks=0)
        assert failed is not None and failed.reason.startswith("not smooth enough")
        mouse, change = after_trial(mouse, _hit(index), breaks=0, smoothness_measured=False)
    assert change is not None and change.reason == "3 successes in a row" and change.to_index > change.from_index
