"""A new difficulty for a level under way: the next trial uses the new level's parameters (pure).

The families' states are frozen dataclasses whose ``params`` (a frozen dataclass built by the family's ``start``
from the level file and the screen's shape) are read when each trial begins and while it runs
(:class:`levels.common_rules.PhasedState`). :func:`retune` swaps in the parameters of another concrete level of the
same family, keeping everything else: the progress (the level clock, the results already recorded, the number of
trials of the set), the phase and its time. Called between two trials (right after a trial's result is recorded,
during the rest before the next one), the trial that ended keeps the parameters it was played with (they are in
its result's ``params``) and the next one is played with the new ones.

The number of trials of a set never changes under way: the set was started with it (``progress.trials``), so a
count the level ramps with its difficulty (``trials``, ``repetitions``, a breathing level's ``breaths``) keeps its
value until the next set.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from typing import Any

from levels.families import Family
from levels.screen import ScreenShape
from levels.trial import LevelProgress

# The parameters that count a set's trials: they stay as the set started (its progress planned that many).
COUNT_FIELDS = ("trials", "repetitions", "breaths")


class RetuneError(ValueError):
    """A state whose parameters cannot be swapped while it runs (it has no ``params`` dataclass)."""


def can_retune(state: object) -> bool:
    """Return whether ``state`` is a family state with a ``params`` dataclass and a progress."""
    params = getattr(state, "params", None)
    progress = getattr(state, "progress", None)
    return (
        is_dataclass(state)
        and not isinstance(state, type)
        and is_dataclass(params)
        and not isinstance(params, type)
        and isinstance(progress, LevelProgress)
        and "params" in {item.name for item in fields(state)}
    )


def retune(family: Family[Any, Any], state: Any, level: Any, screen: ScreenShape) -> Any:
    """Return ``state`` with the parameters of ``level`` (same family) on ``screen``; all else kept.

    Parameters
    ----------
    family
        The level's family (:func:`levels.families.family_for`).
    state
        The family's state now (between two trials).
    level
        The concrete level at the new difficulty (:func:`levels.adaptive.level_now`).
    screen
        The play area's shape, as the level was started on.

    Returns
    -------
    Any
        The same kind of state: its ``params`` those ``family.start(level, screen, seen)`` gives, with the counts of
        :data:`COUNT_FIELDS` kept; progress, phase and the rest unchanged.

    Raises
    ------
    RetuneError
        ``state`` has no ``params`` dataclass to swap, or ``level`` is of another family.
    """
    if not can_retune(state):
        raise RetuneError(f"a {family.kind} level's state has no parameters to change while it runs")
    if getattr(level, "kind", None) != family.kind:
        raise RetuneError(f"a {getattr(level, 'kind', '?')} level cannot retune a {family.kind} level")
    fresh = family.start(level, screen, state.progress.clock.seen).params
    if type(fresh) is not type(state.params):
        raise RetuneError(f"the {family.kind} family's parameters changed type")
    kept = {name: getattr(state.params, name) for name in COUNT_FIELDS if hasattr(fresh, name)}
    return replace(state, params=replace(fresh, **kept))
