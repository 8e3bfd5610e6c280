"""The results screen's note (what happened: the difficulty changed, a rest is suggested, the source ended, the day's
time is over) in type a patient reads from 1-2 m, and, once the session is over, a footer that offers nothing Space
would not do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from game.mouse_input import MouseInput
from game.scenes.results import ResultsScene
from game.scenes.routes import EXIT
from game.session_flow import REST_SUGGESTED_NOTE, TIME_UP_NOTE
from game.texts import FEEDBACK_NOTE
from game.theme import BACKGROUND, MIN_INSTRUCTION_HEIGHT_720P_PX, NOTICE, TEXT_SOFT, text_height_px, wrap
from levels.events import Command, CommandIssued
from levels.feedback import TrialFeedback
from tests.support.game_contexts import reach_context
from tests.support.game_screens import save_screenshot, shows_text
from tests.support.played_levels import all_hits

SIZE_PX = (1280, 720)
EASIER = "The game made the next targets a little easier."


@pytest.fixture(autouse=True)
def surface() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


def results_scene(tmp_path: Path, *, note: str | None, session_over: bool = False) -> ResultsScene:
    context = reach_context(tmp_path, SIZE_PX, MouseInput(SIZE_PX))
    state = all_hits(6)
    feedback = [TrialFeedback(mean_sparc=-1.6, break_count=index % 2) for index in range(6)]
    return ResultsScene(context, state, feedback, note=note, session_over=session_over)


def note_lines(scene: ResultsScene, note: str) -> list[str]:
    """The note's lines as the screen wraps them (in body type, to 90% of the width)."""
    return wrap(note, scene.context.theme.body, int(SIZE_PX[0] * 0.9))


def test_the_note_is_drawn_at_least_28_px_high_at_720p(tmp_path: Path, surface: pygame.Surface) -> None:
    note = f"{EASIER} {REST_SUGGESTED_NOTE}"
    scene = results_scene(tmp_path, note=note)
    theme = scene.context.theme
    assert text_height_px(theme.body) >= MIN_INSTRUCTION_HEIGHT_720P_PX > text_height_px(theme.small)
    scene.draw(surface)
    lines = note_lines(scene, note)
    assert len(lines) == 2  # two lines of body type at 720p
    for line in lines:  # every line of the note, orange, in body type
        assert shows_text(surface, line, theme.body, NOTICE, background=BACKGROUND), line
        assert not shows_text(surface, line, theme.small, NOTICE, background=BACKGROUND)
    # The measures' note stays small and soft: it is for the therapist
    assert shows_text(surface, FEEDBACK_NOTE, theme.small, TEXT_SOFT, background=BACKGROUND)
    save_screenshot(surface, tmp_path, "results_note")


def test_a_session_over_offers_only_ending_the_game(tmp_path: Path, surface: pygame.Surface) -> None:
    going_on = results_scene(tmp_path, note=None)
    assert going_on.footer().startswith("Space: play again")
    assert going_on.update([CommandIssued(0.0, Command.CONFIRM)], 0.1) is not None  # Space plays again

    over = results_scene(tmp_path, note=TIME_UP_NOTE, session_over=True)
    assert "Space" not in over.footer() and "end the game" in over.footer()
    assert over.update([CommandIssued(0.0, Command.CONFIRM)], 0.1) is None  # Space does nothing then
    assert over.update([CommandIssued(0.0, Command.QUIT)], 0.1) is EXIT
    assert over.update([CommandIssued(0.0, Command.BACK)], 0.1) is EXIT  # Q or Escape, as the footer says
    over.draw(surface)
    theme = over.context.theme
    assert shows_text(surface, over.footer(), theme.small, TEXT_SOFT, background=BACKGROUND)
    assert not shows_text(surface, going_on.footer(), theme.small, TEXT_SOFT, background=BACKGROUND)
    for line in note_lines(over, TIME_UP_NOTE):
        assert shows_text(surface, line, theme.body, NOTICE, background=BACKGROUND), line
    save_screenshot(surface, tmp_path, "results_session_over")
