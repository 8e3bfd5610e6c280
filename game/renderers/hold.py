"""The hold level's drawing: a calm gauge of how near the target posture the head (or hand) is, a gentle ring that
fills as the hold goes on, one line of plain words under the status bar, and the status bar (hold and score; no
stopwatch: the ring shows the hold's progress).

The head gauge is a soft disc whose centre is the target posture: the dot is the head, placed by its offset from
the target (turning to the patient's right moves the dot right, chin up moves it up), the inner circle is the
tolerance, and the circle glows warmer the nearer the dot comes. A hand hold draws the tolerance circle at its
screen target and the cursor. When the mouse moves a simulated head (:attr:`LevelView.simulated_head`), a head hold
says so at the bottom (as the head level does) and shows the dot from the start, where the simulated head begins
(straight ahead).
"""

from __future__ import annotations

import math
from dataclasses import replace

import pygame

from game.renderers.base import LevelView, draw_status_bar, status_bar_height_px, status_bar_shape
from game.renderers.head import MOUSE_HEAD_NOTE
from game.theme import (
    ACCENT,
    ACCENT_FILL,
    BACKGROUND,
    CURSOR,
    GOOD,
    PANEL,
    TEXT_SOFT,
    Colour,
    Theme,
    draw_footer,
    draw_text,
)
from levels.hold.rules import HoldState, Phase
from levels.screen import ScreenShape
from levels.trial import Outcome
from tracking.types import Effector, HeadAngles

# The head gauge: its centre (fractions of the window) and its radius (fraction of the height); the tolerance
# circle is a third of it, so the dot shows up to three tolerances away before resting on the rim.
GAUGE_CENTRE_NORM = (0.5, 0.58)
GAUGE_RADIUS_NORM = 0.3
GAUGE_TOLERANCES = 3.0
# The dot: large enough to see from 2 m.
DOT_RADIUS_NORM = 0.035
# A hold with at least this fraction within the tolerance is praised as "steady all the way".
STEADY_FRACTION = 0.9
# Where the mouse's simulated head starts (game/mouse_input.py): straight ahead, before the mouse first moves.
SIMULATED_HEAD_START = HeadAngles(0.0, 0.0, 0.0)


def _mix(a: Colour, b: Colour, weight: float) -> Colour:
    """``a`` moved ``weight`` (0..1) of the way to ``b``."""
    w = min(max(weight, 0.0), 1.0)
    return (round(a[0] + (b[0] - a[0]) * w), round(a[1] + (b[1] - a[1]) * w), round(a[2] + (b[2] - a[2]) * w))


def nearness(state: HoldState) -> float:
    """How near the target the effector is, 1 on it to 0 at :data:`GAUGE_TOLERANCES` tolerances or beyond."""
    deviation = state.deviation
    if deviation is None:
        return 0.0
    return max(0.0, 1.0 - deviation / (state.params.tolerance * GAUGE_TOLERANCES))


def direction_words(state: HoldState) -> str:
    """Where the target posture is, in the patient's words (for a head hold): "to your left", "chin up"..."""
    target = state.params.target_head
    parts = []
    if abs(target.yaw_deg) >= state.params.tolerance_deg:
        parts.append("turn to your left" if target.yaw_deg > 0 else "turn to your right")
    if abs(target.pitch_deg) >= state.params.tolerance_deg:
        parts.append("chin up" if target.pitch_deg > 0 else "chin down")
    if abs(target.roll_deg) >= state.params.tolerance_deg:
        parts.append("tilt to your left" if target.roll_deg > 0 else "tilt to your right")
    return " and ".join(parts)


def rest_message(state: HoldState) -> str:
    """Calm words between holds: on the last hold, or before the first."""
    results = state.progress.results
    if not results:
        return "Get ready - the first hold is coming"
    last = results[-1]
    if last.outcome is not Outcome.HIT:
        return "That one did not settle - no problem. Relax your neck and rest"
    if float(last.measures.get("hold_in_tolerance_fraction", 0.0)) >= STEADY_FRACTION:
        return "Steady all the way - well held! Relax and rest"
    return "Hold done - well done for staying with it. Relax and rest"


def message(state: HoldState) -> str:
    """The line of words for the phase the level is in."""
    if state.phase is Phase.RESTING:
        return rest_message(state)
    if state.trick_blocks_hold:
        return "Let your hand rest away from your face - the hold counts without it"
    if state.phase is Phase.HOLDING:
        return "Hold it there - breathe easy" if state.in_tolerance else "Ease gently back into the circle"
    if state.params.effector is Effector.HAND:
        return "Move your hand gently into the circle"
    direction = direction_words(state)
    if direction:
        return f"Gently {direction} until the dot rests in the circle"
    return "Let your head settle until the dot rests in the circle"


TRICK_HINT = "A light touch on your chin or cheek may help"


