"""Played levels as the results screen reads them, without playing: only their progress."""

from __future__ import annotations

from dataclasses import dataclass

from levels.trial import LevelProgress, Outcome, TrialClock, TrialResult
from tracking.types import Effector


@dataclass(frozen=True)
class Played:
    """A played level as the results screen reads it (only its progress)."""

    progress: LevelProgress


def all_hits(trials: int) -> Played:
    """A finished hand level of ``trials`` hits, one every 2 s, each 1.5 s long and worth 100 points."""
    results = tuple(TrialResult(index, Outcome.HIT, 2.0 * index, 2.0 * index + 1.5, 100) for index in range(trials))
    return Played(LevelProgress(trials, TrialClock(Effector.HAND), results=results, finished=True))
