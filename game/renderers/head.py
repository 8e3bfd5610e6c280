"""The head control level's drawing: a calm neutral mark at the centre, the target filling while the head cursor
dwells on it, the head cursor, the rest message with the last movement's feedback, a footer that says when the
mouse stands in for the head and hints at a sensory trick where the level encourages one, and the status bar."""

from __future__ import annotations

import pygame

from game.renderers.base import LevelView, draw_status_bar, status_bar_shape
from game.theme import ACCENT, ACCENT_FILL, PANEL, TEXT_SOFT, Theme, draw_cursor, draw_footer, draw_text
from levels.head.rules import HIT_POINTS, HeadState, Phase
from levels.screen import ScreenShape
from levels.trial import Outcome

# Said on screen while the mouse (not a camera) moves the head cursor: a design choice, so that a play with the
# mouse as a simulated head is never taken for a measure of the head (every level plays from every input).
MOUSE_HEAD_NOTE = "The mouse stands in for your head: move it to steer."
TRICK_HINT = "If it helps, rest your fingers lightly on your chin or cheek."
TRICK_NOT_NOW = "Try this one with your hands resting down."


def rest_message(state: HeadState) -> str:
    """Return calm feedback on the last target while the next one is coming."""
    if not state.progress.results:
        return "Get ready - turn your head to steer the ring onto the circle"
    if state.progress.results[-1].outcome is Outcome.HIT:
        return f"Well done! +{HIT_POINTS}. Rest your head in the middle - the next target is coming"
    return "That one timed out - no problem. Rest your head in the middle"


def status_text(state: HeadState) -> str:
    """Return the status bar's words: which target, hits and score (no stopwatch: it works against a calm pace)."""
    progress = state.progress
    shown = min(state.trial_index + 1, progress.trials)
    return f"Target {shown} of {progress.trials}    Hits {progress.hits}    Score {progress.score}"


def footer_text(state: HeadState) -> str | None:
    """Return the footer's words: the mouse offer (a mouse cannot use a sensory trick), the trick's word, or none."""
    if not state.tracked:
        return MOUSE_HEAD_NOTE
    if state.trick_blocks_dwell and state.phase is Phase.STEERING:
        return TRICK_NOT_NOW
    if state.params.sensory_trick == "encouraged":
        return TRICK_HINT
    return None


class HeadRenderer:
    """Draws the head control family."""

    trial_noun = "target"
    shows_trial_card = True

    def screen_shape(self, size_px: tuple[int, int], theme: Theme) -> ScreenShape:
        """Return the play area below the status bar."""
        return status_bar_shape(size_px, theme)

    def draw(self, surface: pygame.Surface, view: LevelView) -> None:
        """Draw the level."""
        state = view.state
        assert isinstance(state, HeadState)
        theme = view.theme
        width, height = surface.get_size()
        self._draw_neutral_mark(surface)
        if state.target_point is not None:
            self._draw_target(surface, state)
        elif state.phase is Phase.RESTING and not state.progress.frozen:
            y = draw_text(
                surface,
                rest_message(state),
                theme.body,
                TEXT_SOFT,
                centre_x=width // 2,
                top_y=int(height * 0.6),
                width_px=width * 9 // 10,
            )
            movement = view.feedback[-1].biofeedback() if view.feedback else None
            if movement is not None:
                draw_text(
                    surface, movement, theme.small, TEXT_SOFT, centre_x=width // 2, top_y=y, width_px=width * 8 // 10
                )
        if state.cursor is not None and state.progress.clock.effector_seen:
            draw_cursor(surface, state.cursor)
        footer = footer_text(state)
        if footer is not None:
            draw_footer(surface, theme, footer)
        draw_status_bar(surface, theme, status_text(state))

    @staticmethod
    def _draw_neutral_mark(surface: pygame.Surface) -> None:
        """A soft cross at the centre: where the head cursor rests when the head is at its calibrated neutral."""
        width, height = surface.get_size()
        arm = height // 30
        centre = (width // 2, height // 2)
        pygame.draw.line(surface, PANEL, (centre[0] - arm, centre[1]), (centre[0] + arm, centre[1]), 3)
        pygame.draw.line(surface, PANEL, (centre[0], centre[1] - arm), (centre[0], centre[1] + arm), 3)

    @staticmethod
    def _draw_target(surface: pygame.Surface, state: HeadState) -> None:
        point = state.target_point
        assert point is not None
        width, height = surface.get_size()
        centre = (round(point[0] * width), round(point[1] * height))
        radius = round(state.params.target_radius_norm * height)
        pygame.draw.circle(surface, PANEL, centre, radius)
        if state.dwell_s > 0:
            pygame.draw.circle(surface, ACCENT_FILL, centre, max(2, round(radius * state.dwell_fraction)))
        pygame.draw.circle(surface, ACCENT, centre, radius, width=max(3, height // 150))
