"""The therapist screen behind a PIN, driven headless with the game's events and a simulated clock, on a real
SQLite records store: the lock, the plan shown after the right PIN, an edit saved in the plan's history with its
author, an invalid edit refused naming the field, no plan without the PIN; and the menu's way in."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from clinic.calibration_store import CalibrationStore
from clinic.pin import LOCK_S, MAX_WRONG_TRIES
from clinic.plan import check_plan, current_plan, save_plan, set_pin
from clinic.records.store import RecordsStore, open_store
from game.mouse_input import MouseInput
from game.plan_editor import plan_to_toml, step_difficulty
from game.scenes.base import GameContext
from game.scenes.menu import NO_THERAPIST_NOTICE, THERAPIST_BUTTON_NORM, MenuScene
from game.scenes.routes import ToMenu, ToTherapist
from game.scenes.therapist import AUTHOR, PIN_COMMAND, Phase, TherapistScene
from game.theme import (
    BACKGROUND,
    GOOD,
    MIN_INSTRUCTION_HEIGHT_720P_PX,
    NOTICE,
    TEXT,
    TEXT_SOFT,
    Theme,
    text_height_px,
    wrap,
)
from game.therapist_access import RECORDS_FIELD
from levels.events import Clicked, Command, CommandIssued, DigitTyped, InputEvent
from levels.loader import load_level
from tests.support.game_screens import save_screenshot, shows_text

SIZE_PX = (1280, 720)
STEP_S = 1.0 / 60.0
PIN = "2468"
PATIENT = "anna"
PLAN = """\
schema_version = 1
affected_side = "right"
session_limit_min = 20

[[levels]]
name = "reach"
repetitions = 6
sets = 2
start_difficulty = 0.3
min_difficulty = 0.1
max_difficulty = 0.8

[[levels]]
name = "grasp"
"""


@pytest.fixture(autouse=True)
def surface() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


@pytest.fixture
def records(tmp_path: Path) -> Iterator[RecordsStore]:
    with open_store(data_dir=tmp_path / "data", environ={}) as store:
        store.add_patient(PATIENT)
        save_plan(store, PATIENT, PLAN, author="dr-a", source="plan.toml")
        yield store


def context(tmp_path: Path, records: RecordsStore | None) -> GameContext:
    made = GameContext(
        screen_size_px=SIZE_PX,
        theme=Theme.for_height(SIZE_PX[1]),
        level=load_level("reach"),
        patient=PATIENT,
        store=CalibrationStore(tmp_path / "data"),
        input_source=MouseInput(SIZE_PX),
    )
    if records is not None:
        setattr(made, RECORDS_FIELD, records)  # as game.session gives it the journal's store
    return made


def typed(pin: str, t_s: float) -> list[InputEvent]:
    """The digits of ``pin`` and Enter, as the keyboard types them."""
    return [*(DigitTyped(t_s, digit) for digit in pin), CommandIssued(t_s, Command.CONFIRM)]


def click(scene: TherapistScene, label: str, t_s: float, nth: int = 0) -> object:
    """Click the ``nth`` button labelled ``label`` (at its centre)."""
    button = [b for b in scene.buttons() if b.label == label][nth]
    x, y = button.button_norm[:2]
    return scene.update([Clicked(t_s, Command.CONFIRM, x_norm=x, y_norm=y)], STEP_S)


def step_button(scene: TherapistScene, row_label: str, up: bool, t_s: float) -> None:
    """Click the + (or -) of the plan's line ``row_label``."""
    rows = [row for row in scene.rows() if row.step is not None]
    index = [row.label for row in rows].index(row_label)
    steps = [b for b in scene.buttons() if b.label in {"-", "+", "<", ">"}]
    button = steps[2 * index + (1 if up else 0)]
    x, y = button.button_norm[:2]
    scene.update([Clicked(t_s, Command.CONFIRM, x_norm=x, y_norm=y)], STEP_S)


