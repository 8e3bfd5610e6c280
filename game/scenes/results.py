"""The results of one play of a level, whatever its family: score, hits, misses, time per trial, and per-trial
movement feedback (from the shared :class:`levels.trial.LevelProgress`; the family's renderer names the trials):
stars for the patient, and the raw measures (SPARC, number of breaks) under a heading "For your therapist".

After a recorded session, the patient's own trend on the level (``trend``, :mod:`clinic.records.trends`) is drawn
below the table in the space above the buttons (:mod:`game.trend_chart`): a small chart of their recent sessions,
or, after their first session of the level, one encouraging line. A table too long to leave room for the chart
below it (eight targets and more) is narrowed, and the chart's bars go beside it, its words below.

A table of one row per trial is shown while it fits above the buttons with the notes under it. A longer level (a plan
of several sets joined into one table, a level of up to 100 trials, a plan of up to 100 repetitions x 20 sets) gets a
compact table instead, under one line in body type saying how it is grouped ("Your 16 targets, set by set"): a row
per set (or per few sets, or per block of 5, 10, 20... trials of a single set) with the hits ("7 of 8"), the mean
time and the stars (the rounded mean of the stars earned), then for the therapist the mean SPARC and the total
breaks, and a last row "All" for the whole level. Its rows are as many as fit (at least the row "All"); the sets are
found where the level clock starts again (each set keeps its own clock, levels.trial.join_sets). Nothing is drawn
below :data:`TREND_BOTTOM_FRACTION` of the height but the footer: the buttons lie there.

"Play again" plays a video or recording again from its start (it is opened again); a camera that stopped is tried
again, or the mouse chosen. What happened to the source is said, also when it ends while the results show.

The note under the table (what happened: the difficulty changed, a rest is suggested, the source ended, the day's
time is over) is in body type, at least 28 px at 720p: the patient reads it from 1-2 m; the notes on the measures
stay small (for the therapist). Once the session is over (``session_over``: the plan's time for today has passed),
Space does nothing and the footer offers only Q or Escape.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import pygame

from clinic.records.trend_types import LevelTrend
from game.renderers import renderer_for
from game.renderers.base import draw_stars
from game.scenes import source_choices
from game.scenes.base import BaseScene, GameContext
from game.scenes.routes import EXIT, AppExit, Next, Route, ToLevel, ToNextLevel
from game.texts import FEEDBACK_NOTE, STARS_HEADING, THERAPIST_HEADING
from game.theme import (
    BACKGROUND,
    GOOD,
    LINE_SPACING,
    NOTICE,
    PANEL,
    TEXT,
    TEXT_SOFT,
    Colour,
    draw_footer,
    draw_text,
    wrap,
)
from game.trend_chart import chart_layout, draw_trend_chart, draw_trend_words
from levels.events import Command, InputEvent, commands_in
from levels.feedback import TrialFeedback
from levels.trial import LevelState, Outcome, TrialResult

# The trend chart ends above the buttons the results carry at the bottom (game.scenes.controls: their tops at 82% of
# the window's height), with a small gap.
TREND_BOTTOM_FRACTION = 0.805
# The table spans the window between these (fractions of its width); beside a trend chart (a table too long to leave
# room for the chart below it), it ends at TABLE_RIGHT_BESIDE_TREND and the chart's bars take the rest from
# TREND_BESIDE_LEFT.
TABLE_LEFT = 0.05
TABLE_RIGHT = 0.95
TABLE_RIGHT_BESIDE_TREND = 0.64
TREND_BESIDE_LEFT = 0.665
TABLE_LINE_SPACING = 1.25  # the table's rows, in lines of small text
# The trials of a single long set are grouped in blocks of one of these sizes (the smallest whose rows fit): round
# numbers a therapist counts in, and "1-10, 11-20" reads at a glance.
BLOCK_SIZES = (5, 10, 20, 25, 50, 100)
TOTAL_LABEL = "All"  # the compact table's last row: the whole level
# A note on a missing measure lists the trials it applies to ("Targets 1, 3, 5-9") up to this many runs of numbers;
# beyond, it counts them ("23 targets"): a list of a long level's trials would fill the screen.
MAX_LISTED_RANGES = 6

NoteLine = tuple[str, Colour, pygame.font.Font]  # a note under the table: its text, colour and font

_OUTCOME_WORDS = {
    Outcome.HIT: "hit",
    Outcome.MISSED: "missed",
    Outcome.UNFINISHED: "not finished",
    Outcome.SKIPPED: "skipped",
}


def _feedback_cells(feedback: TrialFeedback | None) -> tuple[str, str]:
    if feedback is None or (feedback.mean_sparc is None and feedback.break_count is None):
        return ("-", "-")
    sparc = "-" if feedback.mean_sparc is None else f"{feedback.mean_sparc:.2f}"
    breaks = "-" if feedback.break_count is None else str(feedback.break_count)
    return sparc, breaks


@dataclass(frozen=True)
class TrialGroup:
    """Consecutive trials shown as one row of the compact table: results ``start`` to ``stop`` (exclusive)."""

    start: int
    stop: int
    label: str  # the first cell: "2" (a set, or a trial), "1-3" (sets), "11-20" (trials), "All"


@dataclass(frozen=True)
class ResultsTable:
    """What the table shows: its column heads, its rows of text cells, each row's stars (``None``: not measured),
    and the line of words above it in body type (``None`` for the table of one row per trial)."""

    header: tuple[str, str, str, str, str]
    rows: tuple[tuple[str, str, str, str, str], ...]
    stars: tuple[int | None, ...]
    caption: str | None = None
    total_row: bool = False  # the last row is the whole level's (a line above it)


def set_bounds(results: Sequence[TrialResult], set_sizes: Sequence[int] = ()) -> list[tuple[int, int]]:
    """Return the sets in ``results`` as (start, stop) indexes.

    ``set_sizes``: the number of results of each set, when the caller knows them (they must add up to the results;
    else they are not used). Without them, a set starts where the level clock started again: a trial ending earlier
    on the clock than the one before it (each set keeps its own clock, levels.trial.join_sets; within a set the
    clock only runs forward). Two sets are seen as one only when a set's first trial ended later on its clock than
    the whole set before it (sets of one trial): the table then shows them together, nothing is lost.
    """
    if set_sizes and sum(set_sizes) == len(results) and all(size > 0 for size in set_sizes):
        stops = list(itertools.accumulate(set_sizes))
        return list(zip([0, *stops[:-1]], stops, strict=True))
    starts = [0] + [index for index in range(1, len(results)) if results[index].end_s < results[index - 1].end_s]
    return [(start, stop) for start, stop in zip(starts, [*starts[1:], len(results)], strict=True)]


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _range_label(first: int, last: int) -> str:
    """Return "3" or "1-4" (1-based numbers)."""
    return str(first) if first == last else f"{first}-{last}"


def trial_groups(
    results: Sequence[TrialResult], max_rows: int, set_sizes: Sequence[int] = ()
) -> tuple[list[TrialGroup], str]:
    """Return the compact table's groups of trials (its last row "All", the whole level) in at most ``max_rows``
    rows (at least the row "All"), and how they are grouped: "set" (a row a set), "sets" (a row per few sets),
    "block" (a row per :data:`BLOCK_SIZES` trials of one set) or "all" (the row "All" alone)."""
    count = len(results)
    total = TrialGroup(0, count, TOTAL_LABEL)
    sets = set_bounds(results, set_sizes)
    room = max_rows - 1  # the rows left beside "All"
    if len(sets) > 1 and room >= 1:
        per = math.ceil(len(sets) / room)
        if per == 1:
            return [TrialGroup(start, stop, str(n + 1)) for n, (start, stop) in enumerate(sets)] + [total], "set"
        if per < len(sets):
            chunks = [sets[first : first + per] for first in range(0, len(sets), per)]
            first_set = [sum(len(c) for c in chunks[:n]) + 1 for n in range(len(chunks))]
            groups = [
                TrialGroup(chunk[0][0], chunk[-1][1], _range_label(first, first + len(chunk) - 1))
                for chunk, first in zip(chunks, first_set, strict=True)
            ]
            return [*groups, total], "sets"
    if len(sets) == 1 and room >= 2:
        size = next((size for size in BLOCK_SIZES if size < count and math.ceil(count / size) <= room), None)
        if size is not None:
            groups = [
                TrialGroup(start, min(start + size, count), _range_label(start + 1, min(start + size, count)))
                for start in range(0, count, size)
            ]
            return [*groups, total], f"block {size}"
    return [total], "all"


def group_stars(stars: Sequence[int | None]) -> int | None:
    """Return the stars of a group of trials: the mean of those measured, rounded half up; ``None`` if none was."""
    mean = _mean([float(star) for star in stars if star is not None])
    return None if mean is None else math.floor(mean + 0.5)


class ResultsScene(BaseScene):
    name = "results"

    def __init__(
        self,
        context: GameContext,
        state: LevelState,
        feedback: Sequence[TrialFeedback],
        *,
        note: str | None = None,
        next_level: str | None = None,
        trend: LevelTrend | None = None,
        session_over: bool = False,
        set_sizes: Sequence[int] = (),
    ) -> None:
        self.context = context
        # The results of each set of a level run (a plan's sets joined into one table), when the caller knows them;
        # else the sets are found on the level clock (see :func:`set_bounds`).
        self.set_sizes = tuple(set_sizes)
        # The session's time is over (the plan's limit): nothing more is played, Space does nothing, Q or Escape ends.
        self.session_over = session_over
        self.trend = trend  # the patient's recent sessions of this level, when the session is recorded
        self.state = state
        self.feedback = tuple(feedback)
        self.note = note
        self.next_level = next_level  # the title of the session's next level, if there is one
        self.trial_noun = renderer_for(context.level.kind).trial_noun
        # The last plan of the table and notes (see :meth:`plan`), with what it was worked out for.
        self._planned: tuple[tuple[object, ...], tuple[ResultsTable, list[NoteLine]]] | None = None

    def update(self, events: list[InputEvent], dt_s: float) -> Route | AppExit | None:
        commands = commands_in(events)
        if Command.QUIT in commands or Command.BACK in commands:  # Q or Escape, as the footer says; not P
            return EXIT
        if self.session_over:
            return None
        camera_stopped = source_choices.ended(self.context) is not None and not self._from_file()
        if Command.USE_MOUSE in commands and camera_stopped:
            return source_choices.use_mouse(self.context)
        if Command.CONFIRM in commands:
            return self.play_again() if self.next_level is None else self.go_to_next_level()
        return None

    def go_to_next_level(self) -> Next:
        """The session's next level (a source that has ended is opened again first)."""
        return source_choices.fresh_source(self.context, ToNextLevel())

    def _from_file(self) -> bool:
        return source_choices.playing_from_file(self.context)

    def play_again(self) -> Next:
        """The level again: a file from its start, a camera that stopped opened again, else at once."""
        if self._from_file() and source_choices.can_reopen(self.context):
            return source_choices.reopen(ToLevel())
        return source_choices.fresh_source(self.context, ToLevel())

    def footer(self) -> str:
        """The footer: what Space does now (nothing once the session is over)."""
        if self.session_over:
            return "Q or Escape: end the game."
        if self.next_level is not None:
            return f"Space: next level ({self.next_level}).   Q or Escape: finish."
        if source_choices.ended(self.context) is not None and source_choices.can_reopen(self.context):
            mouse = "" if self._from_file() else "   M: play with the mouse."
            return f"Space: {source_choices.again_words(self.context)}.{mouse}   Q or Escape: finish."
        if self._from_file():
            noun = source_choices.source_noun(self.context)
            return f"Space: play again from the start of the {noun}.   Q or Escape: finish."
        return "Space: play again.   Q or Escape: finish."

    def source_note(self) -> str | None:
        """What happened to the source, when the level's own note does not say it already."""
        end = source_choices.ended(self.context)
        if end is None or (self.note is not None and end.message in self.note):
            return None
        return end.message

    def rows(self) -> list[tuple[str, str, str, str, str]]:
        """One row per trial: number, outcome, time, SPARC, breaks (as shown)."""
        rows = []
        for index, result in enumerate(self.state.progress.results):
            feedback = self.feedback[index] if index < len(self.feedback) else None
            sparc, breaks = _feedback_cells(feedback)
            rows.append(
                (str(result.index + 1), _OUTCOME_WORDS[result.outcome], f"{result.duration_s:.1f} s", sparc, breaks)
            )
        return rows

    def stars(self) -> list[int | None]:
        """Return each trial's stars (0-3), ``None`` where the movement was not measured; none (0) for a trial that
        was not finished, whatever its movement (stars reward a trial done)."""
        return [
            0
            if result.outcome is Outcome.UNFINISHED
            else (self.feedback[index].stars if index < len(self.feedback) else None)
            for index, result in enumerate(self.state.progress.results)
        ]

    def notes(self) -> list[str]:
        """Why a measure is missing, once per distinct reason, naming the targets it applies to."""
        targets_by_reason: dict[str, list[str]] = {}
        for index, feedback in enumerate(self.feedback):
            if feedback.note and feedback.mean_sparc is None:
                targets_by_reason.setdefault(feedback.note, []).append(str(index + 1))
        trial_count = len(self.feedback)
        return [
            f"{_trials_label(self.trial_noun, targets, trial_count)}: {reason}"
            for reason, targets in targets_by_reason.items()
        ]

    def per_trial_table(self) -> ResultsTable:
        """The table of one row per trial (as :meth:`rows` and :meth:`stars`)."""
        header = (self.trial_noun.capitalize(), "Result", "Time", "SPARC", "Breaks")
        return ResultsTable(header, tuple(self.rows()), tuple(self.stars()))

    def compact_table(self, max_rows: int) -> ResultsTable:
        """The table of at most ``max_rows`` rows of groups of trials (:func:`trial_groups`), the last "All"."""
        results = self.state.progress.results
        groups, grouping = trial_groups(results, max_rows, self.set_sizes)
        stars = self.stars()
        kind, _, size = grouping.partition(" ")
        plural = f"{self.trial_noun}{'' if len(results) == 1 else 's'}"
        sets = len(set_bounds(results, self.set_sizes))
        first_head, caption = {
            "set": ("Set", f"Your {len(results)} {plural}, set by set"),
            "sets": ("Sets", f"Your {len(results)} {plural} in {sets} sets"),
            "block": (f"{self.trial_noun.capitalize()}s", f"Your {len(results)} {plural} in groups of {size}"),
            "all": ("", f"Your {len(results)} {plural} in all"),
        }[kind]
        return ResultsTable(
            (first_head, "Hits", "Mean time", "SPARC", "Breaks"),
            tuple(self._group_row(group) for group in groups),
            tuple(group_stars(stars[group.start : group.stop]) for group in groups),
            caption=caption,
            total_row=True,
        )

    def _group_row(self, group: TrialGroup) -> tuple[str, str, str, str, str]:
        """A compact row: its label, hits of trials, mean time, mean SPARC and total breaks of the measured."""
        results = self.state.progress.results[group.start : group.stop]
        feedback = self.feedback[group.start : group.stop]
        hits = sum(1 for result in results if result.outcome is Outcome.HIT)
        mean_time_s = _mean([result.duration_s for result in results])
        sparc = _mean([item.mean_sparc for item in feedback if item.mean_sparc is not None])
        breaks = [item.break_count for item in feedback if item.break_count is not None]
        return (
            group.label,
            f"{hits} of {len(results)}",
            "-" if mean_time_s is None else f"{mean_time_s:.1f} s",
            "-" if sparc is None else f"{sparc:.2f}",
            str(sum(breaks)) if breaks else "-",
        )

    def plan(self, surface: pygame.Surface, table_top: int) -> tuple[ResultsTable, list[NoteLine]]:
        """Return the table and the notes that fit between ``table_top`` and :data:`TREND_BOTTOM_FRACTION`.

        One row per trial if it fits with every note. Else the compact table with as many rows as fit with the
        patient's note and the note on what the measures are (and a line of the trend's words below, when there is
        a trend and room for it); the therapist's notes on missing measures only where they take no row from it.
        Where even the row "All" does not fit, the note on the measures is left out too (the patient's note stays).
        """
        notes = self._note_lines()
        key = (surface.get_size(), table_top, tuple(note[0] for note in notes))
        if self._planned is None or self._planned[0] != key:  # drawn every frame: worked out once
            self._planned = (key, self._plan(surface, table_top, notes))
        return self._planned[1]

    def _plan(
        self, surface: pygame.Surface, table_top: int, notes: list[NoteLine]
    ) -> tuple[ResultsTable, list[NoteLine]]:
        width = surface.get_width()
        per_trial = self.per_trial_table()
        if table_top + self._table_block_px(per_trial, width) + self._notes_height_px(width, notes) <= self._bottom_y(
            surface
        ):
            return per_trial, notes
        small = self.context.theme.small
        patients = [note for note in notes if note[2] is not small]
        reasons = [note for note in notes if note[2] is small and note[0] != FEEDBACK_NOTE]
        about = [note for note in notes if note[0] == FEEDBACK_NOTE]
        shown = patients + about
        table = self._largest_compact(surface, table_top, shown)
        if table is None:
            shown = patients
            table = self._largest_compact(surface, table_top, shown) or self.compact_table(1)
        for count in range(len(reasons), 0, -1):  # as many of the reasons as leave the table as it is
            with_reasons = patients + reasons[:count] + about
            if self._largest_compact(surface, table_top, with_reasons) == table:
                return table, with_reasons
        return table, shown

    def _largest_compact(
        self, surface: pygame.Surface, table_top: int, notes: Sequence[NoteLine]
    ) -> ResultsTable | None:
        """Return the compact table with the most rows that fits from ``table_top`` with ``notes`` under it, with
        room for a line of the trend's words below if it can be had; ``None`` when not even the row "All" fits."""
        width, height = surface.get_size()
        body_px = round(self.context.theme.body.get_linesize() * LINE_SPACING)
        trend_px = body_px + height // 60 if self.trend is not None and self.trend.points else 0
        for reserved_px in dict.fromkeys((trend_px, 0)):
            free_px = self._bottom_y(surface) - table_top - self._notes_height_px(width, notes) - reserved_px
            for max_rows in range(max(1, free_px // self._table_line_px()), 0, -1):
                table = self.compact_table(max_rows)
                if self._table_block_px(table, width) <= free_px:
                    return table
        return None

    def table_rect(self, surface: pygame.Surface) -> pygame.Rect:
        """Return the table's panel as :meth:`draw` draws it (narrowed beside a trend chart)."""
        width = surface.get_width()
        table_top = self._table_top(surface)
        table, notes = self.plan(surface, table_top)
        panel_top = table_top + self._caption_height_px(table, width)
        right = TABLE_RIGHT_BESIDE_TREND if self._trend_beside(surface, panel_top, table, notes) else TABLE_RIGHT
        left = round(TABLE_LEFT * width)
        return pygame.Rect(left, panel_top, round(right * width) - left, self._panel_height_px(len(table.rows)))

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.context.theme
        width, height = surface.get_size()
        surface.fill(BACKGROUND)
        progress = self.state.progress
        heading = "Well done" if progress.hits else "Thank you for playing"
        y = draw_text(surface, heading, theme.title, GOOD, centre_x=width // 2, top_y=height // 30)
        summary = f"Score {progress.score}    Hits {progress.hits}    Missed {progress.misses}"
        y = draw_text(surface, summary, theme.heading, TEXT, centre_x=width // 2, top_y=y)
        table_top = y + height // 60
        table, notes = self.plan(surface, table_top)
        previous_clip = surface.get_clip()
        # Nothing where the buttons go (below TREND_BOTTOM_FRACTION); the plan keeps everything above it anyway.
        surface.set_clip(pygame.Rect(0, 0, width, self._bottom_y(surface)).clip(previous_clip))
        try:
            if table.caption is not None:  # how the compact table groups the trials, in words the patient reads
                caption = table.caption
                words_y = draw_text(
                    surface, caption, theme.body, TEXT, centre_x=width // 2, top_y=table_top, width_px=int(width * 0.9)
                )
                table_top = words_y + self._table_line_px() // 4
            beside = self._trend_beside(surface, table_top, table, notes)
            y = self._draw_table(surface, table_top, table, right=TABLE_RIGHT_BESIDE_TREND if beside else TABLE_RIGHT)
            if beside and self.trend is not None:
                draw_trend_chart(surface, _beside_table(surface, table_top, y), self.trend, theme, words=False)
            y = self._draw_notes(surface, y, notes)
            below = self.trend_rect(surface, y + height // 60)
            if below is not None and self.trend is not None:
                if beside:  # the bars beside the table, the words below it
                    draw_trend_words(surface, below, self.trend, theme)
                else:
                    draw_trend_chart(surface, below, self.trend, theme)
        finally:
            surface.set_clip(previous_clip)
        draw_footer(surface, theme, self.footer())

    def _table_top(self, surface: pygame.Surface) -> int:
        """The y below the heading and the summary, and a gap (as :meth:`draw` places them)."""
        theme, height = self.context.theme, surface.get_height()
        lines_px = sum(round(font.get_linesize() * LINE_SPACING) for font in (theme.title, theme.heading))
        return height // 30 + lines_px + height // 60

    @staticmethod
    def _bottom_y(surface: pygame.Surface) -> int:
        return round(surface.get_height() * TREND_BOTTOM_FRACTION)

    def _note_lines(self) -> list[NoteLine]:
        """The notes under the table, each with its colour and font: what happened first (orange, in body type: the
        patient reads it from 1-2 m), then the measures' (small, soft: secondary notes for the therapist)."""
        theme = self.context.theme
        said = [(note, NOTICE, theme.body) for note in (self.note, self.source_note()) if note]
        return said + [(line, TEXT_SOFT, theme.small) for line in (*self.notes(), FEEDBACK_NOTE)]

    def _draw_notes(self, surface: pygame.Surface, top_y: int, notes: Sequence[NoteLine]) -> int:
        width = surface.get_width()
        y = top_y
        for line, colour, font in notes:
            y = draw_text(surface, line, font, colour, centre_x=width // 2, top_y=y, width_px=int(width * 0.9))
        return y

    @staticmethod
    def _notes_height_px(width_px: int, notes: Sequence[NoteLine]) -> int:
        return sum(
            len(wrap(line, font, int(width_px * 0.9))) * round(font.get_linesize() * LINE_SPACING)
            for line, _, font in notes
        )

    def _table_line_px(self) -> int:
        return round(self.context.theme.small.get_linesize() * TABLE_LINE_SPACING)

    def _panel_height_px(self, row_count: int) -> int:
        """The table's panel: the therapist's heading, the column heads and the rows, and half a line."""
        line_px = self._table_line_px()
        return line_px * (row_count + 2) + line_px // 2

    def _caption_height_px(self, table: ResultsTable, width_px: int) -> int:
        if table.caption is None:
            return 0
        body = self.context.theme.body
        lines_px = len(wrap(table.caption, body, int(width_px * 0.9))) * round(body.get_linesize() * LINE_SPACING)
        return lines_px + self._table_line_px() // 4

    def _table_block_px(self, table: ResultsTable, width_px: int) -> int:
        """The table's height with its line of words above and its gap below (as :meth:`draw` draws them)."""
        return (
            self._caption_height_px(table, width_px)
            + self._panel_height_px(len(table.rows))
            + (self._table_line_px() // 3)
        )

    def _trend_beside(
        self, surface: pygame.Surface, table_top: int, table: ResultsTable, notes: Sequence[NoteLine]
    ) -> bool:
        """Whether the trend's bars go beside the table (its panel from ``table_top``): there is a trend to chart,
        and below the table and its notes there is no room for it (a long table), while beside the table there is."""
        if self.trend is None or not self.trend.comparable:
            return False
        width, height = surface.get_size()
        table_bottom = table_top + self._panel_height_px(len(table.rows)) + self._table_line_px() // 3
        below_top = table_bottom + self._notes_height_px(width, notes) + height // 60
        below = pygame.Rect(round(width * 0.05), below_top, round(width * 0.9), 0)
        below.height = max(0, self._bottom_y(surface) - below_top)
        if chart_layout(below, self.trend, self.context.theme) is not None:
            return False
        side = _beside_table(surface, table_top, table_bottom)
        return chart_layout(side, self.trend, self.context.theme, words=False) is not None

    def trend_rect(self, surface: pygame.Surface, top_y: int) -> pygame.Rect | None:
        """Return where the trend goes below the notes, from ``top_y`` to above the buttons; ``None`` when a line of
        words does not fit (a long table) or there is no trend to show."""
        if self.trend is None or not self.trend.points:
            return None
        width, height = surface.get_size()
        bottom_y = self._bottom_y(surface)
        if bottom_y - top_y < self.context.theme.body.get_linesize():
            return None
        return pygame.Rect(round(width * 0.05), top_y, round(width * 0.9), bottom_y - top_y)

    def _draw_table(
        self, surface: pygame.Surface, top_y: int, table: ResultsTable, *, right: float = TABLE_RIGHT
    ) -> int:
        """The table: per row (a trial, or a group of trials) its label, result, time and stars for the patient;
        then, right of a divider under the heading "For your therapist", the raw SPARC and number of breaks. It spans
        the window from :data:`TABLE_LEFT` to ``right`` (fractions of the width); its columns keep their places within
        it. Return the y below it and its gap."""
        font = self.context.theme.small
        width = surface.get_width()

        def x_of(fraction: float) -> int:
            """The window x of a place given as a fraction of the full-width table (0.05 to 0.95)."""
            return round(
                (TABLE_LEFT + (fraction - TABLE_LEFT) * (right - TABLE_LEFT) / (TABLE_RIGHT - TABLE_LEFT)) * width
            )

        columns = (0.11, 0.25, 0.38, 0.73, 0.87)  # centres of the text cells, fractions of the full-width table
        stars_x, divider_x = 0.52, 0.64  # the stars' column, and the line before the therapist's columns
        line_px = self._table_line_px()
        panel = pygame.Rect(x_of(TABLE_LEFT), top_y, 0, self._panel_height_px(len(table.rows)))
        panel.width = x_of(TABLE_RIGHT) - panel.left
        pygame.draw.rect(surface, PANEL, panel, border_radius=line_px // 3)
        y = top_y + line_px // 4
        therapist = font.render(THERAPIST_HEADING, True, TEXT_SOFT)
        surface.blit(therapist, therapist.get_rect(midtop=(x_of((divider_x + TABLE_RIGHT) / 2), y)))
        y += line_px
        x = x_of(divider_x)
        pygame.draw.line(surface, TEXT_SOFT, (x, top_y + line_px // 4), (x, panel.bottom - line_px // 4))
        stars_label = font.render(STARS_HEADING, True, TEXT_SOFT)
        surface.blit(stars_label, stars_label.get_rect(midtop=(x_of(stars_x), y)))
        for index, row in enumerate((table.header, *table.rows)):
            colour = TEXT_SOFT if index == 0 else TEXT
            if table.total_row and index == len(table.rows) and index > 1:  # a line above the whole level's row
                rule_y = y - (line_px - font.get_linesize()) // 2 - 1
                pygame.draw.line(surface, TEXT_SOFT, (x_of(0.07), rule_y), (x_of(0.93), rule_y))
            for cell, centre in zip(row, columns, strict=True):
                if cell:
                    rendered = font.render(cell, True, colour)
                    surface.blit(rendered, rendered.get_rect(midtop=(x_of(centre), y)))
            stars = table.stars[index - 1] if index > 0 else None
            if stars is not None:
                size_px = round(font.get_linesize() * 0.9)
                middle = (x_of(stars_x), y + font.get_linesize() // 2)
                draw_stars(surface, stars, centre=middle, size_px=size_px)
            y += line_px
        return panel.bottom + line_px // 3


def _beside_table(surface: pygame.Surface, table_top: int, table_bottom: int) -> pygame.Rect:
    """Return where the trend's bars go beside a table narrowed to :data:`TABLE_RIGHT_BESIDE_TREND` (``table_bottom``:
    the y below the table and its gap)."""
    width, height = surface.get_size()
    left = round(width * TREND_BESIDE_LEFT)
    return pygame.Rect(left, table_top, round(width * TABLE_RIGHT) - left, table_bottom - height // 60 - table_top)


def _trials_label(noun: str, trials: list[str], trial_count: int) -> str:
    """Return "All targets", "Target 3", "Targets 1, 3, 5-9" or, for more than :data:`MAX_LISTED_RANGES` runs of
    numbers (a long level), "23 targets"."""
    if len(trials) == trial_count > 1:
        return f"All {noun}s"
    runs: list[list[int]] = []
    for number in (int(trial) for trial in trials):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    if len(runs) > MAX_LISTED_RANGES:
        return f"{len(trials)} {noun}s"
    listed = ", ".join(
        f"{run[0]}-{run[-1]}" if len(run) > 2 else ", ".join(str(number) for number in run) for run in runs
    )
    return f"{noun.capitalize()}{'' if len(trials) == 1 else 's'} {listed}"
