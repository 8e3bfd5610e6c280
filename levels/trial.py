"""The trial machinery every level family shares, pure and frozen: the level clock, pause, outcomes and results.

- :class:`TrialClock` counts the level's time only while the level's effector (the hand for reach, the head for a
  head level) is seen and the game is not paused, so a lost hand or a pause never costs time. It keeps, per
  effector, whether it is seen; the level's effector alone decides whether the clock runs.
- :class:`TrialResult` is one trial as plain data a session record can store: its times on the level clock, its
  outcome, its points, what it asked (``params``) and what was measured (``measures``).
- :class:`LevelProgress` is the part of every family's state that the game's generic scenes read: the clock, the
  results so far, the number of trials and whether the level has finished.

A family's rules keep a :class:`LevelProgress` in their frozen state (``state.progress``, see :class:`LevelState`)
and feed it every input event (:meth:`LevelProgress.take`) before their own logic.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from levels.events import Command, CommandIssued, InputEvent, SourceEnded, TrackingFound, TrackingLost
from tracking.types import Effector

# What a trial's params and measures may hold: plain values a session record stores as they are.
Scalar = float | int | str | bool


class Outcome(enum.Enum):
    """How a trial ended."""

    HIT = "hit"  # the trial's goal was reached
    MISSED = "missed"  # the trial timed out
    UNFINISHED = "unfinished"  # the source ended during the trial
    SKIPPED = "skipped"  # passed over without being tried (an assessment step whose tracking model is not running)


@dataclass(frozen=True)
class TrialClock:
    """The level clock: ``elapsed_s`` grows only while ``effector`` is seen and the game is not paused.

    ``seen`` holds every effector currently seen (a head level also hears when the hand is lost, and the reverse);
    only ``effector`` stops the clock.
    """

    effector: Effector
    seen: frozenset[Effector] = frozenset()
    paused: bool = False
    elapsed_s: float = 0.0

    @property
    def effector_seen(self) -> bool:
        """Whether the level's own effector is seen."""
        return self.effector in self.seen

    @property
    def running(self) -> bool:
        """True while the clock counts: the effector is seen and the game is not paused."""
        return self.effector_seen and not self.paused

    def take(self, event: InputEvent) -> TrialClock:
        """Return the clock after ``event``: an effector lost or found, or the pause command (which toggles)."""
        if isinstance(event, TrackingLost):
            return replace(self, seen=self.seen - {event.effector})
        if isinstance(event, TrackingFound):
            return replace(self, seen=self.seen | {event.effector})
        if isinstance(event, CommandIssued) and event.command in (Command.PAUSE, Command.BACK):
            return replace(self, paused=not self.paused)
        return self

    def advance(self, dt_s: float) -> TrialClock:
        """``dt_s`` seconds later: counted only while running."""
        return replace(self, elapsed_s=self.elapsed_s + dt_s) if self.running else self


@dataclass(frozen=True)
class TrialResult:
    """One trial as plain data: times on the level clock (pauses and lost tracking excluded), outcome and points.

    ``params`` says what the trial asked (a reach target's position and radius); ``measures`` what was measured
    in it (room for movement quality). Keys carry their unit (``target_x_norm``, ``mean_speed_px_per_s``).
    """

    index: int  # 0-based, in the order played
    outcome: Outcome
    start_s: float
    end_s: float
    points: int = 0
    params: Mapping[str, Scalar] = field(default_factory=dict)
    measures: Mapping[str, Scalar] = field(default_factory=dict)

    @property
    def duration_s(self) -> float:
        """The trial's time on the level clock, seconds."""
        return self.end_s - self.start_s

    def as_dict(self) -> dict[str, object]:
        """Return the result as JSON-ready plain data (the outcome as its text)."""
        return {
            "index": self.index,
            "outcome": self.outcome.value,
            "start_s": self.start_s,
            "end_s": self.end_s,
            "duration_s": self.duration_s,
            "points": self.points,
            "params": dict(self.params),
            "measures": dict(self.measures),
        }


@dataclass(frozen=True)
class LevelProgress:
    """What every level's state shares: the clock, the planned ``trials``, the results, and the end.

    The level finishes when every trial has a result, or when the source ends (a trial under way is recorded
    :attr:`Outcome.UNFINISHED` by the family's rules).
    """

    trials: int
    clock: TrialClock
    results: tuple[TrialResult, ...] = ()
    source_ended: bool = False
    finished: bool = False

    @classmethod
    def start(cls, trials: int, effector: Effector, *, seen: frozenset[Effector]) -> LevelProgress:
        """Return a level of ``trials`` trials moved by ``effector``.

        ``seen``: the effectors the input sees now (a camera before the hand appears sees none, the mouse is always
        seen).
        """
        return cls(trials=trials, clock=TrialClock(effector=effector, seen=seen))

    @property
    def frozen(self) -> bool:
        """True while the level clock stands still (the effector is not seen, or the game is paused)."""
        return not self.clock.running

    @property
    def hits(self) -> int:
        """The number of trials hit so far."""
        return sum(1 for result in self.results if result.outcome is Outcome.HIT)

    @property
    def misses(self) -> int:
        """The number of trials missed so far."""
        return sum(1 for result in self.results if result.outcome is Outcome.MISSED)

    @property
    def score(self) -> int:
        """The points of the trials so far."""
        return sum(result.points for result in self.results)

    def take(self, event: InputEvent) -> LevelProgress:
        """Return the progress after ``event``: the clock's (seen, pause) and the end of the source."""
        if isinstance(event, SourceEnded):
            return replace(self, source_ended=True)
        clock = self.clock.take(event)
        return self if clock is self.clock else replace(self, clock=clock)

    def advance(self, dt_s: float) -> LevelProgress:
        """Return the progress ``dt_s`` seconds of game time later (counted only while the clock runs)."""
        return replace(self, clock=self.clock.advance(dt_s))

    def record(self, result: TrialResult) -> LevelProgress:
        """Add ``result``; the level finishes after the last trial or an unfinished one."""
        results = (*self.results, result)
        finished = len(results) >= self.trials or result.outcome is Outcome.UNFINISHED
        return replace(self, results=results, finished=finished)

    def finish(self) -> LevelProgress:
        """End the level now (the source ended between trials)."""
        return replace(self, finished=True)


class LevelState(Protocol):
    """What the game's generic scenes need of a family's state: its :class:`LevelProgress`."""

    @property
    def progress(self) -> LevelProgress:
        """The shared trial machinery's progress of the level."""
        ...


@dataclass(frozen=True)
class JoinedSets:
    """The sets of one level run seen as one play of the level (a :class:`LevelState` for the results screen)."""

    progress: LevelProgress


def join_sets(sets: Sequence[LevelProgress]) -> LevelProgress:
    """Join the sets played of one level (``sets[0]`` first) into one finished progress, the results numbered on.

    Each set keeps its own level clock, so the results keep their times; the planned trials are the sets' sum.

    Raises
    ------
    ValueError
        No set was given.
    """
    if not sets:
        raise ValueError("join_sets needs at least one set")
    results: list[TrialResult] = []
    for progress in sets:
        for result in progress.results:
            results.append(replace(result, index=len(results)))
    last = sets[-1]
    return replace(
        last,
        trials=sum(progress.trials for progress in sets),
        results=tuple(results),
        source_ended=any(progress.source_ended for progress in sets),
        finished=True,
    )
