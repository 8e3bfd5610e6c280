"""The trace renderer: the play area it gives the rules (below the status bar and a line of words) and what it
draws: the path band, the guide (glowing while the cursor is on the path), the cursor, calm words and the status."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from game.renderers import renderer_for
from game.renderers.base import LevelView, status_bar_height_px
from game.renderers.trace import PATH_BAND, TraceRenderer
from game.theme import ACCENT, ACCENT_FILL, BACKGROUND, CURSOR, PANEL, TEXT, TEXT_SOFT, Theme
from levels.events import CursorMoved, InputEvent, TrackingLost
from levels.feedback import TrialFeedback
from levels.loader import load_level
from levels.trace import rules
from levels.trace.schema import TraceLevel
from tests.support.game_screens import colour_at, save_screenshot, shows_text
from tracking.types import Effector

SIZE_PX = (1280, 720)
STEP_S = 1.0 / 60.0
HAND = frozenset({Effector.HAND})


@pytest.fixture
def surface() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


def played(name: str, seconds: float, offset_norm: float = 0.0, *events: InputEvent) -> tuple[rules.TraceState, Theme]:
    """The level ``name`` after ``seconds``, the cursor ``offset_norm`` below the guide all along."""
    theme = Theme.for_height(SIZE_PX[1])
    level = load_level(name)
    assert isinstance(level, TraceLevel)
    state = rules.start(level, TraceRenderer().screen_shape(SIZE_PX, theme), HAND)
    pending: list[InputEvent] = list(events)
    for _ in range(round(seconds / STEP_S)):
        x, y = state.guide
        state = rules.step(state, [CursorMoved(0.0, x, y + offset_norm), *pending], STEP_S)
        pending = []
    return state, theme


def drawn(surface: pygame.Surface, state: rules.TraceState, theme: Theme, *feedback: TrialFeedback) -> None:
    surface.fill(BACKGROUND)
    renderer_for("trace").draw(surface, LevelView(state, feedback, theme))


def test_the_path_lies_below_the_status_bar_and_the_line_of_words(surface: pygame.Surface) -> None:
    theme = Theme.for_height(SIZE_PX[1])
    shape = TraceRenderer().screen_shape(SIZE_PX, theme)
    assert shape.aspect == pytest.approx(1280 / 720)
    words_px = theme.body.get_linesize() + theme.small.get_linesize()
    assert shape.top_reserved_norm * SIZE_PX[1] >= status_bar_height_px(theme) + words_px
    for name in ("trace", "trace-circle", "trace-figure8"):
        state, _ = played(name, 0.0)
        top = min(y for _, y in state.params.path.points_norm) - state.params.path_width_norm / 2
        assert top > shape.top_reserved_norm, name


def test_the_path_the_guide_on_it_and_the_cursor_are_drawn(surface: pygame.Surface, tmp_path: Path) -> None:
    state, theme = played("trace-circle", 3.0 + 4.0)
    assert state.phase is rules.Phase.TRACING and state.on_path
    drawn(surface, state, theme)
    save_screenshot(surface, tmp_path, "trace-circle")
    guide_x, guide_y = state.guide
    assert colour_at(surface, (guide_x, guide_y), (-28, 0)) == ACCENT  # glowing: the cursor is on the path
    assert colour_at(surface, (guide_x, guide_y)) == BACKGROUND  # the cursor's dark centre, on the guide
    assert colour_at(surface, (guide_x, guide_y), (0, max(8, SIZE_PX[1] // 40) * 3 // 4)) == CURSOR
    path = state.params.path
    opposite = path.at(path.length_norm * state.lap_fraction + path.length_norm / 2)  # across the ring
    radius_px = round(state.params.path_width_norm * SIZE_PX[1] / 2)
    assert colour_at(surface, opposite, (0, radius_px // 2)) == PATH_BAND  # the band, beside its centre line
    centre = (sum(x for x, _ in path.points_norm[:-1]) / (len(path.points_norm) - 1), path.at(0.0)[1])
    assert colour_at(surface, centre) == BACKGROUND  # inside the ring: nothing
    assert shows_text(surface, "Lap 1 of 3    Score 0", theme.body, TEXT, background=PANEL)  # no stopwatch
    assert shows_text(surface, "Follow the circle at its own pace", theme.body, TEXT_SOFT, background=BACKGROUND)


def test_the_guide_is_dim_while_the_cursor_is_off_the_path(surface: pygame.Surface) -> None:
    state, theme = played("trace", 3.0 + 2.0, 0.2)
    assert state.phase is rules.Phase.TRACING and not state.on_path
    drawn(surface, state, theme)
    assert colour_at(surface, state.guide) == ACCENT_FILL


def test_the_rest_after_a_lap_says_how_it_went_in_words(surface: pygame.Surface) -> None:
    state, theme = played("trace-circle", 3.0)
    drawn(surface, state, theme)
    assert shows_text(
        surface, "Get ready - follow the circle slowly along the path", theme.body, TEXT_SOFT, background=BACKGROUND
    )
    lap_s = state.params.lap_s
    state, theme = played("trace-circle", 3.0 + lap_s + 0.5)
    assert state.progress.results and state.progress.results[0].measures["on_path_fraction"] == pytest.approx(1.0)
    drawn(surface, state, theme, TrialFeedback(-1.6, 2))
    sentence = "Lap done - on the path nearly all the way. Rest a moment"
    assert shows_text(surface, sentence, theme.body, TEXT_SOFT, background=BACKGROUND)
    # the breaks are the level scene's card (plain words, never a bare count): not repeated by the renderer
    for words in ("2 breaks along the way - keep the movement flowing.", "2 breaks"):
        assert not shows_text(surface, words, theme.small, TEXT_SOFT, background=BACKGROUND)
    assert shows_text(surface, "Lap 2 of 3    Score 100", theme.body, TEXT, background=PANEL)
    assert colour_at(surface, state.guide, (-28, 0)) == ACCENT_FILL  # the guide waits at the start


def test_no_cursor_and_no_words_while_the_hand_is_not_seen(surface: pygame.Surface) -> None:
    state, theme = played("trace", 3.0 + 2.0)
    cursor = state.cursor
    assert cursor is not None
    state = rules.step(state, [TrackingLost(0.0, Effector.HAND), CursorMoved(0.0, 0.1, 0.9)], STEP_S)
    drawn(surface, state, theme)
    assert colour_at(surface, (0.1, 0.9), (0, max(8, SIZE_PX[1] // 40) * 3 // 4)) == BACKGROUND
    assert not shows_text(surface, "Follow the circle at its own pace", theme.body, TEXT_SOFT, background=BACKGROUND)
