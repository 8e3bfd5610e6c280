"""The results screen fits above its buttons for any number of trials: one row per trial while the rows fit, else a
compact table (a row per set, per few sets or per block of trials, and a row "All"), with or without the patient's
trend and a note of two lines. Built from real LevelProgress/TrialResult data, sets joined as the session joins them
(levels.trial.join_sets), trends read back from real records. Screenshots in the test's folder."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pygame
import pytest

from clinic.calibration_store import CalibrationStore
from clinic.records.store import open_store
from clinic.records.trend_types import LevelTrend
from clinic.records.trends import read_level_trend
from clinic.records.types import TrialOutcome, TrialRecord
from game.mouse_input import MouseInput
from game.scenes.base import GameContext
from game.scenes.controls import FINISH_BUTTON_NORM, MENU_BUTTON_NORM, NEXT_BUTTON_NORM, STOPPED_BUTTONS_NORM
from game.scenes.results import BLOCK_SIZES, TOTAL_LABEL, TREND_BOTTOM_FRACTION, ResultsScene, set_bounds
from game.session_flow import REST_SUGGESTED_NOTE
from game.texts import FEEDBACK_NOTE
from game.theme import (
    BACKGROUND,
    MIN_INSTRUCTION_HEIGHT_720P_PX,
    NOTICE,
    PANEL,
    TEXT,
    TEXT_SOFT,
    Theme,
    text_height_px,
    wrap,
)
from levels.feedback import TrialFeedback
from levels.loader import load_level
from levels.trial import JoinedSets, LevelProgress, LevelState, Outcome, TrialClock, TrialResult, join_sets
from tests.support.game_screens import save_screenshot, shows_text
from tracking.types import Effector

SIZE_PX = (1280, 720)
PATIENT = "P-LONG01"
FIRST = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
SESSIONS = ((4, -2.7), (5, -2.5), (5, -2.3), (6, -2.0), (7, -1.7))  # goals of 8 and the mean SPARC, session by session
EASIER = "The game made the next targets a little easier."
TWO_LINE_NOTE = f"{EASIER} {REST_SUGGESTED_NOTE}"
ALL_BUTTONS = (NEXT_BUTTON_NORM, MENU_BUTTON_NORM, FINISH_BUTTON_NORM, *STOPPED_BUTTONS_NORM)
TRIAL_TIME_S = 2.0  # each made-up trial's time on its set's clock


@dataclass(frozen=True)
class Played:
    """A single set as the results screen reads it."""

    progress: LevelProgress


@pytest.fixture(autouse=True)
def surface() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


def one_set(trials: int, *, outcome: Outcome = Outcome.HIT, time_s: float = TRIAL_TIME_S) -> LevelProgress:
    """A finished set of ``trials`` on its own level clock (starting at 0 s, a 0.5 s gap between trials)."""
    results = tuple(
        TrialResult(
            index, outcome, index * (time_s + 0.5), index * (time_s + 0.5) + time_s, 100 * (outcome is Outcome.HIT)
        )
        for index in range(trials)
    )
    return LevelProgress(trials, TrialClock(Effector.HAND), results=results, finished=True)


def state_of(sets: int, per_set: int) -> LevelState:
    """One set as it is, several joined as the session joins them."""
    if sets == 1:
        return Played(one_set(per_set))
    return JoinedSets(join_sets([one_set(per_set) for _ in range(sets)]))


def recorded_trend(data_dir: Path) -> LevelTrend:
    """Write SESSIONS of 8 reach trials for PATIENT through the store's API; read the trend back."""
    with open_store(data_dir=data_dir, environ={}, import_calibrations=False) as store:
        store.add_patient(PATIENT)
        for day, (hits, sparc) in enumerate(SESSIONS):
            started = FIRST + timedelta(days=2 * day)
            session = store.start_session(PATIENT, started_at=started)
            run = store.start_level_run(session.uuid, "reach", "reach", started_at=started)
            for index in range(8):
                outcome = TrialOutcome.SUCCESS if index < hits else TrialOutcome.MISS
                store.add_trial(run.uuid, TrialRecord(index=index, outcome=outcome, time_s=2.0, stars=2, sparc=sparc))
            store.end_session(session.uuid, complete=True, ended_at=started + timedelta(minutes=8))
        return read_level_trend(store, PATIENT, "reach")


