"""The reach level's drawing: the target filling while the cursor dwells on it, the cursor, the calm rest message,
the status bar (target, hits, score: no stopwatch, which works against the calm pace) and under it a gentle bar of
the time left before the target times out. The last movement's stars and words are drawn by the level scene for
every family (:mod:`game.scenes.level`)."""

from __future__ import annotations

import pygame

from game.renderers.base import LevelView, draw_status_bar, status_bar_height_px, status_bar_shape
from game.theme import ACCENT, ACCENT_FILL, PANEL, TEXT_SOFT, Theme, draw_cursor, draw_text
from levels.reach.rules import HIT_POINTS, Phase, ReachState
from levels.screen import ScreenShape
from levels.trial import Outcome


def rest_message(state: ReachState) -> str:
    """Calm feedback on the last target while the next one is coming."""
    if not state.progress.results:
        return "Get ready - the first target is coming"
    if state.progress.results[-1].outcome is Outcome.HIT:
        return f"Hit! +{HIT_POINTS}. Rest - the next target is coming"
    return "That one timed out - no problem. Rest - the next target is coming"


def status_text(state: ReachState) -> str:
    """The status bar's words: which target, hits and score (no time: no stopwatch on a patient's screen)."""
    progress = state.progress
    shown = min(state.trial_index + 1, progress.trials)
    return f"Target {shown} of {progress.trials}    Hits {progress.hits}    Score {progress.score}"


def time_left_fraction(state: ReachState) -> float | None:
    """The share of the target's time limit still left (1 to 0) while a target is shown, else ``None``."""
    if state.phase is not Phase.REACHING or state.params.trial_timeout_s <= 0:
        return None
    return max(0.0, 1.0 - state.phase_elapsed_s / state.params.trial_timeout_s)


def draw_time_bar(surface: pygame.Surface, theme: Theme, fraction: float) -> None:
    """A thin, soft bar under the status bar that shrinks from both sides towards the centre as time runs out."""
    width = surface.get_width()
    height_px = max(3, surface.get_height() // 180)
    top = status_bar_height_px(theme)
    pygame.draw.rect(surface, PANEL, pygame.Rect(0, top, width, height_px))
    left = pygame.Rect(0, top, round(width * fraction), height_px)
    left.centerx = width // 2
    pygame.draw.rect(surface, ACCENT_FILL, left)


class ReachRenderer:
    trial_noun = "target"
    shows_trial_card = True

    def screen_shape(self, size_px: tuple[int, int], theme: Theme) -> ScreenShape:
        return status_bar_shape(size_px, theme)

    def draw(self, surface: pygame.Surface, view: LevelView) -> None:
        state = view.state
        assert isinstance(state, ReachState)
        theme = view.theme
        width, height = surface.get_size()
        if state.target is not None:
            self._draw_target(surface, state)
        elif state.phase is Phase.RESTING and not state.progress.frozen:
            draw_text(
                surface, rest_message(state), theme.body, TEXT_SOFT, centre_x=width // 2, top_y=int(height * 0.45)
            )
        if state.cursor is not None and state.progress.clock.effector_seen:
            draw_cursor(surface, state.cursor)
        draw_status_bar(surface, theme, status_text(state))
        left = time_left_fraction(state)
        if left is not None:
            draw_time_bar(surface, theme, left)

    @staticmethod
    def _draw_target(surface: pygame.Surface, state: ReachState) -> None:
        assert state.target is not None
        width, height = surface.get_size()
        centre = (round(state.target[0] * width), round(state.target[1] * height))
        radius = round(state.params.target_radius_norm * height)
        pygame.draw.circle(surface, PANEL, centre, radius)
        if state.dwell_s > 0:
            pygame.draw.circle(surface, ACCENT_FILL, centre, max(2, round(radius * state.dwell_fraction)))
        pygame.draw.circle(surface, ACCENT, centre, radius, width=max(3, height // 150))
