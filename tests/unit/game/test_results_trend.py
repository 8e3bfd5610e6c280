"""The results screen with the patient's own trend read from real records (SQLite, written through the store's API):
the chart below the table and above the buttons, one encouraging line after a first session, nothing without
records. Screenshots in the test's folder."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pygame
import pytest

from clinic.records.store import open_store
from clinic.records.trend_types import LevelTrend
from clinic.records.trends import read_level_trend
from clinic.records.types import TrialOutcome, TrialRecord
from game.mouse_input import MouseInput
from game.scenes.results import TREND_BESIDE_LEFT, TREND_BOTTOM_FRACTION, ResultsScene
from game.theme import ACCENT_FILL, BACKGROUND, CURSOR, PANEL, TEXT
from game.trend_chart import FIRST_SESSION_WORDS, trend_words
from levels.feedback import TrialFeedback
from tests.support.game_contexts import reach_context
from tests.support.game_screens import save_screenshot, shows_text, text_positions
from tests.support.played_levels import all_hits

SIZE_PX = (1280, 720)
PATIENT = "P-ANNA01"
FIRST = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
# Five sessions of the reach level: goals reached out of 8, and the mean SPARC (steadier over the weeks).
SESSIONS = ((4, -2.7), (5, -2.5), (5, -2.3), (6, -2.0), (7, -1.7))


@pytest.fixture(autouse=True)
def surface() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


def recorded_trend(data_dir: Path, sessions: tuple[tuple[int, float], ...]) -> LevelTrend:
    """Write ``sessions`` of 8 reach trials each for PATIENT through the store's API; read the trend back."""
    with open_store(data_dir=data_dir, environ={}, import_calibrations=False) as store:
        store.add_patient(PATIENT)
        for day, (hits, sparc) in enumerate(sessions):
            started = FIRST + timedelta(days=2 * day)
            session = store.start_session(PATIENT, started_at=started)
            run = store.start_level_run(session.uuid, "reach", "reach", started_at=started)
            for index in range(8):
                outcome = TrialOutcome.SUCCESS if index < hits else TrialOutcome.MISS
                store.add_trial(
                    run.uuid,
                    TrialRecord(index=index, outcome=outcome, time_s=2.0, stars=2, sparc=sparc + 0.02 * index),
                )
            store.end_session(session.uuid, complete=True, ended_at=started + timedelta(minutes=8))
        return read_level_trend(store, PATIENT, "reach")


def results_scene(tmp_path: Path, trend: LevelTrend | None, *, trials: int = 3) -> ResultsScene:
    context = reach_context(tmp_path, SIZE_PX, MouseInput(SIZE_PX), patient=PATIENT)
    played = all_hits(trials)
    feedback = tuple(TrialFeedback(-1.7, 0, stars=2) for _ in played.progress.results)
    return ResultsScene(context, played, feedback, trend=trend)


def chart_pixels(surface: pygame.Surface, top_y: int, bottom_y: int) -> tuple[int, int]:
    """How many pixels of the bars' colour and of the smoothness line's colour lie between the two heights."""
    pixels = pygame.surfarray.array3d(surface)[:, top_y:bottom_y]
    return (
        int(np.all(pixels == np.asarray(ACCENT_FILL), axis=2).sum()),
        int(np.all(pixels == np.asarray(CURSOR), axis=2).sum()),
    )


def table_bottom(surface: pygame.Surface) -> int:
    """The lowest row of the table's panel (its left edge, just inside)."""
    edge = pygame.surfarray.array3d(surface)[round(surface.get_width() * 0.06)]
    return int(np.flatnonzero(np.all(edge == np.asarray(PANEL), axis=1))[-1])


