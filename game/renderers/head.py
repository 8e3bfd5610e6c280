"""The head control level's drawing: a calm neutral mark at the centre, the target filling while the head cursor
dwells on it (or the path of gates: two posts and an arrow each, the next one bright with a gentle bar of its time
left, the later ones soft), the head cursor, the rest message with the last movement's feedback, a footer that says
when the mouse stands in for the head and hints at a sensory trick where the level encourages one, and the status
bar."""

from __future__ import annotations

import pygame

from game.renderers.base import LevelView, draw_status_bar, status_bar_height_px, status_bar_shape
from game.theme import ACCENT, ACCENT_FILL, GOOD, PANEL, TEXT_SOFT, Theme, draw_cursor, draw_footer, draw_text
from levels.head.gates import Gate
from levels.head.rules import GATE_POINTS, HIT_POINTS, HeadState, Phase
from levels.screen import ScreenShape
from levels.trial import Outcome

# Said on screen while the mouse (not a camera) moves the head cursor: a design choice, so that a play with the
# mouse as a simulated head is never taken for a measure of the head (every level plays from every input).
MOUSE_HEAD_NOTE = "The mouse stands in for your head: move it to steer."
TRICK_HINT = "If it helps, rest your fingers lightly on your chin or cheek."
TRICK_NOT_NOW = "Try this one with your hands resting down."
GATES_READY = "Get ready - steer the ring through each gate, the way its arrow points"
REST_AFTER = "Rest your head in the middle"
# A gate's post, its line and its arrow, as fractions of the window height: posts as large as the head cursor's
# ring, so the opening reads at a glance from 1-2 m; the arrow a quarter of a typical opening.
POST_RADIUS_FRACTION = 1 / 45
ARROW_FRACTION = 1 / 28
# The gentle bar of the next gate's time left: this high, as a fraction of the window height, under the status bar.
TIME_BAR_FRACTION = 1 / 90


def rest_message(state: HeadState) -> str:
    """Return calm feedback on the last target (or path of gates) while the next one is coming."""
    if state.params.gates:
        return gates_rest_message(state)
    if not state.progress.results:
        return "Get ready - turn your head to steer the ring onto the circle"
    if state.progress.results[-1].outcome is Outcome.HIT:
        return f"Well done! +{HIT_POINTS}. Rest your head in the middle - the next target is coming"
    return "That one timed out - no problem. Rest your head in the middle"


def gates_rest_message(state: HeadState) -> str:
    """Return calm words on the last path of gates: every gate, some, or none passed (never "missed")."""
    if not state.progress.results:
        return GATES_READY
    last = state.progress.results[-1]
    passed, total = int(last.measures.get("gates_passed", 0)), int(last.params.get("gates_per_trial", 0))
    if total and passed == total:
        return f"Well done - through every gate! +{GATE_POINTS * passed}. {REST_AFTER}"
    if passed:
        return f"Through {passed} of {total} gates - nicely done. {REST_AFTER}"
    return f"Those gates slipped by - no problem. {REST_AFTER}"


def status_text(state: HeadState) -> str:
    """Return the status bar's words: which target, hits and score (no stopwatch: it works against a calm pace)."""
    progress = state.progress
    shown = min(state.trial_index + 1, progress.trials)
    if state.params.gates:  # the path's gates passed so far count at once (the trial adds them when it ends)
        gate = f"Gate {state.gate_index + 1} of {len(state.gates)}    " if state.current_gate is not None else ""
        passed = GATE_POINTS * sum(state.gates_passed) if state.current_gate is not None else 0
        return f"Path {shown} of {progress.trials}    {gate}Score {progress.score + passed}"
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
        if state.current_gate is not None:
            self._draw_gates(surface, state)
            self._draw_time_bar(surface, state, status_bar_height_px(theme))
        elif state.target_point is not None:
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

    @staticmethod
    def _draw_gates(surface: pygame.Surface, state: HeadState) -> None:
        """The gates of the path: those passed as green posts, then the ones to pass, the next one bright."""
        width, height = surface.get_size()
        for gate, passed in zip(state.gates, state.gates_passed, strict=False):
            if passed:
                for x, y in gate.posts(width / height):
                    centre = (round(x * width), round(y * height))
                    pygame.draw.circle(surface, GOOD, centre, max(3, round(height * POST_RADIUS_FRACTION * 0.6)))
        for number in reversed(range(state.gate_index, len(state.gates))):
            draw_gate(surface, state.gates[number], next_one=number == state.gate_index)

    @staticmethod
    def _draw_time_bar(surface: pygame.Surface, state: HeadState, top_px: int) -> None:
        """A thin bar under the status bar that empties calmly as the next gate's time runs (no numbers)."""
        width, height = surface.get_size()
        bar_px = max(4, round(height * TIME_BAR_FRACTION))
        pygame.draw.rect(surface, PANEL, pygame.Rect(0, top_px, width, bar_px))
        left_px = round(width * state.gate_time_fraction)
        if left_px > 0:
            pygame.draw.rect(surface, ACCENT_FILL, pygame.Rect((width - left_px) // 2, top_px, left_px, bar_px))


def draw_gate(surface: pygame.Surface, gate: Gate, *, next_one: bool) -> None:
    """Draw one gate: its two posts, a line between them and an arrow through its opening, the way to pass it."""
    width, height = surface.get_size()
    colour = ACCENT if next_one else PANEL
    posts = [(round(x * width), round(y * height)) for x, y in gate.posts(width / height)]
    pygame.draw.line(surface, PANEL, posts[0], posts[1], max(2, height // 240))
    radius_px = max(4, round(height * POST_RADIUS_FRACTION))
    for post in posts:
        pygame.draw.circle(surface, colour, post, radius_px)
        if not next_one:  # a soft ring, so the later gates read on the background without drawing the eye
            pygame.draw.circle(surface, ACCENT_FILL, post, radius_px, width=max(2, height // 360))
    centre = (gate.centre[0] * width, gate.centre[1] * height)
    size = height * ARROW_FRACTION
    (dx, dy), (ax, ay) = gate.direction, (-gate.direction[1], gate.direction[0])
    tip = (centre[0] + dx * size, centre[1] + dy * size)
    back = (centre[0] - dx * size * 0.4, centre[1] - dy * size * 0.4)
    wings = [(back[0] + side * ax * size * 0.7, back[1] + side * ay * size * 0.7) for side in (-1.0, 1.0)]
    pygame.draw.polygon(surface, colour, [tip, wings[0], back, wings[1]])