def run_until(scene: TherapistScene, t_s: float) -> None:
    """Let the game clock run to ``t_s`` with no input (simulated half-second steps, no waiting)."""
    while scene.now_s < t_s:
        scene.update([], min(0.5, t_s - scene.now_s))


def shows_lock_notice(scene: TherapistScene, words: str) -> bool:
    """Whether the screen, drawn now, shows ``words`` in body type and the notice colour."""
    surface = pygame.display.get_surface()
    assert surface is not None
    scene.draw(surface)
    return shows_text(surface, words, scene.context.theme.body, NOTICE, background=BACKGROUND)


def opened(tmp_path: Path, records: RecordsStore) -> TherapistScene:
    set_pin(tmp_path / "data", PATIENT, PIN)
    scene = TherapistScene(context(tmp_path, records), at_s=10.0)
    scene.update(typed(PIN, 10.0), STEP_S)
    assert scene.phase is Phase.PLAN
    return scene


def test_five_wrong_pins_lock_the_screen_for_a_minute_of_the_game_clock(tmp_path: Path, records: RecordsStore) -> None:
    set_pin(tmp_path / "data", PATIENT, PIN)
    ctx = context(tmp_path, records)
    scene = TherapistScene(ctx, at_s=100.0)
    for attempt in range(1, MAX_WRONG_TRIES):
        scene.update(typed("1111", 100.0), 0.0)
        assert scene.message is not None and f"{MAX_WRONG_TRIES - attempt} tr" in scene.message
    scene.update(typed("1111", 100.0), 0.0)  # the fifth, at 100 s
    scene.update(typed(PIN, 100.0), 0.0)  # the right PIN, but locked: not even checked
    assert scene.phase is Phase.PIN
    assert shows_lock_notice(scene, "Locked after 5 wrong tries. Try again in 1:00.")
    # Leaving the screen and coming back does not reset the lock: it is the session's.
    assert click(scene, "Back", 100.0) == ToMenu()
    scene = TherapistScene(ctx, at_s=130.0)
    scene.update(typed(PIN, 130.0), 0.0)
    assert scene.phase is Phase.PIN
    assert shows_lock_notice(scene, "Locked after 5 wrong tries. Try again in 0:30.")
    run_until(scene, 100.0 + LOCK_S - 0.5)  # half a second before the minute is over: still locked
    scene.update(typed(PIN, scene.now_s), 0.0)
    assert scene.phase is Phase.PIN
    run_until(scene, 100.0 + LOCK_S)  # a minute after the fifth try
    scene.update(typed(PIN, scene.now_s), 0.0)
    assert scene.phase is Phase.PLAN


def test_the_right_pin_shows_the_plan(tmp_path: Path, records: RecordsStore) -> None:
    scene = opened(tmp_path, records)
    assert [(row.label, row.value) for row in scene.rows()] == [
        ("Session limit", "20 min"),
        ("Level", "1 of 2: Reach"),
        ("Sets", "2"),
        ("Repetitions a set", "6"),
        ("Start difficulty", "0.30"),
        ("Lowest difficulty", "0.10"),
        ("Highest difficulty", "0.80"),
    ]
    step_button(scene, "Level", True, 10.0)  # the next level, in the plan's order
    assert scene.rows()[1].value == "2 of 2: Grasp and release"
    assert scene.rows()[3].value == "as in the level file"


def test_an_edit_saved_is_in_the_plan_history_with_its_author(tmp_path: Path, records: RecordsStore) -> None:
    scene = opened(tmp_path, records)
    step_button(scene, "Start difficulty", True, 10.0)
    step_button(scene, "Highest difficulty", False, 10.0)
    step_button(scene, "Sets", True, 10.0)
    step_button(scene, "Session limit", True, 10.0)
    assert scene.message == "Changed, not saved yet."
    click(scene, "Save", 10.0)
    assert scene.message is not None and scene.message.startswith("Saved as version 2")
    history = records.plan_history(PATIENT)
    assert [(record.version, record.author) for record in history] == [(1, "dr-a"), (2, AUTHOR)]
    found = current_plan(records, PATIENT)
    assert found is not None
    reach = found[1].levels[0]
    assert (reach.start_difficulty, reach.max_difficulty, reach.sets) == (0.35, 0.75, 3)
    assert found[1].session_limit_min == 25 and found[1].levels[1].name == "grasp"
    assert click(scene, "Back", 10.0) == ToMenu()


