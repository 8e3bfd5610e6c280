"""The trend chart of the results screen: drawn into its rectangle only, bars as high as the goals reached, the
smoothness line higher for a steadier session, plain words in body type, the words alone where the bars do not fit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from uuid import uuid4

import numpy as np
import pygame
import pytest

from clinic.records.trend_types import LevelTrend, SessionPoint
from game.theme import (
    ACCENT,
    ACCENT_FILL,
    BACKGROUND,
    CURSOR,
    MIN_INSTRUCTION_HEIGHT_720P_PX,
    TEXT,
    Theme,
    text_height_px,
)
from game.trend_chart import FIRST_SESSION_WORDS, draw_trend_chart, trend_words
from tests.support.game_screens import shows_text

SIZE_PX = (1280, 720)
CHART_RECT = pygame.Rect(100, 300, 1000, 280)
START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def surface() -> Iterator[pygame.Surface]:
    pygame.init()
    screen = pygame.display.set_mode(SIZE_PX)
    screen.fill(BACKGROUND)
    yield screen
    pygame.quit()


def trend_of(*sessions: tuple[int, int, float | None]) -> LevelTrend:
    """A trend of sessions given as (trials, successes, mean SPARC), a day apart."""
    points = tuple(
        SessionPoint(uuid4(), START + timedelta(days=day), trials, hits, 2.0, sparc)
        for day, (trials, hits, sparc) in enumerate(sessions)
    )
    return LevelTrend("P-ANNA01", "reach", points)


def pixels_of(surface: pygame.Surface, colour: tuple[int, int, int]) -> np.ndarray:
    """A boolean (x, y) mask of the pixels exactly ``colour``."""
    return np.all(pygame.surfarray.array3d(surface) == np.asarray(colour), axis=2)


def test_the_chart_draws_inside_its_rectangle_only(surface: pygame.Surface) -> None:
    theme = Theme.for_height(SIZE_PX[1])
    before = pygame.surfarray.array3d(surface).copy()
    trend = trend_of((8, 4, -2.6), (8, 6, -2.2), (8, 7, -1.8), (8, 8, -1.5))
    assert draw_trend_chart(surface, CHART_RECT, trend, theme)
    after = pygame.surfarray.array3d(surface)
    changed = np.any(after != before, axis=2)
    inside = np.zeros_like(changed)
    inside[CHART_RECT.left : CHART_RECT.right, CHART_RECT.top : CHART_RECT.bottom] = True
    assert changed[inside].any() and not changed[~inside].any()
    for colour in (ACCENT_FILL, CURSOR):  # the bars and the smoothness line, both in the rectangle
        assert pixels_of(surface, colour)[inside].sum() > 200, colour
    assert surface.get_clip() == surface.get_rect()  # the clip is given back


def test_bars_follow_the_goals_reached_and_the_line_rises_when_steadier(surface: pygame.Surface) -> None:
    theme = Theme.for_height(SIZE_PX[1])
    rates = [(10, 3), (10, 9), (10, 6)]
    sparcs = [-2.5, -1.6, -2.0]
    trend = trend_of(*((trials, hits, sparc) for (trials, hits), sparc in zip(rates, sparcs, strict=True)))
    draw_trend_chart(surface, CHART_RECT, trend, theme)
    bars = pixels_of(surface, ACCENT_FILL) | pixels_of(surface, ACCENT)  # the latest bar has a bright edge
    line = pixels_of(surface, CURSOR)
    column_px = CHART_RECT.width / 3
    heights, line_tops = [], []
    for index in range(3):
        x = round(CHART_RECT.left + column_px * (index + 0.5))  # the column's centre: bar and dot
        side_x = round(x - column_px * 0.25)  # within the bar, away from its dot
        rows = np.flatnonzero(bars[side_x, :])
        heights.append(int(rows.max() - rows.min() + 1))
        dots = np.flatnonzero(line[x - 2 : x + 3, :].any(axis=0))
        line_tops.append(int(dots.min()))
    assert heights[0] < heights[2] < heights[1]  # 30%, 90%, 60% of goals reached
    assert heights[1] / heights[0] == pytest.approx(3.0, rel=0.15)
    assert line_tops[1] < line_tops[2] < line_tops[0]  # the steadiest session's dot is the highest


def test_the_words_are_plain_and_large_enough(surface: pygame.Surface) -> None:
    theme = Theme.for_height(SIZE_PX[1])
    assert text_height_px(theme.body) >= MIN_INSTRUCTION_HEIGHT_720P_PX
    steadier = trend_of((8, 4, -2.6), (8, 5, -2.4), (8, 6, -1.9))
    assert trend_words(steadier) == "Your last 3 sessions: steadier than before - well done"
    less = trend_of((8, 4, -1.8), (8, 5, -2.4))
    assert trend_words(less) == "Your last 2 sessions: a little less steady today - rest helps"
    same = trend_of((8, 4, -2.0), (8, 5, -2.1))
    assert trend_words(same) == "Your last 2 sessions: as steady as before - keep it up"
    unmeasured = trend_of((8, 2, None), (8, 7, None))  # the mouse: no smoothness, the goals speak
    assert trend_words(unmeasured) == "Your last 2 sessions: more goals reached than before"
    assert trend_words(trend_of((8, 4, -2.0))) == FIRST_SESSION_WORDS
    for trend in (steadier, less, same, unmeasured):
        assert "sparc" not in trend_words(trend).lower() and "-2" not in trend_words(trend)
    draw_trend_chart(surface, CHART_RECT, steadier, theme)
    assert shows_text(surface, trend_words(steadier), theme.body, TEXT, background=BACKGROUND)


def test_a_rectangle_too_small_for_bars_shows_the_words_alone(surface: pygame.Surface) -> None:
    theme = Theme.for_height(SIZE_PX[1])
    small = pygame.Rect(100, 300, 1000, round(theme.body.get_linesize() * 2))
    trend = trend_of((8, 4, -2.6), (8, 8, -1.5))
    assert not draw_trend_chart(surface, small, trend, theme)
    assert not pixels_of(surface, ACCENT_FILL).any() and not pixels_of(surface, CURSOR).any()
    assert shows_text(surface, trend_words(trend), theme.body, TEXT, background=BACKGROUND)


def test_one_session_shows_one_encouraging_line_and_no_bars(surface: pygame.Surface) -> None:
    theme = Theme.for_height(SIZE_PX[1])
    assert not draw_trend_chart(surface, CHART_RECT, trend_of((8, 4, -2.0)), theme)
    assert not pixels_of(surface, ACCENT_FILL).any()
    assert shows_text(surface, FIRST_SESSION_WORDS, theme.body, TEXT, background=BACKGROUND)
