"""The results of one play of a level, whatever its family: score, hits, misses, time per trial, and per-trial
movement feedback (from the shared :class:`levels.trial.LevelProgress`; the family's renderer names the trials):
stars for the patient, and the raw measures (SPARC, number of breaks) under a heading "For your therapist".

After a recorded session, the patient's own trend on the level (``trend``, :mod:`clinic.records.trends`) is drawn
below the table in the space above the buttons (:mod:`game.trend_chart`): a small chart of their recent sessions,
or, after their first session of the level, one encouraging line.

"Play again" plays a video or recording again from its start (it is opened again); a camera that stopped is tried
again, or the mouse chosen. What happened to the source is said, also when it ends while the results show.
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
from game.theme import BACKGROUND, GOOD, NOTICE, PANEL, TEXT, TEXT_SOFT, draw_footer, draw_text
from game.trend_chart import draw_trend_chart
from levels.events import Command, InputEvent, commands_in
from levels.feedback import TrialFeedback
from levels.trial import LevelState, Outcome

# The trend chart ends above the buttons the results carry at the bottom (game.scenes.controls: their tops at 82% of
# the window's height), with a small gap.
TREND_BOTTOM_FRACTION = 0.805

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
    ) -> None:
        self.context = context
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
        """The footer: what Space does now."""
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
        y = self._draw_table(surface, y + height // 60)
        for line in [note for note in (self.note, self.source_note()) if note]:
            y = draw_text(surface, line, theme.small, NOTICE, centre_x=width // 2, top_y=y, width_px=int(width * 0.9))
        for line in [*self.notes(), FEEDBACK_NOTE]:
            y = draw_text(
                surface, line, theme.small, TEXT_SOFT, centre_x=width // 2, top_y=y, width_px=int(width * 0.9)
            )
        self._draw_trend(surface, y + height // 60)
        draw_footer(surface, theme, self.footer())

    def trend_rect(self, surface: pygame.Surface, top_y: int) -> pygame.Rect | None:
        """Return where the trend goes, from ``top_y`` to above the buttons; ``None`` when a line of words does not
        fit (a long table) or there is no trend to show."""
        if self.trend is None or not self.trend.points:
            return None
        width, height = surface.get_size()
        bottom_y = round(height * TREND_BOTTOM_FRACTION)
        if bottom_y - top_y < self.context.theme.body.get_linesize():
            return None
        return pygame.Rect(round(width * 0.05), top_y, round(width * 0.9), bottom_y - top_y)

    def _draw_trend(self, surface: pygame.Surface, top_y: int) -> None:
        rect = self.trend_rect(surface, top_y)
        if rect is not None and self.trend is not None:
            draw_trend_chart(surface, rect, self.trend, self.context.theme)

    def _draw_table(self, surface: pygame.Surface, top_y: int) -> int:
        """The table: per trial its number, result, time and stars for the patient; then, right of a divider under
        the heading "For your therapist", the raw SPARC and number of breaks."""
        font = self.context.theme.small
        width = surface.get_width()
        columns = (0.11, 0.25, 0.38, 0.73, 0.87)  # centres of the text cells, fractions of the width
        stars_x, divider_x = 0.52, 0.64  # the stars' column, and the line before the therapist's columns
        header = (self.trial_noun.capitalize(), "Result", "Time", "SPARC", "Breaks")
        line_px = round(font.get_linesize() * 1.25)
        rows = self.rows()
        panel = pygame.Rect(int(width * 0.05), top_y, int(width * 0.9), line_px * (len(rows) + 2) + line_px // 2)
        pygame.draw.rect(surface, PANEL, panel, border_radius=line_px // 3)
        y = top_y + line_px // 4
        therapist = font.render(THERAPIST_HEADING, True, TEXT_SOFT)
        surface.blit(therapist, therapist.get_rect(midtop=(round((divider_x + 0.95) / 2 * width), y)))
        y += line_px
        x = round(divider_x * width)
        pygame.draw.line(surface, TEXT_SOFT, (x, top_y + line_px // 4), (x, panel.bottom - line_px // 4))
        stars_label = font.render(STARS_HEADING, True, TEXT_SOFT)
        surface.blit(stars_label, stars_label.get_rect(midtop=(round(stars_x * width), y)))
        for index, row in enumerate((header, *rows)):
            colour = TEXT_SOFT if index == 0 else TEXT
            for cell, centre in zip(row, columns, strict=True):
                rendered = font.render(cell, True, colour)
                surface.blit(rendered, rendered.get_rect(midtop=(round(centre * width), y)))
            stars = self.stars()[index - 1] if index > 0 else None
            if stars is not None:
                size_px = round(font.get_linesize() * 0.9)
                middle = (round(stars_x * width), y + font.get_linesize() // 2)
                draw_stars(surface, stars, centre=middle, size_px=size_px)
            y += line_px
        return panel.bottom + line_px // 3


def _trials_label(noun: str, trials: list[str], trial_count: int) -> str:
    if len(trials) == trial_count > 1:
        return f"All {noun}s"
    return f"{noun.capitalize()}{'' if len(trials) == 1 else 's'} {', '.join(trials)}"
