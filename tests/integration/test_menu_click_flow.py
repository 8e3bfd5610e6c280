"""A whole session headless with the mouse: a click on the menu's second level button plays that level, not the
plan; Space plays the plan."""

from __future__ import annotations

import json
from pathlib import Path

import pygame
import pytest

from clinic.calibration_store import CalibrationStore
from game.input_source import InputKind
from game.mouse_input import MouseInput
from game.scenes.base import GameContext
from game.scenes.menu import MenuScene
from game.session import DEFAULT_PATIENT, DEFAULT_WINDOW_PX, SessionOptions, SessionResult, run_session
from game.theme import Theme
from levels.errors import LevelFileError
from levels.loader import list_levels, load_level
from levels.schema import LevelFile
from tests.support.game_flows import KeyPress
from tests.support.mouse_clicks import ClickAt, ClickClock
from tests.support.session_flows import reach_level_file


@pytest.fixture(autouse=True)
def _no_records_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTORPLAY_DB", raising=False)
    monkeypatch.delenv("MOTORPLAY_DATA_DIR", raising=False)


def offered() -> tuple[LevelFile, ...]:
    """The catalogue's levels as the session offers them to a mouse player: those that load."""
    levels = []
    for name in list_levels():
        try:
            levels.append(load_level(name))
        except LevelFileError:
            continue
    return tuple(levels)


def second_choice(tmp_path: Path, planned: Path) -> tuple[LevelFile, tuple[float, float]]:
    """The menu's second level button as the session shows it: its level and its centre."""
    pygame.init()  # the menu's fonts
    menu = MenuScene(
        GameContext(
            screen_size_px=DEFAULT_WINDOW_PX,
            theme=Theme.for_height(DEFAULT_WINDOW_PX[1]),
            level=load_level(planned),
            patient=DEFAULT_PATIENT,
            store=CalibrationStore(tmp_path / "data"),
            input_source=MouseInput(DEFAULT_WINDOW_PX),
        ),
        plan=(load_level(planned),),
        choices=offered(),
    )
    button = menu.choice_buttons()[1]
    return menu.pages()[0][1], (button[0], button[1])


def play(tmp_path: Path, planned: Path, clock: ClickClock) -> SessionResult:
    return run_session(
        SessionOptions(
            levels=(str(planned),),
            input_kind=InputKind.MOUSE,
            data_dir=tmp_path / "data",
            headless=True,
            max_seconds=3.0,
            results_json=tmp_path / "session.json",
        ),
        clock_factory=lambda: clock,
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
