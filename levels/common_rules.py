"""What the families' rules share: the step's bookkeeping, the end of a trial, seeded placement and screen distances.

Every family's rules are a frozen dataclass state and ``step(state, events, dt_s) -> state``
(:mod:`levels.families`). The bookkeeping around a step is the same in each: a finished level stays as it is; the
events are applied; the source's end records the trial under way as unfinished (or, between trials, ends the level);
while the level clock stands still (the effector not seen, or a pause) nothing else moves; otherwise the clock and
the phase's time move on by ``dt_s`` and the family's own rules take the step. :class:`LevelStepper` does that
once, with the family's own parts; :func:`end_trial` records a trial's result and starts the rest.

Placement is seeded by (level seed, trial index), so a test or a therapist can know every target of a level in
advance: :func:`placement_rng` and :func:`best_draw`.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

import numpy as np
from pydantic import BaseModel

from levels.events import InputEvent
from levels.screen import ScreenShape
from levels.trial import LevelProgress, Outcome, Scalar, TrialResult

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


class TrialState(Protocol):
    """A family's state as the shared bookkeeping sees it: a frozen dataclass with the progress and the phase's time."""

    @property
    def progress(self) -> LevelProgress:
        """The level clock, the results and the end."""
        ...

    @property
    def phase(self) -> enum.Enum:
        """The family's phase (a rest, a trial or a part of one)."""
        ...

    @property
    def phase_elapsed_s(self) -> float:
        """Level time in the current phase (a rest, a trial or a part of one), seconds."""
        ...


StateT = TypeVar("StateT", bound=TrialState)
ParamsT = TypeVar("ParamsT")
DataclassT = TypeVar("DataclassT", bound="DataclassInstance")
T = TypeVar("T")


class TrialCounter:
    """Mixin of a family's state: the index of the trial under way, from the results recorded so far."""

    progress: LevelProgress

    @property
    def trial_index(self) -> int:
        """The current (or next) trial, 0-based."""
        return len(self.progress.results)


@dataclass(frozen=True)
class PhasedState(TrialCounter, Generic[ParamsT]):
    """The fields every family's state starts with: its parameters, the progress and the time in the phase.

    A family's state subclasses it (a frozen dataclass) and adds its phase and what its rules follow.
    """

    params: ParamsT
    progress: LevelProgress  # the level clock (seen, paused), the results and the end
    phase_elapsed_s: float = 0.0


def params_from_level(
    cls: type[DataclassT], level: BaseModel, screen: ScreenShape | None = None, **computed: Any
) -> DataclassT:
    """Return the rules' parameters ``cls`` for ``level``: each field from the level's field of the same name.

    ``screen_aspect`` and ``top_reserved_norm`` (where ``cls`` has them) come from ``screen``; ``computed`` gives
    the fields worked out from the level (they win over a level field of the same name).
    """
    names = {item.name for item in fields(cls)}
    values: dict[str, Any] = {name: getattr(level, name) for name in names if name in type(level).model_fields}
    if screen is not None:
        values.update(screen_aspect=screen.aspect, top_reserved_norm=screen.top_reserved_norm)
    values.update(computed)
    return cls(**{name: value for name, value in values.items() if name in names})


@dataclass(frozen=True)
class LevelStepper(Generic[StateT]):
    """A family's ``step(state, events, dt_s) -> state``, from the family's own parts of a step.

    ``apply_events``: the state after the step's events (the family's inputs and ``progress.take`` of each).
    ``advance``: the family's step once the level clock and the phase's time have moved on by ``dt_s``.
    ``end``: the state after recording the trial under way with an outcome (the rest starts).
    ``trial_phases``: the phases in which a trial is under way (the source's end then records it as unfinished).
    ``while_frozen``: the state while the level clock stands still (default: unchanged).
    ``end_unfinished``: the state after recording the trial under way as unfinished (default: ``end``).
    """

    apply_events: Callable[[StateT, Iterable[InputEvent]], StateT]
    advance: Callable[[StateT, float], StateT]
    end: Callable[[StateT, Outcome], StateT]
    trial_phases: frozenset[enum.Enum]
    while_frozen: Callable[[StateT], StateT] | None = None
    end_unfinished: Callable[[StateT], StateT] | None = None

    def __call__(self, state: StateT, events: Iterable[InputEvent], dt_s: float) -> StateT:
        """Return ``state`` advanced by ``dt_s`` seconds of game time after applying ``events``."""
        if state.progress.finished:
            return state
        state = self.apply_events(state, events)
        if state.progress.source_ended:
            if state.phase in self.trial_phases:
                return (
                    self.end(state, Outcome.UNFINISHED) if self.end_unfinished is None else self.end_unfinished(state)
                )
            return _with(state, progress=state.progress.finish())
        if state.progress.frozen:
            return state if self.while_frozen is None else self.while_frozen(state)
        state = _with(state, progress=state.progress.advance(dt_s), phase_elapsed_s=state.phase_elapsed_s + dt_s)
        return self.advance(state, dt_s)


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


def after_rest(state: StateT, rest_s: float, begin: Callable[[StateT], StateT]) -> StateT:
    """Return ``begin(state)`` (the next trial under way) once the rest has lasted ``rest_s``, else ``state``."""
    return begin(state) if state.phase_elapsed_s >= rest_s else state


def dwell_or_timeout(
    state: StateT,
    dt_s: float,
    *,
    dwell_s: float,
    on_target: bool,
    dwell_time_s: float,
    timeout_s: float,
    end: Callable[[StateT, Outcome], StateT],
) -> StateT:
    """Return the state after ``dt_s`` seconds on (or off) a target: its ``dwell_s`` grown (or back to 0).

    A dwell of ``dwell_time_s`` hits the target; a trial of ``timeout_s`` (its phase's time) misses it; ``end``
    records the trial.
    """
    dwell_s = dwell_s + dt_s if on_target else 0.0
    state = _with(state, dwell_s=dwell_s)
    if dwell_s >= dwell_time_s:
        return end(state, Outcome.HIT)
    if state.phase_elapsed_s >= timeout_s:
        return end(state, Outcome.MISSED)
    return state


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