def context_for(tmp_path: Path) -> GameContext:
    return GameContext(
        screen_size_px=SIZE_PX,
        theme=Theme.for_height(SIZE_PX[1]),
        level=load_level("reach"),
        patient=PATIENT,
        store=CalibrationStore(tmp_path),
        input_source=MouseInput(SIZE_PX),
    )


def results_scene(
    tmp_path: Path,
    state: LevelState,
    *,
    feedback: tuple[TrialFeedback, ...] | None = None,
    note: str | None = None,
    trend: LevelTrend | None = None,
) -> ResultsScene:
    count = len(state.progress.results)
    if feedback is None:
        feedback = tuple(TrialFeedback(-1.6 - 0.01 * (index % 7), index % 3, stars=index % 4) for index in range(count))
    return ResultsScene(context_for(tmp_path), state, feedback, note=note, trend=trend, next_level="Grasp")


def button_rect(button_norm: tuple[float, float, float, float]) -> pygame.Rect:
    """The button's rectangle as game.scenes.buttons.draw_dwell_button places it."""
    width, height = SIZE_PX
    centre_x, centre_y, w, h = button_norm
    rect = pygame.Rect(0, 0, round(w * width), round(h * height))
    rect.center = (round(centre_x * width), round(centre_y * height))
    return rect


def drawn_in(surface: pygame.Surface, rect: pygame.Rect) -> int:
    """How many pixels in ``rect`` differ from the background."""
    pixels = pygame.surfarray.array3d(surface)[rect.left : rect.right, rect.top : rect.bottom]
    return int(np.any(pixels != np.asarray(BACKGROUND), axis=2).sum())


def buttons_top() -> int:
    return min(button_rect(button).top for button in ALL_BUTTONS)


def test_the_sets_of_a_joined_level_are_found_where_their_clock_starts_again() -> None:
    joined = join_sets([one_set(8), one_set(8), one_set(3)])  # the last set stopped after 3 trials
    assert set_bounds(joined.results) == [(0, 8), (8, 16), (16, 19)]
    assert set_bounds(one_set(40).results) == [(0, 40)]
    # Within a set the clock only runs forward: a trial timed from before the last one ended is no new set.
    overlapping = (TrialResult(0, Outcome.HIT, 0.0, 5.0), TrialResult(1, Outcome.HIT, 4.0, 9.0))
    assert set_bounds(overlapping) == [(0, 2)]
    # Sets of one trial, the second longer than the first: the clock cannot tell them apart; the sizes can.
    ones = join_sets([one_set(1, time_s=2.0), one_set(1, time_s=3.0), one_set(1, time_s=1.0)])
    assert set_bounds(ones.results) == [(0, 2), (2, 3)]
    assert set_bounds(ones.results, (1, 1, 1)) == [(0, 1), (1, 2), (2, 3)]
    assert set_bounds(ones.results, (1, 1)) == [(0, 2), (2, 3)]  # sizes that do not add up are not used


def test_set_sizes_given_by_the_session_group_the_rows(tmp_path: Path, surface: pygame.Surface) -> None:
    sets = [one_set(1, time_s=2.0 + index) for index in range(16)]  # 16 sets of one trial, each longer
    joined = JoinedSets(join_sets(sets))
    guessed = results_scene(tmp_path, joined).plan(surface, 150)[0]
    assert guessed.caption == "Your 16 targets in groups of 5"  # one clock running on: seen as one set
    told = ResultsScene(context_for(tmp_path), joined, [TrialFeedback(-1.6, 0, stars=2)] * 16, set_sizes=[1] * 16).plan(
        surface, 150
    )[0]
    assert told.caption == "Your 16 targets in 16 sets" and told.header[0] == "Sets"


