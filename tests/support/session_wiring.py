"""What the session wiring tests need around ``run_session``: the scenes a session built (kept as it builds them), a
simulated clock whose mouse follows the level's target, a patient's assessment with a head range, and earlier
recorded sessions of a level written through the records store's API."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import pygame
import pytest

from clinic.records.store import open_store
from clinic.records.types import TrialOutcome, TrialRecord
from game.scenes.level import LevelScene
from tests.support.game_flows import KeyPress
from tests.support.session_flows import MouseClock

SceneT = TypeVar("SceneT")


def kept_instances(monkeypatch: pytest.MonkeyPatch, module: ModuleType, cls: type[SceneT]) -> list[SceneT]:
    """Every instance of ``cls`` that ``module`` builds from now on (``module.<cls name>`` replaced by a subclass that
    keeps them, in order); the scenes behave as before."""
    name = cls.__name__
    assert getattr(module, name) is cls, f"{module.__name__}.{name} is not {cls}"
    kept: list[SceneT] = []

    class Kept(cls):  # type: ignore[valid-type, misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            kept.append(self)

    Kept.__name__ = Kept.__qualname__ = name
    monkeypatch.setattr(module, name, Kept)
    return kept


class TargetFollower(MouseClock):
    """A simulated clock (no real waiting) whose mouse goes onto the target of the newest level scene in
    ``scenes`` whenever it shows one (``state.target_point``: head levels; ``state.target``: reach levels), as a
    patient reaching every target."""

    def __init__(self, scenes: Sequence[LevelScene], *, keys: Sequence[KeyPress] = ()) -> None:
        super().__init__([], keys=keys)
        self.scenes = scenes

    def tick(self) -> float:
        frame_s = super().tick()
        if not self.scenes:
            return frame_s
        state = self.scenes[-1].state
        point = getattr(state, "target_point", None) or getattr(state, "target", None)
        window = pygame.display.get_surface()
        if window is not None and point is not None and not state.progress.finished and not state.progress.clock.paused:
            width_px, height_px = window.get_size()
            pos = (round(point[0] * width_px), round(point[1] * height_px))
            pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
        return frame_s


def record_earlier_sessions(
    data_dir: Path, patient: str, level: str, family: str, started: Sequence[datetime], *, trials: int = 3
) -> None:
    """Add ``patient`` to the SQLite records in ``data_dir`` with one complete session of ``level`` started at each of
    ``started``: ``trials`` successes each, with stars and a SPARC."""
    with open_store(data_dir=data_dir, environ={}, import_calibrations=False) as store:
        store.add_patient(patient)
        for start in started:
            session = store.start_session(patient, started_at=start)
            run = store.start_level_run(session.uuid, level, family, started_at=start + timedelta(seconds=5))
            for index in range(trials):
                store.add_trial(
                    run.uuid,
                    TrialRecord(
                        index=index,
                        outcome=TrialOutcome.SUCCESS,
                        time_s=2.0,
                        start_s=3.0 * index,
                        stars=2,
                        sparc=-2.0,
                        ended_at=start + timedelta(seconds=10 * (index + 1)),
                    ),
                )
            store.end_session(session.uuid, complete=True, ended_at=start + timedelta(minutes=5))
