"""Guided calibration: the neutral head posture (when the face model runs), then the comfortable reach range.

Each step's time counts only while what it measures is seen, so a lost hand never shortens a step. The reach
range comes from :func:`game.calibration_math.reach_range_from_palms`; the result is saved for the patient and
used at once for the cursor.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

import pygame

from clinic.errors import ClinicError
from game.calibration_math import neutral_head, reach_range_from_palms
from game.input_events import (
    Command,
    InputEvent,
    SourceEnded,
    TrackedFrame,
    TrackingFound,
    TrackingLost,
    commands_in,
)
from game.scenes.base import EXIT, AppExit, BaseScene, GameContext, Scene
from game.scenes.menu import disclaimer
from game.theme import ACCENT, ACCENT_FILL, BACKGROUND, CURSOR, GOOD, NOTICE, PANEL, TEXT, draw_footer, draw_text
from tracking.calibration import Calibration
from tracking.frames import HeadAngles, TrackingModel
from tracking.quality_types import Effector

# Seconds of each step while its effector is seen: about 50 frames at 25 fps, enough for robust percentiles
# and a median, short enough to hold a posture without fatigue.
STEP_DURATION_S = 2.0
# How long the saved result stays on screen before the game goes on (Space goes on at once).
DONE_DISPLAY_S = 3.0


class Step(enum.Enum):
    HEAD = "head"
    LEFT = "left"
    RIGHT = "right"
    UP = "up"
    DOWN = "down"


INSTRUCTIONS = {
    Step.HEAD: "Hold your head still and look at the screen.",
    Step.LEFT: "Move your hand to the left, as far as is still comfortable, and hold it there.",
    Step.RIGHT: "Now move your hand to the right, as far as is comfortable, and hold it there.",
    Step.UP: "Now move your hand up, as high as is comfortable, and hold it there.",
    Step.DOWN: "Now move your hand down, as low as is comfortable, and hold it there.",
}
# Where each step's arrow points (screen fractions): a calm visual cue beside the words.
_ARROWS_NORM = {
    Step.LEFT: ((0.2, 0.62), (0.08, 0.62)),
    Step.RIGHT: ((0.8, 0.62), (0.92, 0.62)),
    Step.UP: ((0.5, 0.52), (0.5, 0.40)),
    Step.DOWN: ((0.5, 0.70), (0.5, 0.82)),
}


class Phase(enum.Enum):
    MEASURING = "measuring"
    SAVED = "saved"
    FAILED = "failed"


@dataclass(frozen=True)
class _Outcome:
    phase: Phase
    message: str


def _add_angles(a: HeadAngles | None, b: HeadAngles) -> HeadAngles:
    if a is None:
        return b
    return HeadAngles(a.yaw_deg + b.yaw_deg, a.pitch_deg + b.pitch_deg, a.roll_deg + b.roll_deg)


class CalibrationScene(BaseScene):
    name = "calibration"

    def __init__(self, context: GameContext, *, then: Callable[[], Scene | AppExit]) -> None:
        self.context = context
        self.then = then
        with_head = TrackingModel.FACE in context.models
        self.steps = [Step.HEAD] if with_head else []
        self.steps += [Step.LEFT, Step.RIGHT, Step.UP, Step.DOWN]
        self.saved_path: str | None = None
        self.source_ended = False
        self._restart()

    def _restart(self) -> None:
        self.step_index = 0
        self.step_elapsed_s = 0.0
        self.palms_norm: list[tuple[float, float]] = []
        self.heads: list[HeadAngles] = []
        self.seen = {Effector.HAND: self.context.input_source.hand_seen, Effector.HEAD: False}
        self.outcome: _Outcome | None = None
        self.outcome_shown_s = 0.0
        self.last_palm_norm: tuple[float, float] | None = None

    @property
    def step(self) -> Step | None:
        return self.steps[self.step_index] if self.step_index < len(self.steps) else None

    def update(self, events: list[InputEvent], dt_s: float) -> Scene | AppExit | None:
        commands = commands_in(events)
        if Command.QUIT in commands:
            return EXIT
        if self.outcome is not None:
            return self._after_outcome(commands, dt_s)
        for event in events:
            self._take(event)
        if self.outcome is not None:
            return None
        step = self.step
        assert step is not None
        if self.seen[Effector.HEAD if step is Step.HEAD else Effector.HAND]:
            self.step_elapsed_s += dt_s
        if self.step_elapsed_s >= STEP_DURATION_S:
            self.step_index += 1
            self.step_elapsed_s = 0.0
            if self.step is None:
                self.outcome = self._finish()
        return None

    def _take(self, event: InputEvent) -> None:
        if isinstance(event, TrackingLost | TrackingFound):
            self.seen[event.effector] = isinstance(event, TrackingFound)
        elif isinstance(event, SourceEnded):
            self.source_ended = True
            reason = event.message or "The video or recording ended"
            self.outcome = _Outcome(Phase.FAILED, f"{reason} before calibration finished: nothing was saved.")
        elif isinstance(event, TrackedFrame):
            signals = event.sample.signals
            if signals.cursor_norm is not None:
                self.last_palm_norm = signals.cursor_norm
                if self.step not in (None, Step.HEAD):
                    self.palms_norm.append(signals.cursor_norm)
            if signals.head is not None and self.step is Step.HEAD:
                self.heads.append(signals.head)

    def _finish(self) -> _Outcome:
        try:
            reach = reach_range_from_palms(self.palms_norm)
        except ValueError as error:
            return _Outcome(Phase.FAILED, f"Not enough hand positions were seen ({error}). Press Space to try again.")
        head = None
        if self.heads:
            # The tracker may already subtract an earlier neutral posture; the new one is relative to that.
            head = _add_angles(self.context.tracker_head_neutral, neutral_head(self.heads))
        calibration = Calibration(reach=reach.reach, head_neutral=head)
        try:
            path = self.context.store.save(self.context.patient, calibration)
        except ClinicError as error:
            return _Outcome(Phase.FAILED, f"The calibration could not be saved: {error}")
        self.saved_path = str(path)
        self.context.calibration = calibration
        self.context.input_source.set_reach(calibration.reach)
        widened = " Your movements were small, so a slightly larger range is used." if reach.widened else ""
        span = reach.reach
        covers = (
            f" Your comfortable reach covers {span.x_max_norm - span.x_min_norm:.0%} of the camera's width and "
            f"{span.y_max_norm - span.y_min_norm:.0%} of its height; the whole screen now maps onto it."
        )
        return _Outcome(Phase.SAVED, f"Calibration saved for {self.context.patient}.{covers}{widened}")

    def _after_outcome(self, commands: list[Command], dt_s: float) -> Scene | AppExit | None:
        assert self.outcome is not None
        self.outcome_shown_s += dt_s
        if self.outcome.phase is Phase.SAVED:
            if Command.CONFIRM in commands or self.outcome_shown_s >= DONE_DISPLAY_S:
                return self.then()
        elif Command.CONFIRM in commands and not self.source_ended:
            self._restart()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.context.theme
        width, height = surface.get_size()
        surface.fill(BACKGROUND)
        if self.outcome is not None:
            colour = GOOD if self.outcome.phase is Phase.SAVED else NOTICE
            title = "Calibration done" if self.outcome.phase is Phase.SAVED else "Calibration not finished"
            y = draw_text(surface, title, theme.title, colour, centre_x=width // 2, top_y=height // 6)
            draw_text(
                surface,
                self.outcome.message,
                theme.body,
                TEXT,
                centre_x=width // 2,
                top_y=y + height // 20,
                width_px=int(width * 0.8),
            )
            if self.outcome.phase is Phase.SAVED:
                keys = "Space: continue.   Q: quit."
            else:
                keys = "Q: quit." if self.source_ended else "Space: try again.   Q: quit."
            draw_footer(surface, theme, keys)
            return
        step = self.step
        assert step is not None
        heading = f"Calibration - step {self.step_index + 1} of {len(self.steps)}"
        y = draw_text(surface, heading, theme.heading, TEXT, centre_x=width // 2, top_y=height // 16)
        draw_text(
            surface,
            INSTRUCTIONS[step],
            theme.body,
            TEXT,
            centre_x=width // 2,
            top_y=y + height // 40,
            width_px=int(width * 0.8),
        )
        self._draw_progress(surface)
        if step in _ARROWS_NORM:
            start, end = _ARROWS_NORM[step]
            pygame.draw.line(surface, ACCENT, _px(surface, start), _px(surface, end), max(4, height // 90))
            pygame.draw.circle(surface, ACCENT, _px(surface, end), max(8, height // 45))
        needed = Effector.HEAD if step is Step.HEAD else Effector.HAND
        if not self.seen[needed]:
            what = (
                "Face not seen - look at the camera"
                if needed is Effector.HEAD
                else ("Hand not seen - move your hand into view of the camera")
            )
            draw_text(
                surface,
                what,
                theme.heading,
                NOTICE,
                centre_x=width // 2,
                top_y=int(height * 0.44),
                width_px=int(width * 0.85),
            )
        elif self.last_palm_norm is not None and step is not Step.HEAD:
            # The raw palm position, mirrored like the cursor, so the patient sees the hand is followed.
            palm = (1.0 - self.last_palm_norm[0], self.last_palm_norm[1])
            pygame.draw.circle(surface, CURSOR, _px(surface, palm), max(8, height // 40))
        draw_footer(surface, theme, disclaimer())

    def _draw_progress(self, surface: pygame.Surface) -> None:
        width, height = surface.get_size()
        bar = pygame.Rect(0, 0, int(width * 0.5), max(10, height // 36))
        bar.center = (width // 2, int(height * 0.34))
        pygame.draw.rect(surface, PANEL, bar, border_radius=bar.height // 2)
        filled = bar.copy()
        filled.width = round(bar.width * min(self.step_elapsed_s / STEP_DURATION_S, 1.0))
        if filled.width > 0:
            pygame.draw.rect(surface, ACCENT_FILL, filled, border_radius=bar.height // 2)


def _px(surface: pygame.Surface, point_norm: tuple[float, float]) -> tuple[int, int]:
    width, height = surface.get_size()
    return round(point_norm[0] * width), round(point_norm[1] * height)