@pytest.mark.parametrize("trials", [8, 16, 40, 100])
@pytest.mark.parametrize("with_trend", [False, True])
@pytest.mark.parametrize("note", [None, TWO_LINE_NOTE])
def test_every_results_screen_fits_above_its_buttons(
    tmp_path: Path, surface: pygame.Surface, trials: int, with_trend: bool, note: str | None
) -> None:
    # 16 trials as a plan plays them (2 sets of 8, joined); 8, 40 and 100 as one set of a level file.
    state = state_of(2, 8) if trials == 16 else state_of(1, trials)
    trend = recorded_trend(tmp_path / "data") if with_trend else None
    scene = results_scene(tmp_path, state, note=note, trend=trend)
    theme = scene.context.theme
    if note is not None:
        assert len(wrap(note, theme.body, int(SIZE_PX[0] * 0.9))) == 2
    scene.draw(surface)  # the scene alone: the overlay draws the buttons over it afterwards
    name = f"results_{trials}{'_trend' if with_trend else ''}{'_note' if note else ''}"
    save_screenshot(surface, tmp_path, name)
    for button in ALL_BUTTONS:
        assert drawn_in(surface, button_rect(button)) == 0, button
    table = scene.table_rect(surface)
    assert table.bottom < buttons_top()
    assert drawn_in(surface, table) > 0 and surface.get_at(table.midleft + pygame.Vector2(2, 0))[:3] == PANEL
    table_model, _ = scene.plan(surface, scene._table_top(surface))
    if trials == 8:  # as before: one row per trial
        assert table_model.rows == tuple(scene.rows()) and table.height == scene._panel_height_px(8)
    else:  # a compact table under a line in body type (at least 28 px at 720p), its last row "All" drawn in full
        assert text_height_px(theme.body) >= MIN_INSTRUCTION_HEIGHT_720P_PX
        assert table_model.caption is not None and table_model.rows[-1][0] == TOTAL_LABEL
        assert shows_text(surface, table_model.caption, theme.body, TEXT, background=BACKGROUND)
        for cell in table_model.rows[-1]:
            assert shows_text(surface, cell, theme.small, TEXT, background=PANEL), cell
    if note is not None:  # the patient's note is drawn in full, in body type, above the buttons
        for line in wrap(note, theme.body, int(SIZE_PX[0] * 0.9)):
            assert shows_text(surface, line, theme.body, NOTICE, background=BACKGROUND), line
    assert shows_text(surface, FEEDBACK_NOTE, theme.small, TEXT_SOFT, background=BACKGROUND)


def test_two_sets_of_eight_show_a_row_a_set_and_the_whole_level(tmp_path: Path, surface: pygame.Surface) -> None:
    # Set 1: 6 of 8 reached in 1.5 s each, SPARC -2.0, a break each, one star each; set 2: all 8 in 2.5 s, SPARC -1.5,
    # no break, three stars each.
    first = one_set(8, time_s=1.5)
    first = LevelProgress(
        8,
        first.clock,
        results=tuple(
            TrialResult(r.index, Outcome.MISSED if r.index in (2, 5) else Outcome.HIT, r.start_s, r.end_s)
            for r in first.results
        ),
        finished=True,
    )
    second = one_set(8, time_s=2.5)
    feedback = tuple(TrialFeedback(-2.0, 1, stars=1) for _ in range(8)) + tuple(
        TrialFeedback(-1.5, 0, stars=3) for _ in range(8)
    )
    scene = results_scene(tmp_path, JoinedSets(join_sets([first, second])), feedback=feedback)
    scene.draw(surface)
    save_screenshot(surface, tmp_path, "results_two_sets")
    table, _ = scene.plan(surface, scene._table_top(surface))
    assert table.caption == "Your 16 targets, set by set"
    assert table.header[0] == "Set"
    assert table.rows == (
        ("1", "6 of 8", "1.5 s", "-2.00", "8"),
        ("2", "8 of 8", "2.5 s", "-1.50", "0"),
        (TOTAL_LABEL, "14 of 16", "2.0 s", "-1.75", "8"),
    )
    assert table.stars == (1, 3, 2)
    theme = scene.context.theme
    for cells in table.rows:
        for cell in cells:
            assert shows_text(surface, cell, theme.small, TEXT, background=PANEL), cell