def test_back_leaves_without_saving(tmp_path: Path, records: RecordsStore) -> None:
    scene = opened(tmp_path, records)
    step_button(scene, "Start difficulty", True, 10.0)
    assert scene.update([CommandIssued(10.0, Command.BACK)], STEP_S) == ToMenu()  # Escape
    assert len(records.plan_history(PATIENT)) == 1


def test_an_invalid_edit_is_refused_naming_the_field(tmp_path: Path, records: RecordsStore) -> None:
    scene = opened(tmp_path, records)
    for _ in range(19):  # 2 sets -> 21: a plan file allows 20
        step_button(scene, "Sets", True, 10.0)
    click(scene, "Save", 10.0)
    assert scene.message is not None and "field 'levels.0.sets'" in scene.message
    assert scene.message.startswith("Not saved") and scene.message_colour == NOTICE
    assert len(records.plan_history(PATIENT)) == 1


def test_a_cap_contradicted_by_an_edit_is_refused_naming_the_cap(tmp_path: Path, records: RecordsStore) -> None:
    # Reach's target radius goes from 0.12 (difficulty 0) to 0.06 (difficulty 1): 0.084 at 0.6, under the cap.
    cap = "caps = { target_radius_norm = { min = 0.09 } }"
    capped = PLAN.replace("max_difficulty = 0.8\n", f"max_difficulty = 0.8\n{cap}\n")
    save_plan(records, PATIENT, capped, author="dr-a", source="capped.toml")
    scene = opened(tmp_path, records)
    for _ in range(6):  # the start from 0.3 to 0.6, then the lowest from 0.1 to 0.6
        step_button(scene, "Start difficulty", True, 10.0)
    for _ in range(10):
        step_button(scene, "Lowest difficulty", True, 10.0)
    assert scene.rows()[5].value == "0.60"
    click(scene, "Save", 10.0)
    assert scene.message is not None and "field 'levels.0.caps.target_radius_norm.min'" in scene.message
    assert len(records.plan_history(PATIENT)) == 2


def test_a_wrong_pin_shows_no_plan_and_changes_nothing(tmp_path: Path, records: RecordsStore) -> None:
    set_pin(tmp_path / "data", PATIENT, PIN)
    scene = TherapistScene(context(tmp_path, records), at_s=1.0)
    scene.update(typed("1357", 1.0), STEP_S)
    assert scene.phase is Phase.PIN and scene.plan is None
    assert {button.label for button in scene.buttons()} == {*"0123456789", "Erase", "OK", "Back"}
    scene.update([Clicked(1.0, Command.CONFIRM, x_norm=0.88, y_norm=0.94)], STEP_S)  # where Save would be
    assert [record.author for record in records.plan_history(PATIENT)] == ["dr-a"]


def test_the_pad_types_with_clicks_and_erases(tmp_path: Path, records: RecordsStore) -> None:
    set_pin(tmp_path / "data", PATIENT, PIN)
    scene = TherapistScene(context(tmp_path, records), at_s=1.0)
    for label in ("2", "4", "9", "Erase", "6", "8"):
        click(scene, label, 1.0)
    assert scene.entry == PIN
    click(scene, "OK", 1.0)
    assert scene.phase is Phase.PLAN


