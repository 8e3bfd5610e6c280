"""What the families' rules share: the step's bookkeeping, the end of a trial, seeded placement and screen distances.

Every family's rules are a frozen dataclass state and ``step(state, events, dt_s) -> state``
(:mod:`levels.families`). The bookkeeping around a step is the same in each: a finished level stays as it is; the
events are applied; the source's end records the trial under way as unfinished (or, between trials, ends the level);
while the level clock stands still (the effector not seen, or a pause) nothing else moves; otherwise the clock and
the phase's time move on by ``dt_s`` and the family's own rules take the step. :func:`step_level` does that once, with
the family's parts passed in a :class:`StepParts`; :func:`end_trial` records a trial's result and starts the rest.

Placement is seeded by (level seed, trial index), so a test or a therapist can know every target of a level in
advance: :func:`placement_rng` and :func:`best_draw`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Generic, Protocol, TypeVar

import numpy as np

from levels.events import InputEvent
from levels.trial import LevelProgress, Outcome, Scalar, TrialResult


class TrialState(Protocol):
    """A family's state as the shared bookkeeping sees it: a frozen dataclass with the progress and the phase's time."""

    @property
    def progress(self) -> LevelProgress:
        """The level clock, the results and the end."""
        ...

    @property
    def phase_elapsed_s(self) -> float:
        """Level time in the current phase (a rest, a trial or a part of one), seconds."""
        ...


StateT = TypeVar("StateT", bound=TrialState)
T = TypeVar("T")


class TrialCounter:
    """Mixin of a family's state: the index of the trial under way, from the results recorded so far."""

    progress: LevelProgress

    @property
    def trial_index(self) -> int:
        """The current (or next) trial, 0-based."""
        return len(self.progress.results)


@dataclass(frozen=True)
class StepParts(Generic[StateT]):
    """A family's own parts of a step, for :func:`step_level`.

    ``apply_events``: the state after the step's events (the family's inputs and ``progress.take`` of each).
    ``in_trial``: whether a trial is under way (the source's end then records it as unfinished).
    ``end_unfinished``: the state after recording the trial under way as unfinished.
    ``advance``: the family's step once the clock and the phase's time have moved on by ``dt_s``.
    ``while_frozen``: the state while the level clock stands still (default: unchanged).
    """

    apply_events: Callable[[StateT, Iterable[InputEvent]], StateT]
    in_trial: Callable[[StateT], bool]
    end_unfinished: Callable[[StateT], StateT]
    advance: Callable[[StateT, float], StateT]
    while_frozen: Callable[[StateT], StateT] | None = None


def step_level(state: StateT, events: Iterable[InputEvent], dt_s: float, parts: StepParts[StateT]) -> StateT:
    """Return ``state`` advanced by ``dt_s`` seconds of game time after ``events``, with the family's ``parts``."""
    if state.progress.finished:
        return state
    state = parts.apply_events(state, events)
    if state.progress.source_ended:
        if parts.in_trial(state):
            return parts.end_unfinished(state)
        return _with(state, progress=state.progress.finish())
    if state.progress.frozen:
        return state if parts.while_frozen is None else parts.while_frozen(state)
    state = _with(state, progress=state.progress.advance(dt_s), phase_elapsed_s=state.phase_elapsed_s + dt_s)
    return parts.advance(state, dt_s)


def end_trial(
    state: StateT,
    outcome: Outcome,
    *,
    trial_s: float,
    points: int,
    params: Mapping[str, Scalar],
    measures: Mapping[str, Scalar] | None = None,
    **resets: Any,
) -> StateT:
    """Return ``state`` with the trial under way recorded and its phase's time back to 0 (the rest starts).

    ``trial_s``: the trial's time on the level clock so far (it started that long ago); ``resets``: the family's
    fields to set for the rest (its phase, the trial's sums back to their start).
    """
    now_s = state.progress.clock.elapsed_s
    result = TrialResult(
        index=len(state.progress.results),
        outcome=outcome,
        start_s=now_s - trial_s,
        end_s=now_s,
        points=points,
        params=params,
        measures={} if measures is None else measures,
    )
    return _with(state, progress=state.progress.record(result), phase_elapsed_s=0.0, **resets)


def _with(state: StateT, **changes: Any) -> StateT:
    """Return the frozen dataclass ``state`` with ``changes``."""
    changed: StateT = replace(state, **changes)  # type: ignore[type-var]  # a TrialState is a dataclass
    return changed


def screen_distance_norm(a: tuple[float, float], b: tuple[float, float], screen_aspect: float) -> float:
    """Return the distance between two screen points (0..1 of the width and height) in screen heights."""
    return math.hypot((a[0] - b[0]) * screen_aspect, a[1] - b[1])


def placement_rng(seed: int, index: int) -> np.random.Generator:
    """Return the random generator of trial ``index`` of a level seeded ``seed``: the same level, the same places."""
    return np.random.default_rng([seed, index])


def best_draw(draw: Callable[[], T], shortfall: Callable[[T], float], attempts: int) -> tuple[T, float]:
    """Return the first of ``attempts`` draws with no shortfall, else the earliest with the least; and its shortfall.

    ``shortfall``: how far a draw misses what is asked of it (0 when it fits).
    """
    best: T | None = None
    best_shortfall = math.inf
    for _ in range(attempts):
        candidate = draw()
        missed = shortfall(candidate)
        if missed == 0.0:
            return candidate, 0.0
        if missed < best_shortfall:
            best, best_shortfall = candidate, missed
    assert best is not None, "at least one draw"
    return best, best_shortfall
