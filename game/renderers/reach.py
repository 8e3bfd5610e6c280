"""The reach level's drawing: the target filling while the cursor dwells on it, the cursor, the calm rest message
with the last movement's feedback, and the status bar (target, hits, score, the trial's time)."""

from __future__ import annotations

import pygame

from game.renderers.base import LevelView, draw_status_bar, status_bar_shape
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
    """The status bar's words: which target, hits, score, this target's time and the last one's."""
    progress = state.progress
    shown = min(state.trial_index + 1, progress.trials)
    trial_time = state.phase_elapsed_s if state.phase is Phase.REACHING else 0.0
    text = (
        f"Target {shown} of {progress.trials}    Hits {progress.hits}    Score {progress.score}    "
        f"Time {trial_time:4.1f} s"
    )
    if progress.results:
        text += f"    Last {progress.results[-1].duration_s:.1f} s"
    return text


class ReachRenderer:
    trial_noun = "target"

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
            y = draw_text(
                surface, rest_message(state), theme.body, TEXT_SOFT, centre_x=width // 2, top_y=int(height * 0.45)
            )
            movement = view.feedback[-1].biofeedback() if view.feedback else None
            if movement is not None:
                draw_text(
                    surface, movement, theme.small, TEXT_SOFT, centre_x=width // 2, top_y=y, width_px=width * 8 // 10
                )
        if state.cursor is not None and state.progress.clock.effector_seen:
            draw_cursor(surface, state.cursor)
        draw_status_bar(surface, theme, status_text(state))

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
