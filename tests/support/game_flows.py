"""Driving the whole game headless through ``run_session``: a simulated clock that scripted key presses ride on,
and landmark recordings of a real hand reaching a level's targets.

The simulated clock advances exactly one 1/60 s frame a tick and also waits ``real_wait_s`` of real time, so that
the live tracker's worker (paced on the same clock) keeps up with the game whatever the machine's speed: a slow
frame delays both. Key presses are posted into pygame's event queue when the clock passes their time, as a person
at the keyboard would press them.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pygame

from game.frame_clock import SimulatedFrameClock
from game.renderers import renderer_for
from game.theme import Theme
from levels.loader import load_level
from levels.reach.rules import all_targets, reach_params
from levels.reach.schema import ReachLevel
from levels.screen import ScreenShape
from tests.support.game_inputs import hand_at
from tracking.calibration import ReachRange
from tracking.recording import RecordingWriter
from tracking.types import LandmarkFrame, SourceInfo

# Real seconds each 1/60 s game frame waits: longer than the tracker worker's wait slice (5 ms), so the worker looks
# at the clock at least once a frame and publishes every recorded frame in time; the game runs ~2.8x real time.
REPLAY_WAIT_PER_FRAME_S = 0.006
# For a video through MediaPipe (16-60 ms a frame on 2 cores): one game frame per 1/60 s of real time at most, so
# that inference keeps up with the video as it does in a real run.
VIDEO_WAIT_PER_FRAME_S = 1.0 / 60.0
# The reach (normalised image coordinates) that the flows' hand recordings are calibrated to.
REACH = ReachRange(0.25, 0.75, 0.2, 0.8)
# A recorded hand rests until the first target has appeared (after the level's 1 s rest), then reaches each target in
# MOVE_S and holds it HOLD_S: longer than the dwell (0.6 s) plus the next rest (1 s), so the game always waits for it.
FIRST_MOVE_S = 1.5
MOVE_S = 0.8
HOLD_S = 1.6


@dataclass(frozen=True)
class KeyPress:
    """A key pressed when the game clock reaches ``at_s``."""

    at_s: float
    key: int


class ScriptedClock(SimulatedFrameClock):
    """Simulated time, one 1/60 s frame a tick, waiting ``real_wait_s`` real seconds a tick; posts ``keys``."""

    def __init__(self, keys: Sequence[KeyPress] = (), *, real_wait_s: float = REPLAY_WAIT_PER_FRAME_S) -> None:
        super().__init__()
        self._keys = sorted(keys, key=lambda press: press.at_s)
        self._real_wait_s = real_wait_s
        self.pressed: list[KeyPress] = []

    def tick(self) -> float:
        time.sleep(self._real_wait_s)
        frame_s = super().tick()
        while self._keys and self._keys[0].at_s <= self.now_s():
            press = self._keys.pop(0)
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=press.key, mod=0, unicode="", scancode=0))
            self.pressed.append(press)
        return frame_s


def three_target_level_toml(*, name: str, title: str, seed: int, trial_timeout_s: float = 20.0) -> str:
    """The text of a reach level of three targets (radius 0.09, dwell 0.6 s, 1 s rest), for the hands."""
    return f"""\
schema_version = 1
name = "{name}"
title = "{title}"
kind = "reach"
trials = 3
target_radius_norm = 0.09
dwell_time_s = 0.6
trial_timeout_s = {trial_timeout_s}
inter_trial_pause_s = 1.0
models = ["hands"]
seed = {seed}
"""


def level_targets(level: str | Path, window_px: tuple[int, int]) -> list[tuple[float, float]]:
    """Every target the reach level ``level`` (a catalogue name or a .toml path) shows in a window of ``window_px``:
    the play area below the status bar, as the game's renderer gives it to the rules."""
    reach_level = load_level(level)
    assert isinstance(reach_level, ReachLevel), reach_level.kind
    return all_targets(reach_params(reach_level, play_area(reach_level.kind, window_px)))


def play_area(kind: str, window_px: tuple[int, int]) -> ScreenShape:
    """The play area that the game's renderer of levels of ``kind`` gives the rules in a window of ``window_px``
    (below the status bar; pygame's fonts opened for the theme and closed again if they were not open)."""
    initialised = pygame.font.get_init()
    pygame.font.init()  # the status bar's height comes from the theme's font
    try:
        return renderer_for(kind).screen_shape(window_px, Theme.for_height(window_px[1]))
    finally:
        if not initialised:
            pygame.font.quit()


def image_point(reach: ReachRange, screen: tuple[float, float]) -> tuple[float, float]:
    """The palm position (image coordinates) that the mirrored reach mapping sends to ``screen``."""
    x = reach.x_min_norm + (1.0 - screen[0]) * (reach.x_max_norm - reach.x_min_norm)
    y = reach.y_min_norm + screen[1] * (reach.y_max_norm - reach.y_min_norm)
    return x, y


Waypoints = list[tuple[float, tuple[float, float]]]


def position(waypoints: Waypoints, t_s: float) -> tuple[float, float]:
    """Minimum-jerk (Flash and Hogan 1985) between consecutive waypoints."""
    for (t0, p0), (t1, p1) in zip(waypoints, waypoints[1:], strict=False):
        if t0 <= t_s <= t1:
            u = (t_s - t0) / (t1 - t0)
            s = 10 * u**3 - 15 * u**4 + 6 * u**5
            return p0[0] + s * (p1[0] - p0[0]), p0[1] + s * (p1[1] - p0[1])
    return waypoints[-1][1]


def reach_waypoints(
    reach: ReachRange, targets: Sequence[tuple[float, float]], *, first_move_s: float, move_s: float, hold_s: float
) -> Waypoints:
    """Rest at the screen centre until ``first_move_s``, then reach each target in ``move_s`` and hold it."""
    palm = image_point(reach, (0.5, 0.5))
    waypoints: Waypoints = [(0.0, palm), (first_move_s, palm)]
    t_s = first_move_s
    for target in targets:
        goal = image_point(reach, target)
        waypoints += [(t_s + move_s, goal), (t_s + move_s + hold_s, goal)]
        t_s += move_s + hold_s
    return waypoints


def write_hand_recording(path: Path, waypoints: Waypoints, *, fps: float, tail_s: float = 1.0) -> Path:
    """A landmark recording of a real hand following ``waypoints``, ``tail_s`` beyond the last one."""
    with RecordingWriter(path, SourceInfo(fps, 640, 360, "synthetic reach")) as writer:
        for frame_t_s in np.arange(0.0, waypoints[-1][0] + tail_s, 1.0 / fps):
            writer.write(LandmarkFrame(float(frame_t_s), (hand_at(position(waypoints, float(frame_t_s))),)))
    return path


def break_line(
    path: Path, line_number: int, text: str = '{"t": "soon", "hands": [], "pose": null, "face": null}'
) -> None:
    """Replace line ``line_number`` (1-based) of a recording with ``text`` (a malformed frame by default)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[line_number - 1] = text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