def trick_hint(state: HoldState) -> str | None:
    """The sensory trick's hint, for a head hold under way in a level that encourages it."""
    encouraged = state.params.sensory_trick == "encouraged" and state.params.effector is Effector.HEAD
    return TRICK_HINT if encouraged and state.phase is not Phase.RESTING else None


def status_text(state: HoldState) -> str:
    """The status bar's words: which hold, and the score."""
    progress = state.progress
    shown = min(state.trial_index + 1, progress.trials)
    return f"Hold {shown} of {progress.trials}    Score {progress.score}"


class HoldRenderer:
    """Draws a hold level (see the module's docstring)."""

    trial_noun = "hold"
    shows_trial_card = True

    def screen_shape(self, size_px: tuple[int, int], theme: Theme) -> ScreenShape:
        """Return the play area below the status bar."""
        return status_bar_shape(size_px, theme)

    def draw(self, surface: pygame.Surface, view: LevelView) -> None:
        """Draw the gauge (or the hand's target), the words and the status bar."""
        state = view.state
        assert isinstance(state, HoldState)
        theme = view.theme
        width, height = surface.get_size()
        head_by_mouse = view.simulated_head and state.params.effector is Effector.HEAD
        if state.params.effector is Effector.HEAD:
            self._draw_head_gauge(surface, state, simulated=head_by_mouse)
        else:
            self._draw_hand_target(surface, state)
        top = status_bar_height_px(theme) + theme.body.get_linesize() // 4
        y = draw_text(
            surface, message(state), theme.body, TEXT_SOFT, centre_x=width // 2, top_y=top, width_px=width * 9 // 10
        )
        hint = None if head_by_mouse else trick_hint(state)  # a mouse cannot use a sensory trick
        if hint is not None:
            draw_text(surface, hint, theme.small, TEXT_SOFT, centre_x=width // 2, top_y=y)
        if head_by_mouse:
            draw_footer(surface, theme, MOUSE_HEAD_NOTE)
        draw_status_bar(surface, theme, status_text(state))

    @staticmethod
    def _zone(surface: pygame.Surface, state: HoldState, centre: tuple[int, int], radius: int) -> None:
        """The tolerance circle: glowing with nearness, the hold's progress as a ring around it."""
        height = surface.get_height()
        active = state.phase is not Phase.RESTING
        fill = _mix(PANEL, ACCENT_FILL, nearness(state)) if active else PANEL
        pygame.draw.circle(surface, fill, centre, radius)
        pygame.draw.circle(surface, ACCENT, centre, radius, width=max(3, height // 180))
        if state.phase is Phase.HOLDING and state.hold_fraction > 0:
            ring = pygame.Rect(0, 0, 2 * radius + height // 20, 2 * radius + height // 20)
            ring.center = centre
            start = math.pi / 2 - 2 * math.pi * state.hold_fraction
            pygame.draw.arc(surface, GOOD, ring, start, math.pi / 2, width=max(4, height // 90))

    def _draw_head_gauge(self, surface: pygame.Surface, state: HoldState, *, simulated: bool = False) -> None:
        width, height = surface.get_size()
        centre = (round(GAUGE_CENTRE_NORM[0] * width), round(GAUGE_CENTRE_NORM[1] * height))
        gauge_px = round(GAUGE_RADIUS_NORM * height)
        pygame.draw.circle(surface, _mix(BACKGROUND, PANEL, 0.6), centre, gauge_px)
        tolerance_px = round(gauge_px / GAUGE_TOLERANCES)
        self._zone(surface, state, centre, tolerance_px)
        offset = state.offset
        if offset is None and simulated:  # the mouse has not moved yet: the simulated head is straight ahead
            offset = replace(state, head=SIMULATED_HEAD_START).offset
        if offset is None or not state.progress.clock.effector_seen:
            return
        dot_px = max(6, round(DOT_RADIUS_NORM * height))
        x, y = offset[0] * tolerance_px, offset[1] * tolerance_px
        reach = math.hypot(x, y)
        limit = gauge_px - dot_px
        if reach > limit:  # beyond the gauge: the dot rests on its rim, pointing the way back
            x, y = x * limit / reach, y * limit / reach
        dot = (centre[0] + round(x), centre[1] + round(y))
        pygame.draw.circle(surface, CURSOR, dot, dot_px)
        pygame.draw.circle(surface, BACKGROUND, dot, dot_px // 3)

    def _draw_hand_target(self, surface: pygame.Surface, state: HoldState) -> None:
        width, height = surface.get_size()
        x_norm, y_norm = state.params.target_point
        centre = (round(x_norm * width), round(y_norm * height))
        self._zone(surface, state, centre, round(state.params.tolerance_norm * height))
        if state.cursor is not None and state.progress.clock.effector_seen:
            dot = (round(state.cursor[0] * width), round(state.cursor[1] * height))
            dot_px = max(6, round(DOT_RADIUS_NORM * height))
            pygame.draw.circle(surface, CURSOR, dot, dot_px)
            pygame.draw.circle(surface, BACKGROUND, dot, dot_px // 3)
