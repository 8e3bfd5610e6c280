"""Mouse and keyboard as input: the same events as camera tracking, so every level works without a camera.

The mouse position is the cursor and also a simulated head: the head angles whose head cursor is at the mouse
(:func:`levels.head.rules.screen_to_head`, the default range of motion), so a head level steers with the mouse (and
says so on screen). The left button or Space closes the "hand" (grasp); a click is also a
:class:`~levels.events.Clicked` (a confirm with its place, for the buttons); the arrow keys nudge the simulated head by
:data:`HEAD_NUDGE_DEG`. The mouse is never lost, so no TrackingLost event is produced.
Movement analysis (smoothness, breaks) is not run for mouse input: it measures the hand, not a mouse.
"""

from __future__ import annotations

import pygame

from game.input_source import InputKind, click_at, key_commands
from levels.events import CursorMoved, GraspChanged, HeadPose, InputEvent
from levels.head.rules import screen_to_head
from tracking.calibration import ReachRange
from tracking.types import Effector, GraspState, HeadAngles

# One arrow key press turns the simulated head by this much: small enough to test a head level's thresholds.
HEAD_NUDGE_DEG = 2.0
# Left turns the simulated head to the player's left (positive yaw, tracking/head_pose.py), which moves a head
# level's cursor left on the screen, as the mouse does; up raises the chin (positive pitch).
_ARROW_NUDGES_DEG: dict[int, tuple[float, float]] = {
    pygame.K_LEFT: (HEAD_NUDGE_DEG, 0.0),
    pygame.K_RIGHT: (-HEAD_NUDGE_DEG, 0.0),
    pygame.K_UP: (0.0, HEAD_NUDGE_DEG),
    pygame.K_DOWN: (0.0, -HEAD_NUDGE_DEG),
}


class MouseInput:
    """Turns pygame mouse and keyboard events into input events for a window of ``screen_size_px``."""

    kind = InputKind.MOUSE

    def __init__(self, screen_size_px: tuple[int, int]) -> None:
        self._width_px, self._height_px = screen_size_px
        self._head = HeadAngles(0.0, 0.0, 0.0)

    @property
    def seen(self) -> frozenset[Effector]:
        """The mouse stands for the hand, the arrow keys for the head: both always seen."""
        return frozenset(Effector)

    def poll(self, pygame_events: list[pygame.event.Event], now_s: float) -> list[InputEvent]:
        events: list[InputEvent] = []
        for event in pygame_events:
            events.extend(self._translate(event, now_s))
        return events

    def _translate(self, event: pygame.event.Event, now_s: float) -> list[InputEvent]:
        if event.type == pygame.MOUSEMOTION:
            x_px, y_px = event.pos
            point = (self._clip(x_px / self._width_px), self._clip(y_px / self._height_px))
            self._head = screen_to_head(point)
            return [CursorMoved(now_s, *point), HeadPose(now_s, self._head)]
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == pygame.BUTTON_LEFT:
            size_px = (self._width_px, self._height_px)
            return [GraspChanged(now_s, GraspState.CLOSED), click_at(event.pos, size_px, now_s)]
        if event.type == pygame.MOUSEBUTTONUP and event.button == pygame.BUTTON_LEFT:
            return [GraspChanged(now_s, GraspState.OPEN)]
        if event.type == pygame.KEYUP and event.key == pygame.K_SPACE:
            return [GraspChanged(now_s, GraspState.OPEN)]
        if event.type == pygame.KEYDOWN and event.key in _ARROW_NUDGES_DEG:
            yaw_deg, pitch_deg = _ARROW_NUDGES_DEG[event.key]
            self._head = HeadAngles(self._head.yaw_deg + yaw_deg, self._head.pitch_deg + pitch_deg, 0.0)
            return [HeadPose(now_s, self._head)]
        events = key_commands([event], now_s)
        if event.type == pygame.KEYDOWN and event.key == pygame.K_SPACE:
            events.insert(0, GraspChanged(now_s, GraspState.CLOSED))
        return events

    @staticmethod
    def _clip(value: float) -> float:
        return min(max(value, 0.0), 1.0)

    def set_reach(self, reach: ReachRange) -> None:
        """The mouse maps the window directly; a reach range does not apply."""

    def close(self) -> None:
        """Nothing to release."""
