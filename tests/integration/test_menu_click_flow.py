"""A whole session headless with the mouse: a click on the menu's second level button plays that level, not the
plan; Space plays the plan."""

from __future__ import annotations

import json
from pathlib import Path

import pygame
import pytest

from game.session import SessionResult
from levels.schema import LevelFile
from tests.support.game_flows import KeyPress
from tests.support.mouse_clicks import ClickAt, ClickClock, session_menu
from tests.support.session_flows import play_with_mouse, reach_level_file


@pytest.fixture(autouse=True)
def _no_records_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTORPLAY_DB", raising=False)
    monkeypatch.delenv("MOTORPLAY_DATA_DIR", raising=False)


def second_choice(tmp_path: Path, planned: Path) -> tuple[LevelFile, tuple[float, float]]:
    """The menu's second level button as the session shows it: its level and its centre."""
    menu = session_menu(tmp_path / "data", planned)
    button = menu.choice_buttons()[1]
    return menu.pages()[0][1], (button[0], button[1])


def play(tmp_path: Path, planned: Path, clock: ClickClock) -> SessionResult:
    return play_with_mouse(
        [planned],
        lambda: clock,
        data_dir=tmp_path / "data",
        max_seconds=3.0,
        results_json=tmp_path / "session.json",
    )


def levels_played(tmp_path: Path) -> list[str]:
    document = json.loads((tmp_path / "session.json").read_text(encoding="utf-8"))
    return [run["level"] for run in document["levels"]]


def test_a_click_on_the_second_level_button_plays_that_level(tmp_path: Path) -> None:
    planned = reach_level_file(tmp_path, "planned")
    chosen, centre = second_choice(tmp_path, planned)
    # One click, before the menu would start the plan by itself (after 2 s), with no move onto the button.
    result = play(tmp_path, planned, ClickClock([ClickAt(0.5, centre)]))
    assert result.scenes[:2] == ["menu", "level"]
    assert levels_played(tmp_path) == [chosen.name] != ["planned"]


def test_space_with_the_pointer_on_a_level_plays_the_plan(tmp_path: Path) -> None:
    from tests.support.session_flows import hold_at

    planned = reach_level_file(tmp_path, "planned")
    _, centre = second_choice(tmp_path, planned)
    clock = ClickClock(moves=hold_at(centre, 0.3, 0.6), keys=[KeyPress(0.5, pygame.K_SPACE)])
    result = play(tmp_path, planned, clock)
    assert result.scenes[:2] == ["menu", "level"]
    assert levels_played(tmp_path) == ["planned"]
