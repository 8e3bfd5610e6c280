"""Whole adaptive sessions headless, for tests: a patient in SQLite records with today's plan, the mouse following
every reach target (a patient hitting each one), the session flow and every results note kept.

Shared by tests/integration/test_adaptive_sessions.py and the other tests that play such a session.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pygame
import pytest

import game.session
import game.session_flow
from game.cli import main
from game.input_source import InputKind
from game.scenes.base import GameContext
from game.session import SessionOptions, SessionResult, run_session
from game.session_flow import SessionFlow
from levels.reach.rules import ReachState
from tests.support.session_flows import MouseClock

PATIENT = "P-1"
# Today's plan: the reach level at 0.3 (target radius 0.102), never smaller than 0.096.
PLAN = """\
schema_version = 1
affected_side = "left"
session_limit_min = {limit_min}
rest_between_sets_s = {rest_s}

[[levels]]
name = "reach"
repetitions = {repetitions}
sets = {sets}
start_difficulty = 0.3
max_difficulty = 0.8
caps = {{ target_radius_norm = {{ min = 0.096 }} }}
"""


class TargetFollower(MouseClock):
    """A simulated clock that moves the mouse onto the reach target whenever the level shows one."""

    def __init__(self) -> None:
        super().__init__([])
        self.context: GameContext | None = None

    def tick(self) -> float:
        frame_s = super().tick()
        state = None if self.context is None else self.context.report.level_state
        if isinstance(state, ReachState) and state.target is not None and not state.progress.finished:
            window = pygame.display.get_surface()
            assert window is not None, "the level shows a target: the game's window is open"
            width_px, height_px = window.get_size()
            pos = (round(state.target[0] * width_px), round(state.target[1] * height_px))
            pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
        return frame_s


class AdaptiveSession:
    """Plays one session of :data:`PATIENT`, keeping the clock, the flow, every results screen and its note."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str) -> None:
        self.clock = TargetFollower()
        self.flow: SessionFlow | None = None
        self.notes: list[str | None] = []
        self.results: list[Any] = []  # every results screen shown (ResultsScene), in order
        self.path = tmp_path / f"{name}.json"

        def flow(context: GameContext, *args: Any, **kwargs: Any) -> SessionFlow:
            self.clock.context = context
            self.flow = SessionFlow(context, *args, **kwargs)
            return self.flow

        original = game.session_flow.ResultsScene  # type: ignore[attr-defined]  # the name the flow builds with

        def results(*args: Any, **kwargs: Any) -> Any:
            self.notes.append(kwargs.get("note"))
            scene = original(*args, **kwargs)
            self.results.append(scene)
            return scene

        monkeypatch.setattr(game.session, "SessionFlow", flow)
        monkeypatch.setattr(game.session_flow, "ResultsScene", results)

    def play(self, data_dir: Path, max_seconds: float) -> SessionResult:
        return run_session(
            SessionOptions(
                patient=PATIENT,
                input_kind=InputKind.MOUSE,
                data_dir=data_dir,
                headless=True,
                max_seconds=max_seconds,
                results_json=self.path,
                offer_choices=False,
            ),
            clock_factory=lambda: self.clock,
        )

    def document(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        return data


def import_plan(tmp_path: Path, data_dir: Path, *, rest_s: float = 2.0, **values: Any) -> None:
    """Import today's :data:`PLAN` with ``values`` (limit_min, repetitions, sets) for :data:`PATIENT`."""
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN.format(rest_s=rest_s, **values), encoding="utf-8")
    data = ["--data-dir", str(data_dir)]
    assert main(["plan", "import", str(plan), "--patient", PATIENT, "--author", "dr-a", *data]) == 0


def add_patient_with_plan(tmp_path: Path, data_dir: Path, *, rest_s: float = 2.0, **values: Any) -> None:
    """Add :data:`PATIENT` to new records in ``data_dir`` and import today's :data:`PLAN` with ``values``
    (limit_min, repetitions, sets)."""
    assert main(["patients", "add", "--id", PATIENT, "--data-dir", str(data_dir)]) == 0
    import_plan(tmp_path, data_dir, rest_s=rest_s, **values)