def test_the_results_show_the_patients_trend_below_the_table(tmp_path: Path, surface: pygame.Surface) -> None:
    trend = recorded_trend(tmp_path / "data", SESSIONS)
    assert len(trend.points) == len(SESSIONS)
    scene = results_scene(tmp_path, trend)
    without = results_scene(tmp_path, None)
    without.draw(surface)
    below_table = table_bottom(surface) + 1
    scene.draw(surface)
    save_screenshot(surface, tmp_path, "results_with_trend")
    theme = scene.context.theme
    bottom_y = round(SIZE_PX[1] * TREND_BOTTOM_FRACTION)
    bars, line = chart_pixels(surface, below_table, bottom_y)
    assert bars > 500 and line > 100
    assert chart_pixels(surface, bottom_y, SIZE_PX[1]) == (0, 0)  # nothing where the buttons go
    words = trend_words(trend)
    assert words == "Your last 5 sessions: steadier than before - well done"
    assert shows_text(surface, words, theme.body, TEXT, background=BACKGROUND)


def test_without_records_the_results_are_as_before(tmp_path: Path, surface: pygame.Surface) -> None:
    scene = results_scene(tmp_path, None)
    scene.draw(surface)
    below_table = table_bottom(surface) + 1
    assert chart_pixels(surface, below_table, SIZE_PX[1]) == (0, 0)
    empty = results_scene(tmp_path, LevelTrend(PATIENT, "reach", ()))  # recorded, never played this level
    empty.draw(surface)
    assert chart_pixels(surface, below_table, SIZE_PX[1]) == (0, 0)
    assert not shows_text(surface, FIRST_SESSION_WORDS, scene.context.theme.body, TEXT, background=BACKGROUND)


def test_after_a_first_session_one_encouraging_line(tmp_path: Path, surface: pygame.Surface) -> None:
    trend = recorded_trend(tmp_path / "data", SESSIONS[:1])
    scene = results_scene(tmp_path, trend)
    scene.draw(surface)
    save_screenshot(surface, tmp_path, "results_first_session")
    below_table = table_bottom(surface) + 1
    assert chart_pixels(surface, below_table, SIZE_PX[1]) == (0, 0)
    assert shows_text(surface, FIRST_SESSION_WORDS, scene.context.theme.body, TEXT, background=BACKGROUND)


def test_a_long_table_has_the_bars_beside_it_and_the_words_below(tmp_path: Path, surface: pygame.Surface) -> None:
    trend = recorded_trend(tmp_path / "data", SESSIONS)
    scene = results_scene(tmp_path, trend, trials=8)  # a reach level's eight targets: no room below the table
    without = results_scene(tmp_path, None, trials=8)
    without.draw(surface)
    below_table = table_bottom(surface) + 1
    scene.draw(surface)
    save_screenshot(surface, tmp_path, "results_long_with_trend")
    theme = scene.context.theme
    width, height = SIZE_PX
    beside = pygame.surfarray.array3d(surface)[round(width * TREND_BESIDE_LEFT) :, :below_table]
    assert np.all(beside == np.asarray(ACCENT_FILL), axis=2).sum() > 500  # the bars, right of the narrowed table
    assert np.all(beside == np.asarray(CURSOR), axis=2).sum() > 50  # and the smoothness line
    bottom_y = round(height * TREND_BOTTOM_FRACTION)
    assert chart_pixels(surface, below_table, SIZE_PX[1]) == (0, 0)  # no bars below the table: the words alone
    assert shows_text(surface, trend_words(trend), theme.body, TEXT, background=BACKGROUND)
    assert text_positions(surface, trend_words(trend), theme.body, TEXT, background=BACKGROUND)[0][1] < bottom_y
    # the table keeps every row: the stars of all eight trials still drawn (two each, in the cursor's colour)
    stars_column = pygame.surfarray.array3d(surface)[: round(width * TREND_BESIDE_LEFT), :below_table]
    star_rows = np.flatnonzero(np.all(stars_column == np.asarray(CURSOR), axis=2).any(axis=0))
    assert len(np.split(star_rows, np.flatnonzero(np.diff(star_rows) > 1) + 1)) == 8
