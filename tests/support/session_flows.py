"""Driving whole sessions headless with the mouse: a simulated clock that posts scripted pygame events (mouse
motion onto a button or a target, key presses) when the game clock passes their time, and level files to play."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pygame

from game.frame_clock import FrameClock
from game.input_source import InputKind
from game.session import SessionOptions, SessionResult, run_session
from tests.support.game_flows import KeyPress, ScriptedClock


@dataclass(frozen=True)
class MouseAt:
    """The mouse moved to ``pos_norm`` (window fractions) when the game clock reaches ``at_s``."""

    at_s: float
    pos_norm: tuple[float, float]


class MouseClock(ScriptedClock):
    """A :class:`ScriptedClock` (no real waiting: the mouse needs no tracker) that also posts mouse motion."""

    def __init__(
        self,
        moves: Sequence[MouseAt] = (),
        *,
        keys: Sequence[KeyPress] = (),
        window_px: tuple[int, int] = (1280, 720),
    ) -> None:
        super().__init__(keys, real_wait_s=0.0)
        self._moves = sorted(moves, key=lambda move: move.at_s)
        self._window_px = window_px

    def tick(self) -> float:
        frame_s = super().tick()
        while self._moves and self._moves[0].at_s <= self.now_s():
            move = self._moves.pop(0)
            window = pygame.display.get_surface()  # the window, which the game fits to the desktop
            width_px, height_px = window.get_size() if window is not None else self._window_px
            pos = (round(move.pos_norm[0] * width_px), round(move.pos_norm[1] * height_px))
            pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
        return frame_s


def play_with_mouse(
    levels: Sequence[Path],
    clock_factory: Callable[[], FrameClock],
    *,
    data_dir: Path,
    max_seconds: float,
    **options: Any,
) -> SessionResult:
    """``run_session`` headless with the mouse as the input, on the level files ``levels`` in turn, its data in
    ``data_dir``, for ``max_seconds`` of ``clock_factory``'s clock at most; ``options``: the other session options."""
    return run_session(
        SessionOptions(
            levels=tuple(str(path) for path in levels),
            input_kind=InputKind.MOUSE,
            data_dir=data_dir,
            headless=True,
            max_seconds=max_seconds,
            **options,
        ),
        clock_factory=clock_factory,
    )


# A corner of the window that no screen puts a button on.
OFF_BUTTONS_NORM = (0.01, 0.99)


def hold_at(pos_norm: tuple[float, float], start_s: float, end_s: float, step_s: float = 0.1) -> list[MouseAt]:
    """The mouse moved onto ``pos_norm`` from a corner (off every button: a hold counts only on a button moved
    onto) just before ``start_s``, and kept there until ``end_s`` (a small motion each ``step_s``)."""
    count = max(1, round((end_s - start_s) / step_s))
    corner = MouseAt(max(0.0, start_s - step_s / 2), OFF_BUTTONS_NORM)
    return [corner, *(MouseAt(start_s + i * step_s, pos_norm) for i in range(count + 1))]


def reach_level_file(
    folder: Path,
    name: str,
    *,
    trials: int = 2,
    sets: int = 1,
    rest_s: float = 2.0,
    timeout_s: float = 2.0,
    title: str | None = None,
) -> Path:
    """A small reach level file ``folder/name.toml``: ``trials`` targets missed after ``timeout_s`` if not held."""
    path = folder / f"{name}.toml"
    path.write_text(
        f"""schema_version = 1
name = "{name}"
title = "{title or name.capitalize()}"
description = "A short level for the session tests."
kind = "reach"
trials = {trials}
target_radius_norm = 0.09
dwell_time_s = 0.6
trial_timeout_s = {timeout_s}
inter_trial_pause_s = 0.5
models = ["hands"]
seed = 11
sets = {sets}
rest_between_sets_s = {rest_s}
""",
        encoding="utf-8",
    )
    return path
