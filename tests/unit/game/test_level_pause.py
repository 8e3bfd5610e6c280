"""The pause screen asks why the patient paused: its answers chosen by a click or by holding the pointer on them,
pain kept for the scene (``paused_for_pain``) with a gentle reply, every answer kept (``pause_reasons``), and P or
Escape still resuming; keys 1, 2 and 3 answer too. Scenes driven with the mouse's events on the reach level;
screenshots in the test's folder."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pygame
import pytest

from game.mouse_input import MouseInput
from game.scenes.buttons import BUTTON_DWELL_S
from game.scenes.level import PAUSE_HOW_TO_ANSWER, PAUSE_QUESTION, PAUSE_REASONS, LevelScene, pause_buttons_norm
from game.texts import PAUSED_MESSAGE, PAUSED_TITLE
from game.theme import ACCENT_FILL, BACKGROUND, NOTICE, PANEL, TEXT, TEXT_SOFT, wrap
from levels.events import Clicked, Command, CommandIssued, CursorMoved, DigitTyped, InputEvent
from tests.support.game_contexts import reach_context
from tests.support.game_screens import save_screenshot, shows_text

SIZE_PX = (1280, 720)
STEP_S = 1.0 / 60.0
OFF_BUTTONS = (0.02, 0.97)
BREAK, PAIN, TIRED = (reason.code for reason in PAUSE_REASONS)


@pytest.fixture(autouse=True)
def surface() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


@pytest.fixture
def scene(tmp_path: Path) -> LevelScene:
    context = reach_context(tmp_path, SIZE_PX, MouseInput(SIZE_PX))
    return LevelScene(context)


def drive(scene: LevelScene, seconds: float, events: Sequence[InputEvent] = ()) -> None:
    pending = list(events)
    for _ in range(max(1, round(seconds / STEP_S))):
        assert scene.update(pending, STEP_S) is None
        pending = []


def key(command: Command) -> CommandIssued:
    return CommandIssued(0.0, command)


def move(point: tuple[float, float]) -> CursorMoved:
    return CursorMoved(0.0, *point)


def centre_of(code: str) -> tuple[float, float]:
    index = [reason.code for reason in PAUSE_REASONS].index(code)
    button = pause_buttons_norm()[index]
    return button[0], button[1]


def reply_of(code: str) -> str:
    return next(reason.reply for reason in PAUSE_REASONS if reason.code == code)


def click_on(scene: LevelScene, code: str) -> None:
    drive(scene, STEP_S, [move(centre_of(code)), key(Command.CONFIRM)])


def test_pausing_asks_why_and_a_click_on_it_hurts_keeps_pain_with_a_gentle_reply(
    scene: LevelScene, surface: pygame.Surface, tmp_path: Path
) -> None:
    theme = scene.context.theme
    drive(scene, STEP_S, [move(OFF_BUTTONS)])  # paused before the first target shows: nothing under the words
    assert not scene.paused_for_pain and scene.pause_reasons == []
    drive(scene, 0.5, [key(Command.PAUSE)])
    assert scene.state.progress.clock.paused
    scene.draw(surface)
    save_screenshot(surface, tmp_path, "pause_question")
    assert shows_text(surface, PAUSED_TITLE, theme.title, NOTICE, background=BACKGROUND)
    assert shows_text(surface, PAUSE_QUESTION, theme.heading, TEXT, background=BACKGROUND)
    for reason in PAUSE_REASONS:  # the answers in body type (at least 28 px at 720p), on their buttons
        assert shows_text(surface, reason.label, theme.body, TEXT, background=PANEL), reason.label
    assert shows_text(surface, PAUSED_MESSAGE, theme.body, TEXT_SOFT, background=BACKGROUND)

    click_on(scene, PAIN)
    assert scene.paused_for_pain and scene.pause_reasons == [PAIN]
    assert scene.state.progress.clock.paused  # answering does not resume: the patient rests
    drive(scene, STEP_S, [move(OFF_BUTTONS)])
    scene.draw(surface)
    save_screenshot(surface, tmp_path, "pause_pain")
    assert shows_text(surface, "It hurts", theme.body, TEXT, background=ACCENT_FILL)  # the answer chosen, filled
    reply = wrap(reply_of(PAIN), theme.body, int(SIZE_PX[0] * 0.85))
    assert len(reply) >= 2 and all(shows_text(surface, line, theme.body, TEXT, background=BACKGROUND) for line in reply)
    assert "therapist" in reply_of(PAIN) and "rest" in reply_of(PAIN)

    drive(scene, 0.5, [key(Command.BACK)])  # Escape resumes as before
    assert not scene.state.progress.clock.paused
    assert scene.paused_for_pain  # said once, it stays for the scene


def test_p_resumes_and_the_clock_runs_again_whether_or_not_the_question_was_answered(scene: LevelScene) -> None:
    drive(scene, 0.5, [move(OFF_BUTTONS)])
    drive(scene, 0.5, [key(Command.PAUSE)])
    paused_at_s = scene.state.progress.clock.elapsed_s
    drive(scene, 2.0)
    assert scene.state.progress.clock.elapsed_s == pytest.approx(paused_at_s)
    drive(scene, 1.0, [key(Command.PAUSE)])
    assert scene.state.progress.clock.elapsed_s == pytest.approx(paused_at_s + 1.0, abs=0.05)
    assert scene.pause_reasons == [] and not scene.paused_for_pain  # no answer, nothing kept


def test_an_answer_held_with_the_hand_is_chosen_after_the_dwell_time(scene: LevelScene) -> None:
    drive(scene, 0.5, [move(OFF_BUTTONS), key(Command.PAUSE)])
    drive(scene, STEP_S, [move(centre_of(TIRED))])
    drive(scene, BUTTON_DWELL_S - 0.2)
    assert scene.pause_reasons == []  # not yet: passing over an answer chooses nothing
    drive(scene, 0.3)
    assert scene.pause_reasons == [TIRED] and not scene.paused_for_pain


def test_a_pointer_resting_on_an_answer_when_the_pause_starts_must_leave_it_first(scene: LevelScene) -> None:
    drive(scene, 0.5, [move(centre_of(PAIN))])  # playing, the hand happens to be where "It hurts" will appear
    drive(scene, BUTTON_DWELL_S * 2, [key(Command.PAUSE)])
    assert scene.pause_reasons == []
    drive(scene, STEP_S, [move(OFF_BUTTONS)])
    drive(scene, BUTTON_DWELL_S + 0.1, [move(centre_of(PAIN))])
    assert scene.pause_reasons == [PAIN] and scene.paused_for_pain


def test_space_does_not_answer_for_a_hand_resting_on_an_answer_when_the_pause_starts(scene: LevelScene) -> None:
    # Found when played: the hand happened to rest where "It hurts" appeared, and Space (to go on, as on other
    # screens) kept "pain" for the records. Space answers only an answer the pointer came onto during the pause.
    drive(scene, 0.5, [move(centre_of(PAIN))])
    drive(scene, STEP_S, [key(Command.PAUSE)])
    drive(scene, STEP_S, [key(Command.CONFIRM)])
    assert scene.pause_reasons == [] and not scene.paused_for_pain
    drive(scene, STEP_S, [move(OFF_BUTTONS)])
    drive(scene, STEP_S, [move(centre_of(TIRED)), key(Command.CONFIRM)])  # came onto it: Space answers
    assert scene.pause_reasons == [TIRED] and not scene.paused_for_pain


def test_a_mouse_click_answers_even_where_the_pointer_rested(scene: LevelScene) -> None:
    drive(scene, 0.5, [move(centre_of(BREAK))])
    drive(scene, STEP_S, [key(Command.PAUSE)])
    x_norm, y_norm = centre_of(BREAK)
    drive(scene, STEP_S, [Clicked(0.0, Command.CONFIRM, x_norm=x_norm, y_norm=y_norm)])  # a deliberate press
    assert scene.pause_reasons == [BREAK]


def test_each_answered_pause_is_kept_and_a_changed_answer_replaces_its_own(scene: LevelScene) -> None:
    drive(scene, 0.5, [move(OFF_BUTTONS), key(Command.PAUSE)])
    click_on(scene, BREAK)
    click_on(scene, PAIN)  # changed their mind in the same pause
    assert scene.pause_reasons == [PAIN]
    drive(scene, 0.5, [key(Command.PAUSE)])
    drive(scene, 0.5, [key(Command.PAUSE)])
    click_on(scene, BREAK)  # a second pause, another answer; pain said before still counts
    assert scene.pause_reasons == [PAIN, BREAK] and scene.paused_for_pain
    click_on(scene, BREAK)  # the same answer again in the same pause: kept once
    assert scene.pause_reasons == [PAIN, BREAK]


def test_the_answers_are_not_there_while_playing(scene: LevelScene) -> None:
    drive(scene, 0.5, [move(OFF_BUTTONS)])
    click_on(scene, PAIN)  # not paused: where "It hurts" shows when paused is only part of the play area
    drive(scene, BUTTON_DWELL_S * 2)
    assert scene.pause_reasons == [] and not scene.paused_for_pain


def test_keys_1_2_3_answer_in_the_buttons_order(scene: LevelScene, surface: pygame.Surface, tmp_path: Path) -> None:
    theme = scene.context.theme
    drive(scene, STEP_S, [move(OFF_BUTTONS), key(Command.PAUSE)])
    scene.draw(surface)
    assert shows_text(surface, PAUSE_HOW_TO_ANSWER, theme.body, TEXT_SOFT, background=BACKGROUND)
    drive(scene, STEP_S, [DigitTyped(0.0, "3")])
    assert scene.pause_reasons == [TIRED] and not scene.paused_for_pain
    drive(scene, STEP_S, [DigitTyped(0.0, "7"), DigitTyped(0.0, "0")])  # no answer there: nothing changes
    assert scene.pause_reasons == [TIRED]
    drive(scene, STEP_S, [DigitTyped(0.0, "2")])
    assert scene.pause_reasons == [PAIN] and scene.paused_for_pain
    scene.draw(surface)
    save_screenshot(surface, tmp_path, "pause_pain_by_key")
    assert not shows_text(surface, PAUSE_HOW_TO_ANSWER, theme.body, TEXT_SOFT, background=BACKGROUND)
    drive(scene, STEP_S, [key(Command.PAUSE)])
    drive(scene, STEP_S, [DigitTyped(0.0, "1")])  # playing: a digit answers nothing
    assert scene.pause_reasons == [PAIN] and not scene.state.progress.clock.paused


def test_a_click_answers_where_it_was_without_a_pointer_move(scene: LevelScene) -> None:
    drive(scene, STEP_S, [move(OFF_BUTTONS), key(Command.PAUSE)])
    x_norm, y_norm = centre_of(BREAK)
    drive(scene, STEP_S, [Clicked(0.0, Command.CONFIRM, x_norm=x_norm, y_norm=y_norm)])
    assert scene.pause_reasons == [BREAK]
