"""The grasp and release level's drawing: the goal (a soft ring that lights when the hand may let go), the ball
(with a ring that fills while the hand grips it, and a shadow while it is carried), the hand cursor drawn open or
closed, a strip of calm words under the status bar with a hand gauge (open or closed, and how open when the camera
measures it), the rest's words on the delivery, and the status bar (ball, deliveries and score; no stopwatch). The
movement's stars and words after each ball are the level scene's card."""

from __future__ import annotations

import math

import pygame

from game.renderers.base import LevelView, draw_status_bar, status_bar_height_px
from game.theme import (
    ACCENT,
    ACCENT_FILL,
    BACKGROUND,
    CURSOR,
    GOOD,
    PANEL,
    TEXT,
    TEXT_SOFT,
    Colour,
    Theme,
    draw_text,
)
from levels.grasp.rules import DELIVERY_POINTS, GraspLevelState, Phase
from levels.screen import ScreenShape
from levels.trial import Outcome

# The ball: the Okabe-Ito sky blue (a colour-blind-safe palette), apart from the teal goal and the yellow hand.
BALL: Colour = (86, 180, 233)
BALL_RIM: Colour = (40, 110, 160)
BALL_SHINE: Colour = (214, 238, 250)
SHADOW: Colour = (18, 25, 35)  # under a carried ball, a little darker than the background: it is lifted
# The goal's inside, a shade lighter than the panels; it takes the accent's fill when the hand may let go there.
GOAL_INSIDE: Colour = (48, 66, 84)
# The strip of words under the status bar is this many lines of body text high.
STRIP_LINES = 1.6
# The hand gauge takes this fraction of the strip's width, at its right end.
GAUGE_WIDTH_FRACTION = 0.24
# After a drop, "it slipped back" is said this long before the usual words return (time to read one line).
SLIPPED_NOTE_S = 2.5


def strip_height_px(theme: Theme) -> int:
    """The height of the strip of words under the status bar, pixels."""
    return round(theme.body.get_linesize() * STRIP_LINES)


def rest_message(state: GraspLevelState) -> str:
    """Calm words on the last ball (or the first to come) during the rest."""
    results = state.progress.results
    if not results:
        return "Get ready - the first ball is coming"
    last = results[-1]
    if last.outcome is Outcome.HIT and int(last.measures.get("transport_drops", 0)) == 0:
        return f"Delivered! +{DELIVERY_POINTS}. A steady carry"
    if last.outcome is Outcome.HIT:
        return f"Delivered! +{DELIVERY_POINTS}. You picked it up again - well done"
    return "That one can wait - no problem"


def instruction(state: GraspLevelState) -> str:
    """What to do now, in a few plain words."""
    if state.phase is Phase.RESTING:
        return "Rest - the next ball is coming" if state.progress.results else "Open your hand and relax"
    if state.phase is Phase.CARRYING:
        return "Open your hand to let go" if state.in_goal else "Carry the ball to the ring"
    if not state.on_ball:
        slipped = state.drops > 0 and state.phase_elapsed_s < SLIPPED_NOTE_S
        return "It slipped back - no problem, pick it up again" if slipped else "Move your open hand to the ball"
    if not state.hand.closed:
        return "Close your hand to pick it up"
    if state.armed:
        return "Keep it closed - lifting"
    return "Open your hand over the ball, then close it"


def status_text(state: GraspLevelState) -> str:
    """The status bar's words: which ball, deliveries and the score."""
    progress = state.progress
    shown = min(state.trial_index + 1, progress.trials)
    return f"Ball {shown} of {progress.trials}    Delivered {progress.hits}    Score {progress.score}"


def _px(point_norm: tuple[float, float], size_px: tuple[int, int]) -> tuple[int, int]:
    return round(point_norm[0] * size_px[0]), round(point_norm[1] * size_px[1])


