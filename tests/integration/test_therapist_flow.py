"""The therapist screen in a whole session, headless through ``run_session`` with a simulated clock and a real
SQLite records database: menu -> T -> the PIN typed -> a difficulty raised -> Save -> Back to the menu, which then
plays the session; the saved plan is the patient's newest version, by the therapist in game."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from clinic.plan import current_plan, save_plan, set_pin
from clinic.records.store import open_store
from game.scenes.therapist import AUTHOR, PLAN_BACK_BUTTON_NORM, PLUS_X, SAVE_BUTTON_NORM, row_centre_y
from tests.support.game_flows import KeyPress
from tests.support.mouse_clicks import ClickAt, ClickClock
from tests.support.session_flows import play_with_mouse, reach_level_file

PATIENT = "anna"
PIN = "2468"
PLAN = """\
schema_version = 1
affected_side = "left"
session_limit_min = 20

[[levels]]
name = "reach"
start_difficulty = 0.3
min_difficulty = 0.1
max_difficulty = 0.8
"""
START_DIFFICULTY_ROW = 4  # the plan screen's line of the start difficulty


@pytest.fixture(autouse=True)
def _no_records_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTORPLAY_DB", raising=False)
    monkeypatch.delenv("MOTORPLAY_DATA_DIR", raising=False)


def test_menu_t_pin_change_save_back_to_the_menu(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with open_store(data_dir=data_dir, environ={}) as store:
        store.add_patient(PATIENT)
        save_plan(store, PATIENT, PLAN, author="dr-a", source="plan.toml")
    set_pin(data_dir, PATIENT, PIN)
    digits = [pygame.K_2, pygame.K_4, pygame.K_6, pygame.K_8]
    keys = [
        KeyPress(0.3, pygame.K_t),
        *(KeyPress(0.5 + 0.1 * index, key) for index, key in enumerate(digits)),
        KeyPress(0.95, pygame.K_RETURN),
    ]
    clicks = [
        ClickAt(1.2, (PLUS_X, row_centre_y(START_DIFFICULTY_ROW))),  # the start difficulty: 0.3 -> 0.35
        ClickAt(1.4, SAVE_BUTTON_NORM[:2]),
        ClickAt(1.6, PLAN_BACK_BUTTON_NORM[:2]),
    ]
    level = reach_level_file(tmp_path, "warmup")
    result = play_with_mouse(
        [level],
        lambda: ClickClock(clicks, keys=keys),
        data_dir=data_dir,
        max_seconds=4.5,
        patient=PATIENT,
    )
    # Back on the menu, which starts the session's level after its reading time.
    assert result.scenes[:4] == ["menu", "therapist", "menu", "level"], result.scenes
    with open_store(data_dir=data_dir, environ={}) as store:
        history = store.plan_history(PATIENT)
        assert [(record.version, record.author) for record in history] == [(1, "dr-a"), (2, AUTHOR)]
        found = current_plan(store, PATIENT)
    assert found is not None and found[1].levels[0].start_difficulty == 0.35
    assert found[1].affected_side == "left" and found[1].session_limit_min == 20
