"""The results of one play of a level, whatever its family: score, hits, misses, time per trial, and per-trial
movement feedback (from the shared :class:`levels.trial.LevelProgress`; the family's renderer names the trials):
stars for the patient, and the raw measures (SPARC, number of breaks) under a heading "For your therapist".

After a recorded session, the patient's own trend on the level (``trend``, :mod:`clinic.records.trends`) is drawn
below the table in the space above the buttons (:mod:`game.trend_chart`): a small chart of their recent sessions,
or, after their first session of the level, one encouraging line. A table too long to leave room for the chart
below it (eight targets and more) is narrowed, and the chart's bars go beside it, its words below.

"Play again" plays a video or recording again from its start (it is opened again); a camera that stopped is tried
again, or the mouse chosen. What happened to the source is said, also when it ends while the results show.

The note under the table (what happened: the difficulty changed, a rest is suggested, the source ended, the day's
time is over) is in body type, at least 28 px at 720p: the patient reads it from 1-2 m; the notes on the measures
stay small (for the therapist). Once the session is over (``session_over``: the plan's time for today has passed),
Space does nothing and the footer offers only Q or Escape.
"""

from __future__ import annotations

from collections.abc import Sequence

import pygame

from clinic.records.trends import LevelTrend
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
from levels.trial import LevelState, Outcome

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
    ) -> None:
        self.context = context
        # The session's time is over (the plan's limit): nothing more is played, Space does nothing, Q or Escape ends.
        self.session_over = session_over
        self.trend = trend  # the patient's recent sessions of this level, when the session is recorded
        self.state = state
        self.feedback = tuple(feedback)
        self.note = note
        self.next_level = next_level  # the title of the session's next level, if there is one
        self.trial_noun = renderer_for(context.level.kind).trial_noun

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
        beside = self.trend_beside_table(surface, table_top)
        y = self._draw_table(surface, table_top, right=TABLE_RIGHT_BESIDE_TREND if beside else TABLE_RIGHT)
        if beside and self.trend is not None:
            draw_trend_chart(surface, _beside_table(surface, table_top, y), self.trend, theme, words=False)
        y = self._draw_notes(surface, y)
        below = self.trend_rect(surface, y + height // 60)
        if below is not None and self.trend is not None:
            if beside:  # the bars beside the table, the words below it
                draw_trend_words(surface, below, self.trend, theme)
            else:
                draw_trend_chart(surface, below, self.trend, theme)
        draw_footer(surface, theme, self.footer())

    def _note_lines(self) -> list[tuple[str, Colour, pygame.font.Font]]:
        """The notes under the table, each with its colour and font: what happened first (orange, in body type: the
        patient reads it from 1-2 m), then the measures' (small, soft: secondary notes for the therapist)."""
        theme = self.context.theme
        said = [(note, NOTICE, theme.body) for note in (self.note, self.source_note()) if note]
        return said + [(line, TEXT_SOFT, theme.small) for line in (*self.notes(), FEEDBACK_NOTE)]

    def _draw_notes(self, surface: pygame.Surface, top_y: int) -> int:
        width = surface.get_width()
        y = top_y
        for line, colour, font in self._note_lines():
            y = draw_text(surface, line, font, colour, centre_x=width // 2, top_y=y, width_px=int(width * 0.9))
        return y

    def _notes_height_px(self, width_px: int) -> int:
        return sum(
            len(wrap(line, font, int(width_px * 0.9))) * round(font.get_linesize() * LINE_SPACING)
            for line, _, font in self._note_lines()
        )

    def _table_height_px(self) -> int:
        """The table's height with its gap below (as :meth:`_draw_table` draws it)."""
        line_px = round(self.context.theme.small.get_linesize() * TABLE_LINE_SPACING)
        return line_px * (len(self.rows()) + 2) + line_px // 2 + line_px // 3

    def trend_beside_table(self, surface: pygame.Surface, table_top: int) -> bool:
        """Whether the trend's bars go beside the table: there is a trend to chart, and below the table and its notes
        there is no room for it (a long table), while beside the table there is."""
        if self.trend is None or not self.trend.comparable:
            return False
        width, height = surface.get_size()
        table_bottom = table_top + self._table_height_px()
        below_top = table_bottom + self._notes_height_px(width) + height // 60
        below = pygame.Rect(round(width * 0.05), below_top, round(width * 0.9), 0)
        below.height = max(0, round(height * TREND_BOTTOM_FRACTION) - below_top)
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
        bottom_y = round(height * TREND_BOTTOM_FRACTION)
        if bottom_y - top_y < self.context.theme.body.get_linesize():
            return None
        return pygame.Rect(round(width * 0.05), top_y, round(width * 0.9), bottom_y - top_y)

    def _draw_table(self, surface: pygame.Surface, top_y: int, *, right: float = TABLE_RIGHT) -> int:
        """The table: per trial its number, result, time and stars for the patient; then, right of a divider under
        the heading "For your therapist", the raw SPARC and number of breaks. It spans the window from
        :data:`TABLE_LEFT` to ``right`` (fractions of the width); its columns keep their places within it."""
        font = self.context.theme.small
        width = surface.get_width()

        def x_of(fraction: float) -> int:
            """The window x of a place given as a fraction of the full-width table (0.05 to 0.95)."""
            return round(
                (TABLE_LEFT + (fraction - TABLE_LEFT) * (right - TABLE_LEFT) / (TABLE_RIGHT - TABLE_LEFT)) * width
            )

        columns = (0.11, 0.25, 0.38, 0.73, 0.87)  # centres of the text cells, fractions of the full-width table
        stars_x, divider_x = 0.52, 0.64  # the stars' column, and the line before the therapist's columns
        header = (self.trial_noun.capitalize(), "Result", "Time", "SPARC", "Breaks")
        line_px = round(font.get_linesize() * TABLE_LINE_SPACING)
        rows = self.rows()
        panel = pygame.Rect(x_of(TABLE_LEFT), top_y, 0, line_px * (len(rows) + 2) + line_px // 2)
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
        for index, row in enumerate((header, *rows)):
            colour = TEXT_SOFT if index == 0 else TEXT
            for cell, centre in zip(row, columns, strict=True):
                rendered = font.render(cell, True, colour)
                surface.blit(rendered, rendered.get_rect(midtop=(x_of(centre), y)))
            stars = self.stars()[index - 1] if index > 0 else None
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
    if len(trials) == trial_count > 1:
        return f"All {noun}s"
    return f"{noun.capitalize()}{'' if len(trials) == 1 else 's'} {', '.join(trials)}"