class GraspRenderer:
    """Draws a grasp and release level."""

    trial_noun = "ball"
    shows_trial_card = True

    def screen_shape(self, size_px: tuple[int, int], theme: Theme) -> ScreenShape:
        """Return the play area below the status bar and the strip of words: no ball or goal under them."""
        width, height = size_px
        reserved_px = status_bar_height_px(theme) + strip_height_px(theme)
        return ScreenShape(aspect=width / height, top_reserved_norm=reserved_px / height)

    def draw(self, surface: pygame.Surface, view: LevelView) -> None:
        """Draw the level over the background."""
        state = view.state
        assert isinstance(state, GraspLevelState)
        theme = view.theme
        if state.goal is not None:
            self._draw_goal(surface, state)
        if state.phase is Phase.RESTING and not state.progress.frozen:
            self._draw_rest(surface, view, state)
        hand_seen = state.cursor is not None and state.progress.clock.effector_seen
        if state.phase is Phase.CARRYING and state.cursor is not None:
            self._draw_ball(surface, state, state.cursor, lifted=True)
        elif state.ball_home is not None:
            self._draw_ball(surface, state, state.ball_home, lifted=False)
        if hand_seen:
            assert state.cursor is not None
            self._draw_hand(surface, state, state.cursor)
        self._draw_strip(surface, theme, state)
        draw_status_bar(surface, theme, status_text(state))

    @staticmethod
    def _draw_goal(surface: pygame.Surface, state: GraspLevelState) -> None:
        assert state.goal is not None
        height = surface.get_height()
        centre = _px(state.goal, surface.get_size())
        radius = round(state.params.goal_radius_norm * height)
        ready = state.phase is Phase.CARRYING and state.in_goal
        pygame.draw.circle(surface, ACCENT_FILL if ready else GOAL_INSIDE, centre, radius)
        pygame.draw.circle(surface, ACCENT, centre, radius, width=max(3, height // 150))
        pygame.draw.circle(surface, ACCENT, centre, max(2, radius * 2 // 3), width=max(1, height // 400))

    @staticmethod
    def _draw_ball(
        surface: pygame.Surface, state: GraspLevelState, where: tuple[float, float], *, lifted: bool
    ) -> None:
        height = surface.get_height()
        radius = round(state.params.object_radius_norm * height)
        x, y = _px(where, surface.get_size())
        if lifted:  # a soft shadow below and to the right: the ball is off the table
            pygame.draw.circle(surface, SHADOW, (x + radius // 4, y + radius // 3), radius)
        pygame.draw.circle(surface, BALL, (x, y), radius)
        pygame.draw.circle(surface, BALL_RIM, (x, y), radius, width=max(2, height // 240))
        pygame.draw.circle(surface, BALL_SHINE, (x - radius // 3, y - radius // 3), max(2, radius // 5))
        if state.grip_s > 0.0 and not lifted:
            ring = pygame.Rect(0, 0, 2 * radius + height // 30, 2 * radius + height // 30)
            ring.center = (x, y)
            end = math.pi / 2 + 2 * math.pi * state.grip_fraction
            pygame.draw.arc(surface, GOOD, ring, math.pi / 2, end, width=max(4, height // 100))

    @staticmethod
    def _draw_hand(surface: pygame.Surface, state: GraspLevelState, where: tuple[float, float]) -> None:
        """The hand: an open ring with five fingertips, or closed: a thick ring (around the ball when carried)."""
        height = surface.get_height()
        x, y = _px(where, surface.get_size())
        radius = max(8, height // 40)
        if state.hand.closed and state.phase is Phase.CARRYING:  # the hand wrapped round the ball it holds
            radius = round(state.params.object_radius_norm * height) + max(3, height // 200)
            pygame.draw.circle(surface, CURSOR, (x, y), radius, width=max(4, height // 110))
            return
        if state.hand.closed:  # a fist: a thick ring
            pygame.draw.circle(surface, CURSOR, (x, y), radius, width=max(5, radius // 2))
            return
        pygame.draw.circle(surface, CURSOR, (x, y), radius, width=max(3, radius // 4))
        for index in range(5):  # fingertips spread over the top half: an open hand
            angle = math.radians(200 + 35 * index)
            tip = (x + round(1.6 * radius * math.cos(angle)), y + round(1.6 * radius * math.sin(angle)))
            pygame.draw.circle(surface, CURSOR, tip, max(3, radius // 4))

    def _draw_rest(self, surface: pygame.Surface, view: LevelView, state: GraspLevelState) -> None:
        theme = view.theme
        width, height = surface.get_size()
        # The movement's stars and words are the level scene's card (game/scenes/level.py), not repeated here.
        draw_text(surface, rest_message(state), theme.heading, TEXT, centre_x=width // 2, top_y=int(height * 0.42))

    def _draw_strip(self, surface: pygame.Surface, theme: Theme, state: GraspLevelState) -> None:
        """The strip under the status bar: the instruction, and the hand gauge at its right."""
        width = surface.get_width()
        strip = pygame.Rect(0, status_bar_height_px(theme), width, strip_height_px(theme))
        gauge = pygame.Rect(0, 0, round(width * GAUGE_WIDTH_FRACTION), strip.height)
        gauge.topright = strip.topright
        text_width = width - gauge.width
        words = theme.body.render(instruction(state), True, TEXT)
        if words.get_width() > text_width:
            words = theme.small.render(instruction(state), True, TEXT)
        surface.blit(words, words.get_rect(center=(text_width // 2, strip.centery)))
        self._draw_gauge(surface, theme, state, gauge)

    @staticmethod
    def _draw_gauge(surface: pygame.Surface, theme: Theme, state: GraspLevelState, box: pygame.Rect) -> None:
        """The hand as the level sees it: an icon and "Hand open" or "Hand closed"; with the camera, a bar of how
        open the hand is, with marks where it counts as closed and as open again."""
        panel = box.inflate(-box.height // 6, -box.height // 6)
        pygame.draw.rect(surface, PANEL, panel, border_radius=panel.height // 4)
        icon_radius = panel.height // 4
        icon = (panel.left + panel.height // 2, panel.centery)
        if state.hand.closed:
            pygame.draw.circle(surface, CURSOR, icon, icon_radius)
        else:
            pygame.draw.circle(surface, CURSOR, icon, icon_radius, width=max(2, icon_radius // 3))
        label = theme.small.render("Hand closed" if state.hand.closed else "Hand open", True, TEXT)
        left = panel.left + panel.height
        aperture = state.hand.aperture
        if aperture is None:
            surface.blit(label, label.get_rect(midleft=(left, panel.centery)))
            return
        surface.blit(label, label.get_rect(bottomleft=(left, panel.centery + panel.height // 8)))
        bar = pygame.Rect(left, panel.centery + panel.height // 5, panel.right - left - panel.height // 4, 0)
        bar.height = max(4, panel.height // 8)
        pygame.draw.rect(surface, BACKGROUND, bar, border_radius=bar.height // 2)
        filled = bar.copy()
        filled.width = max(1, round(bar.width * min(max(aperture, 0.0), 1.0)))
        pygame.draw.rect(surface, ACCENT, filled, border_radius=bar.height // 2)
        for threshold in (state.params.close_below_aperture, state.params.open_above_aperture):
            x = bar.left + round(bar.width * threshold)
            pygame.draw.line(surface, TEXT_SOFT, (x, bar.top - 3), (x, bar.bottom + 2), width=2)
