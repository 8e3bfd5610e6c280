"""Scoring break detection against the ground truth of :mod:`tracking.synthetic` recordings.

One rule for the test suite (``tests/unit/tracking/test_breaks_validation.py``) and the longer benchmark
(``benchmarks/validate_breaks.py``): a detection counts when it is of the injected kind and within
``TOLERANCE_S`` of the injected time, each detection matching at most one injected break. The figures of
``docs/movement-quality.md`` were measured with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from tracking.quality_types import Break, BreakKind
from tracking.synthetic import InjectedBreak, SyntheticHand

# A detection this close in time to an injected break of its kind finds it: about one reach phase (a reach
# lasts 0.7-1.3 s), so a detection in the neighbouring reach is never taken for it.
TOLERANCE_S = 0.35
# The validation plan: recording ``seed`` has REACHES_PER_RECORDING reaches whose breaks cycle through KINDS
# (None: a clean reach), starting at ``seed``, so every kind is injected equally often over the seeds.
KINDS: tuple[BreakKind | None, ...] = (BreakKind.ARREST, BreakKind.JERK, BreakKind.REVERSAL, None)
REACHES_PER_RECORDING = 8
# Breaks found this close to a clean reach's ends (or inside it) are counted as false breaks of that reach.
CLEAN_MARGIN_S = 0.2


class MatchCounts(NamedTuple):
    """Injected breaks found (``hits``), detections that match none (``false``), injected breaks not found."""

    hits: int
    false: int
    missed: int


def break_plan(seed: int) -> list[BreakKind | None]:
    """The break injected into each reach of the validation recording of ``seed`` (``None``: clean)."""
    return [KINDS[(seed + index) % len(KINDS)] for index in range(REACHES_PER_RECORDING)]


def match(truths: Sequence[InjectedBreak], found: Sequence[Break]) -> MatchCounts:
    """Greedy one-to-one matching, in the order of ``truths``, to the nearest unused detection of the same kind
    within ``TOLERANCE_S``."""
    used: set[int] = set()
    hits = 0
    for truth in truths:
        candidates = [
            (abs(event.t_s - truth.t_s), index)
            for index, event in enumerate(found)
            if index not in used and event.kind is truth.kind and abs(event.t_s - truth.t_s) <= TOLERANCE_S
        ]
        if candidates:
            used.add(min(candidates)[1])
            hits += 1
    return MatchCounts(hits, len(found) - len(used), len(truths) - hits)


def false_breaks_on_clean_reaches(recording: SyntheticHand, found: Sequence[Break]) -> tuple[int, int]:
    """(clean reaches, breaks found within ``CLEAN_MARGIN_S`` of one of them) in ``recording``."""
    clean = [reach for reach in recording.reaches if reach.injected is None]
    false = sum(
        reach.start_s - CLEAN_MARGIN_S <= event.t_s <= reach.end_s + CLEAN_MARGIN_S
        for reach in clean
        for event in found
    )
    return len(clean), false
