"""The trace level's drawing: the path drawn softly as a wide band, the guide moving along it (glowing while the
cursor is on the path), the cursor, a calm line of words under the status bar, and the status bar (lap and score;
no stopwatch: the guide sets the pace)."""

from __future__ import annotations

import pygame

from game.renderers.base import LevelView, draw_status_bar, status_bar_height_px
from game.theme import ACCENT, ACCENT_FILL, LINE_SPACING, PANEL, TEXT_SOFT, Colour, Theme, draw_cursor
from levels.screen import ScreenShape
from levels.trace.rules import Phase, TraceState
from levels.trial import Outcome

# The path band: the panels' soft slate, so the path is there without shouting.
PATH_BAND: Colour = PANEL
# The path's centre line, faint (half way from the band to the guide's teal): where the guide runs.
PATH_CENTRE: Colour = (57, 104, 108)
# The guide's radius, screen heights, at least: large enough to see from 2 m even on a narrow path.
GUIDE_MIN_RADIUS_NORM = 0.03
# A lap on the path for at least this fraction of its time is praised as "nearly all the way".
NEARLY_ALL_FRACTION = 0.8


def rest_message(state: TraceState) -> str:
    """Calm words on the last lap (or the first to come) while the guide waits at the start."""
    results = state.progress.results
    if not results:
        return "Get ready - follow the circle slowly along the path"
    last = results[-1]
    on_path = float(last.measures.get("on_path_fraction", 0.0))
    if last.outcome is Outcome.HIT and on_path >= NEARLY_ALL_FRACTION:
        return "Lap done - on the path nearly all the way. Rest a moment"
    if last.outcome is Outcome.HIT:
        return "Lap done - you followed most of the way. Rest a moment"
    return "Lap done - well done for keeping going. Rest a moment"


def status_text(state: TraceState) -> str:
    """The status bar's words: which lap, and the score."""
    progress = state.progress
    shown = min(state.trial_index + 1, progress.trials)
    return f"Lap {shown} of {progress.trials}    Score {progress.score}"


def message_top_px(theme: Theme) -> int:
    """Where the line of words under the status bar starts, pixels."""
    return status_bar_height_px(theme) + theme.body.get_linesize() // 4


def reserved_top_px(theme: Theme) -> int:
    """The status bar and room for one line of body text and one of small text under it, pixels."""
    lines_px = round((theme.body.get_linesize() + theme.small.get_linesize()) * LINE_SPACING)
    return message_top_px(theme) + lines_px


class TraceRenderer:
    """The trace family's renderer (see :class:`game.renderers.base.LevelRenderer`)."""

    trial_noun = "lap"
    shows_trial_card = True

    def __init__(self) -> None:
        self._band_key: tuple[object, ...] | None = None
        self._band: pygame.Surface | None = None

    def screen_shape(self, size_px: tuple[int, int], theme: Theme) -> ScreenShape:
        """Return the play area below the status bar and the line of words: the path is drawn there."""
        width, height = size_px
        return ScreenShape(aspect=width / height, top_reserved_norm=reserved_top_px(theme) / height)

    def draw(self, surface: pygame.Surface, view: LevelView) -> None:
        """Draw the path, the guide, the cursor, the words and the status bar."""
        state = view.state
        assert isinstance(state, TraceState)
        theme = view.theme
        surface.blit(self._path_band(surface.get_size(), state), (0, 0))
        self._draw_guide(surface, state)
        if state.cursor is not None and state.progress.clock.effector_seen:
            draw_cursor(surface, state.cursor)
        self._draw_words(surface, view, state)
        draw_status_bar(surface, theme, status_text(state))

    def _path_band(self, size_px: tuple[int, int], state: TraceState) -> pygame.Surface:
        """The path drawn once per window size and level (a wide soft band with a faint centre line), transparent
        elsewhere."""
        path = state.params.path
        key = (size_px, path.points_norm, state.params.path_width_norm)
        if self._band is not None and self._band_key == key:
            return self._band
        width, height = size_px
        band = pygame.Surface(size_px, pygame.SRCALPHA)
        points = [(round(x * width), round(y * height)) for x, y in path.points_norm]
        radius_px = max(2, round(state.params.path_width_norm * height / 2))
        for point in dict.fromkeys(points):  # a disc at every point (a few px apart): smooth edges, round ends
            pygame.draw.circle(band, PATH_BAND, point, radius_px)
        pygame.draw.aalines(band, PATH_CENTRE, False, points)
        self._band_key, self._band = key, band
        return band

    @staticmethod
    def _draw_guide(surface: pygame.Surface, state: TraceState) -> None:
        height = surface.get_height()
        x, y = state.guide
        centre = (round(x * surface.get_width()), round(y * height))
        radius = round(max(GUIDE_MIN_RADIUS_NORM, state.params.path_width_norm / 2) * height)
        fill = ACCENT if state.on_path else ACCENT_FILL
        pygame.draw.circle(surface, fill, centre, radius)
        pygame.draw.circle(surface, ACCENT, centre, radius, width=max(3, height // 150))

    @staticmethod
    def _draw_words(surface: pygame.Surface, view: LevelView, state: TraceState) -> None:
        if state.progress.frozen:
            return  # the scene's veil says why the guide waits
        theme = view.theme
        width = surface.get_width()
        top = message_top_px(theme)
        if state.phase is Phase.TRACING:
            label = theme.body.render("Follow the circle at its own pace", True, TEXT_SOFT)
            surface.blit(label, label.get_rect(midtop=(width // 2, top)))
            return
        label = theme.body.render(rest_message(state), True, TEXT_SOFT)
        surface.blit(label, label.get_rect(midtop=(width // 2, top)))
        # The lap's stars and words (its breaks in plain words) are the level scene's card, not repeated here.