def test_a_hundred_trials_of_one_set_are_shown_in_blocks(tmp_path: Path, surface: pygame.Surface) -> None:
    for note in (None, TWO_LINE_NOTE):
        scene = results_scene(tmp_path, state_of(1, 100), note=note)
        table_top = scene._table_top(surface)
        table, notes = scene.plan(surface, table_top)
        blocks = table.rows[:-1]
        size = int(blocks[0][0].split("-")[1])
        assert size in BLOCK_SIZES and len(blocks) == 100 // size
        assert [row[0] for row in blocks] == [f"{first}-{first + size - 1}" for first in range(1, 101, size)]
        assert table.rows[-1][:2] == (TOTAL_LABEL, "100 of 100")
        assert table.caption == f"Your 100 targets in groups of {size}"
        # As many rows as fit: the next smaller blocks would reach into the buttons' area.
        finer = scene.compact_table(100 // BLOCK_SIZES[BLOCK_SIZES.index(size) - 1] + 1)
        assert len(finer.rows) > len(table.rows)
        bottom_y = round(SIZE_PX[1] * TREND_BOTTOM_FRACTION)
        assert (
            table_top + scene._table_block_px(finer, SIZE_PX[0]) + scene._notes_height_px(SIZE_PX[0], notes) > bottom_y
        )


def test_a_note_on_missing_measures_names_runs_of_trials_or_counts_them(tmp_path: Path) -> None:
    missing = TrialFeedback(None, None, note="no movement found")
    measured = TrialFeedback(-1.6, 0, stars=2)
    some = {0, 2, 4, 5, 6, 7, 8}  # targets 1, 3 and 5-9
    feedback = tuple(missing if index in some else measured for index in range(40))
    assert results_scene(tmp_path, state_of(1, 40), feedback=feedback).notes() == [
        "Targets 1, 3, 5-9: no movement found"
    ]
    scattered = tuple(missing if index % 3 == 0 else measured for index in range(40))  # 14 targets apart
    assert results_scene(tmp_path, state_of(1, 40), feedback=scattered).notes() == ["14 targets: no movement found"]


def test_twenty_sets_of_a_hundred_with_many_missing_measures_still_fit(tmp_path: Path, surface: pygame.Surface) -> None:
    state = state_of(20, 100)  # the most a plan asks: 100 repetitions x 20 sets
    reasons = [f"no movement found (reason {index})" for index in range(12)]
    feedback = tuple(TrialFeedback(None, None, note=reasons[index % 12]) for index in range(2000))
    scene = results_scene(tmp_path, state, feedback=feedback, note=TWO_LINE_NOTE, trend=recorded_trend(tmp_path / "d"))
    scene.draw(surface)
    save_screenshot(surface, tmp_path, "results_2000")
    for button in ALL_BUTTONS:
        assert drawn_in(surface, button_rect(button)) == 0, button
    assert scene.table_rect(surface).bottom < buttons_top()
    table, notes = scene.plan(surface, scene._table_top(surface))
    assert table.header[0] == "Sets" and table.rows[-1][:2] == (TOTAL_LABEL, "2000 of 2000")
    labels = [row[0] for row in table.rows[:-1]]
    assert labels[0].startswith("1-") and labels[-1].endswith("-20")
    theme = scene.context.theme
    for line in wrap(TWO_LINE_NOTE, theme.body, int(SIZE_PX[0] * 0.9)):  # the patient's note is never left out
        assert shows_text(surface, line, theme.body, NOTICE, background=BACKGROUND), line
    # The therapist's reasons for the missing measures take no row from the table: only those that fit below it.
    without_reasons = results_scene(tmp_path, state, note=TWO_LINE_NOTE, trend=recorded_trend(tmp_path / "e"))
    measured_table, _ = without_reasons.plan(surface, without_reasons._table_top(surface))
    assert [row[0] for row in measured_table.rows] == [row[0] for row in table.rows]
    assert all(row[3:] == ("-", "-") for row in table.rows)  # nothing was measured
    assert FEEDBACK_NOTE in [line for line, _, _ in notes] and len(notes) < 1 + 12 + 1
