"""Stepping the head level's pure rules at a fixed step, as the game's fixed-step loop does."""

from __future__ import annotations

from levels.events import InputEvent
from levels.head import rules as head_rules
from levels.head.rules import HeadParams, HeadState
from levels.trial import LevelProgress
from tracking.types import Effector

STEP_S = 1.0 / 120.0  # the game's fixed step
FACE = frozenset({Effector.HEAD})


def run(state: HeadState, seconds: float, events: list[InputEvent] | None = None) -> HeadState:
    """Step for ``seconds`` (one step at least), feeding ``events`` on the first step."""
    pending = list(events or [])
    for _ in range(max(1, round(seconds / STEP_S))):
        state = head_rules.step(state, pending, STEP_S)
        pending = []
    return state


def new_state(params: HeadParams) -> HeadState:
    """The level's state before its first step: nothing played, the face the effector seen."""
    return HeadState(params=params, progress=LevelProgress.start(params.trials, Effector.HEAD, seen=FACE))