def test_without_a_pin_the_screen_says_how_to_set_one(tmp_path: Path, records: RecordsStore) -> None:
    scene = TherapistScene(context(tmp_path, records), at_s=1.0)
    assert scene.phase is Phase.NO_PIN
    scene.update(typed("0000", 1.0), STEP_S)
    assert scene.phase is Phase.NO_PIN and scene.plan is None
    assert [button.label for button in scene.buttons()] == ["Back"]
    surface = pygame.display.get_surface()
    scene.draw(surface)
    command = PIN_COMMAND.format(patient=PATIENT)
    text = f"No therapist PIN is set for {PATIENT}, so the plan stays closed. Set one in a terminal: {command}"
    last = wrap(text, scene.context.theme.body, int(SIZE_PX[0] * 0.85))[-1]
    assert command.split()[-1] in last
    assert shows_text(surface, last, scene.context.theme.body, TEXT, background=BACKGROUND)


def test_the_menu_offers_the_therapist_only_with_records(tmp_path: Path, records: RecordsStore) -> None:
    without = MenuScene(context(tmp_path, None))
    assert without.update([CommandIssued(2.0, Command.THERAPIST)], STEP_S) is None
    assert without.notice == NO_THERAPIST_NOTICE
    x, y = THERAPIST_BUTTON_NORM[:2]
    assert without.update([Clicked(2.0, Command.CONFIRM, x_norm=x, y_norm=y)], STEP_S) is None
    with_records = MenuScene(context(tmp_path, records))
    assert with_records.update([CommandIssued(2.5, Command.THERAPIST)], STEP_S) == ToTherapist(at_s=2.5)
    with_records = MenuScene(context(tmp_path, records))
    route = with_records.update([Clicked(3.0, Command.CONFIRM, x_norm=x, y_norm=y)], STEP_S)
    assert route == ToTherapist(at_s=3.0)


def test_the_difficulty_steps_stay_in_order_and_in_range() -> None:
    plan = check_plan(PLAN, "plan.toml")
    same, why = step_difficulty(plan, 0, "min", 1)
    for _ in range(3):
        same, why = step_difficulty(same, 0, "min", 1)
    assert same.levels[0].min_difficulty == 0.3 and why is None  # up to the start
    refused, why = step_difficulty(same, 0, "min", 1)
    assert refused == same and why is not None and "in order" in why
    top, _ = step_difficulty(plan, 1, "max", 1)  # grasp's highest is already 1
    assert top == plan
    assert check_plan(plan_to_toml(same), "written") == same  # the text written reads back as the same plan


def test_screenshots_of_the_pad_and_the_plan_read_well(tmp_path: Path, records: RecordsStore) -> None:
    shots = Path(os.environ.get("MOTORPLAY_TEST_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    surface = pygame.display.get_surface()
    set_pin(tmp_path / "data", PATIENT, PIN)
    scene = TherapistScene(context(tmp_path, records), at_s=1.0)
    theme = scene.context.theme
    scene.update(typed("1111", 1.0), STEP_S)
    scene.update([DigitTyped(1.0, "2"), DigitTyped(1.0, "4")], STEP_S)
    scene.draw(surface)
    save_screenshot(surface, shots, "therapist_pin")
    assert shows_text(
        surface, "Wrong PIN: 4 tries left before a one-minute lock.", theme.body, NOTICE, background=BACKGROUND
    )
    scene.update([DigitTyped(1.0, "6"), DigitTyped(1.0, "8"), CommandIssued(1.0, Command.CONFIRM)], STEP_S)
    step_button(scene, "Start difficulty", True, 1.0)
    scene.draw(surface)
    save_screenshot(surface, shots, "therapist_plan")
    assert shows_text(surface, "Start difficulty", theme.body, TEXT_SOFT, background=BACKGROUND)
    assert shows_text(surface, "0.35", theme.body, TEXT, background=BACKGROUND)
    assert text_height_px(theme.body) >= MIN_INSTRUCTION_HEIGHT_720P_PX
    click(scene, "Save", 1.0)
    scene.draw(surface)
    save_screenshot(surface, shots, "therapist_saved")
    assert shows_text(
        surface, "Saved as version 2. The game plays it from the next session.", theme.body, GOOD, background=BACKGROUND
    )
