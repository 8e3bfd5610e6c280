"""The rule that scores break detection (tests/support/break_matching.py), on hand-made truths and detections."""

from __future__ import annotations

import pytest

from tests.support.break_matching import (
    CLEAN_MARGIN_S,
    KINDS,
    REACHES_PER_RECORDING,
    TOLERANCE_S,
    MatchCounts,
    break_plan,
    false_breaks_on_clean_reaches,
    match,
)
from tests.support.paths import HAND_TEMPLATE_PATH
from tracking.quality_types import Break, BreakKind
from tracking.synthetic import InjectedBreak, load_hand_template, synthetic_hand
from tracking.types import Effector

ARREST, JERK = BreakKind.ARREST, BreakKind.JERK


def _found(t_s: float, kind: BreakKind) -> Break:
    return Break(t_s=t_s, kind=kind, effector=Effector.HAND, severity=1.0)


def test_a_detection_counts_only_within_the_tolerance_and_of_the_injected_kind() -> None:
    truth = [InjectedBreak(2.0, ARREST)]
    assert match(truth, [_found(2.0 + TOLERANCE_S - 1e-9, ARREST)]) == MatchCounts(1, 0, 0)
    assert match(truth, [_found(2.0 - TOLERANCE_S - 0.01, ARREST)]) == MatchCounts(0, 1, 1)
    assert match(truth, [_found(2.0, JERK)]) == MatchCounts(0, 1, 1)
    assert match([], [_found(1.0, JERK)]) == MatchCounts(0, 1, 0) and match(truth, []) == MatchCounts(0, 0, 1)


def test_each_detection_finds_one_injected_break_at_most_the_nearest_unused() -> None:
    truths = [InjectedBreak(1.0, JERK), InjectedBreak(1.2, JERK)]
    assert match(truths, [_found(1.1, JERK)]) == MatchCounts(1, 0, 1)
    # the first truth takes its nearest detection (0.95), leaving 1.25 for the second
    assert match(truths, [_found(1.25, JERK), _found(0.95, JERK)]) == MatchCounts(2, 0, 0)
    assert match(truths[:1], [_found(0.9, JERK), _found(1.05, JERK)]) == MatchCounts(1, 1, 0)


def test_the_plan_cycles_every_kind_from_the_seed() -> None:
    assert break_plan(0) == [*KINDS, *KINDS]
    assert break_plan(1)[:4] == [JERK, BreakKind.REVERSAL, None, ARREST]
    counts = {kind: sum(plan.count(kind) for plan in map(break_plan, range(4))) for kind in KINDS}
    assert set(counts.values()) == {4 * REACHES_PER_RECORDING // len(KINDS)}


def test_false_breaks_are_counted_near_clean_reaches_only() -> None:
    template, _ = load_hand_template(HAND_TEMPLATE_PATH)
    recording = synthetic_hand(template, seed=0, fps=25.0, breaks=[None, ARREST, None])
    first, broken, last = recording.reaches
    found = [
        _found(first.start_s - CLEAN_MARGIN_S + 0.01, JERK),  # just before the first clean reach
        _found((broken.start_s + broken.end_s) / 2, ARREST),  # inside the reach with a break: not counted
        _found(last.end_s + CLEAN_MARGIN_S + 0.01, JERK),  # just beyond the margin of the last one
    ]
    assert false_breaks_on_clean_reaches(recording, found) == (2, 1)
    assert false_breaks_on_clean_reaches(recording, []) == (2, 0)


@pytest.mark.parametrize("seed", [0, 3])
def test_the_plan_is_what_a_validation_recording_carries(seed: int) -> None:
    template, _ = load_hand_template(HAND_TEMPLATE_PATH)
    recording = synthetic_hand(template, seed=seed, fps=25.0, breaks=break_plan(seed))
    kinds = [None if reach.injected is None else reach.injected.kind for reach in recording.reaches]
    assert kinds == break_plan(seed)
