"""Guided calibration: the neutral head posture (when the face model runs), then the comfortable reach range.

Each step's time counts only while what it measures is seen and, for the hand, only while the hand is where the step
asks (left of centre for "far left", the upper half for "up"... as the patient sees it, mirrored): the bar fills only
then, and a hint ("A bit further to the left") says where to go. ``play`` and ``calibrate`` use the same steps; the
head step runs only when the face model does, and not with ``--skip-head``. The head step can always be skipped (a
therapist's choice: the Skip button); any other step whose model finds nothing for :data:`SKIP_OFFER_AFTER_S` (no
hand in view) offers it too (Space, or the hand held on it; chosen by itself in headless runs after the reading
time). A small mirrored camera preview with the tracked landmarks shows the patient how they are placed. The reach
range comes from :func:`tracking.calibration.reach_range_from_palms`; the result is saved for the patient and used
at once.

A video or recording starts with the calibration. One too short to calibrate from is said so at once, and one
that ends (or a camera that stops) before the end ends the calibration: nothing is saved, and the screen offers
what can be done (:mod:`game.scenes.calibration_outcome`): play with the default range, calibrate again from the
start of the file, try the camera again, or the mouse. It never waits for a hand that cannot come. While the
camera delivers no pictures and is reopened every second (:func:`game.tracking_input.camera_waiting`), the step
says so instead of "Hand not seen", and that time does not count towards offering to skip the step.
"""

from __future__ import annotations

import enum

import pygame

from game.preview import draw_preview, latest_preview
from game.scenes import source_choices
from game.scenes.base import BaseScene, GameContext
from game.scenes.buttons import BUTTON_DWELL_S, arms, draw_dwell_button, on_button
from game.scenes.calibration_outcome import Outcome, OutcomeScreen, Phase
from game.scenes.routes import EXIT, AppExit, Next, Route
from game.texts import CAMERA_WAITING_TITLE, DISCLAIMER, not_seen_message
from game.theme import ACCENT, ACCENT_FILL, BACKGROUND, CURSOR, NOTICE, PANEL, TEXT, draw_footer, draw_text
from game.tracking_input import TrackingInput, camera_waiting, start_source
from levels.events import (
    Command,
    CursorMoved,
    InputEvent,
    SourceEnded,
    TrackedFrame,
    TrackingFound,
    TrackingLost,
    commands_in,
)
from tracking.calibration import Calibration, neutral_head, reach_range_from_palms
from tracking.errors import UserFacingError
from tracking.types import Effector, HeadAngles, TrackingModel

# Seconds of each step while its effector is seen: about 50 frames at 25 fps, enough for robust percentiles
# and a median, short enough to hold a posture without fatigue.
STEP_DURATION_S = 2.0
# A step whose face or hand has not been seen for this long offers to skip it: longer than bringing the hand or
# face into view takes once the instruction is read, so it is not offered to someone who is getting ready.
SKIP_OFFER_AFTER_S = 3.0
# A step whose hand is seen but never where the step asks for this long offers to skip it too: a patient who cannot
# reach that far (or a video whose hand never goes there) is not kept waiting; long enough that someone still
# working towards the edge, with the hint "a bit further to the left", is never interrupted.
SKIP_OFFER_OUT_OF_PLACE_S = 15.0
# The Skip button, as fractions of the window (centre x, centre y, width, height): bottom right, clear of the
# step arrows; held with the hand for BUTTON_DWELL_S like the menu's Start.
SKIP_BUTTON_NORM = (0.82, 0.80, 0.24, 0.10)
# A hand step counts only while the palm (mirrored, as the patient sees it) is beyond the centre of the image by this
# much, on the side the step asks for: a hand resting in the middle counts for no step, and a comfortable reach of
# a patient with little range (a quarter of the image from the centre) still counts easily.
STEP_CENTRE_MARGIN_NORM = 0.05
# The instructions' width (fraction of the window), clear of the camera preview in the top-right corner.
INSTRUCTION_WIDTH_FRACTION = 0.56
# A file must be this much longer than the steps' total to calibrate from: the hand is rarely in view and in
# position from the first frame, and tracking misses it now and then.
FILE_MARGIN_S = 2.0


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
# What to do when the hand is seen but not yet where the step asks (as the patient sees it, mirrored).
HINTS = {
    Step.LEFT: "A bit further to the left",
    Step.RIGHT: "A bit further to the right",
    Step.UP: "A bit higher",
    Step.DOWN: "A bit lower",
}
# Where each step's arrow points (screen fractions): a calm visual cue beside the words.
_ARROWS_NORM = {
    Step.LEFT: ((0.2, 0.62), (0.08, 0.62)),
    Step.RIGHT: ((0.8, 0.62), (0.92, 0.62)),
    Step.UP: ((0.5, 0.52), (0.5, 0.40)),
    Step.DOWN: ((0.5, 0.70), (0.5, 0.82)),
}


def in_place(step: Step, pointer_norm: tuple[float, float] | None) -> bool:
    """Whether the palm at ``pointer_norm`` (mirrored screen 0..1, as the patient sees it; ``None``: no hand) is where
    ``step`` asks: beyond the centre by :data:`STEP_CENTRE_MARGIN_NORM` on its side. The head step asks no place."""
    if step is Step.HEAD:
        return True
    if pointer_norm is None:
        return False
    x_norm, y_norm = pointer_norm
    low, high = 0.5 - STEP_CENTRE_MARGIN_NORM, 0.5 + STEP_CENTRE_MARGIN_NORM
    return {
        Step.LEFT: x_norm < low,
        Step.RIGHT: x_norm > high,
        Step.UP: y_norm < low,
        Step.DOWN: y_norm > high,
    }[step]


def _add_angles(a: HeadAngles | None, b: HeadAngles) -> HeadAngles:
    if a is None:
        return b
    return HeadAngles(a.yaw_deg + b.yaw_deg, a.pitch_deg + b.pitch_deg, a.roll_deg + b.roll_deg)


class CalibrationScene(BaseScene):
    name = "calibration"

    def __init__(self, context: GameContext, *, then: Next, check_length: bool = True) -> None:
        self.context = context
        self.then = then
        self.check_length = check_length  # False once the person chose to calibrate from a short file anyway
        with_head = TrackingModel.FACE in context.models and not context.skip_head
        self.steps = [Step.HEAD] if with_head else []
        self.steps += [Step.LEFT, Step.RIGHT, Step.UP, Step.DOWN]
        self.saved_path: str | None = None
        self.source_ended = False
        self.screen = OutcomeScreen(self)
        self._restart()

    def _restart(self) -> None:
        self.step_index = 0
        self.step_elapsed_s = 0.0
        self.palms_norm: list[tuple[float, float]] = []
        self.heads: list[HeadAngles] = []
        self.skipped: list[Step] = []
        seen_now = self.context.input_source.seen
        self.seen = {effector: effector in seen_now for effector in Effector}
        self.outcome: Outcome | None = None
        self.outcome_shown_s = 0.0
        self.last_palm_norm: tuple[float, float] | None = None
        self._new_step()

    def _new_step(self) -> None:
        self.step_elapsed_s = 0.0
        self.step_unseen_s = 0.0  # time in this step without what it measures
        self.step_out_of_place_s = 0.0  # time in this step with it seen, but not where the step asks
        self.skip_shown_s = 0.0
        self.skip_dwell_s = 0.0
        self.skip_armed = False  # a hold on Skip counts once the hand was seen off it in this step (buttons.arms)

    @property
    def step(self) -> Step | None:
        return self.steps[self.step_index] if self.step_index < len(self.steps) else None

    @property
    def needed_s(self) -> float:
        """How long a file must be to calibrate from."""
        return len(self.steps) * STEP_DURATION_S + FILE_MARGIN_S

    @property
    def skip_offered(self) -> bool:
        """Whether the step's model has found nothing for a while, or what it found stayed out of place for long:
        Skip is offered (and taken in headless runs)."""
        return self.outcome is None and (
            self.step_unseen_s >= SKIP_OFFER_AFTER_S or self.step_out_of_place_s >= SKIP_OFFER_OUT_OF_PLACE_S
        )

    @property
    def skip_available(self) -> bool:
        """Whether the Skip button shows: the head step always (a therapist may skip it), any step seeing nothing."""
        return self.outcome is None and (self.skip_offered or self.step is Step.HEAD)

    @property
    def in_place(self) -> bool:
        """Whether what the step measures is seen, and (the hand) where the step asks."""
        step = self.step
        if step is None:
            return False
        return self.seen[Effector.HEAD if step is Step.HEAD else Effector.HAND] and in_place(step, self.pointer_norm)

    @property
    def pointer_norm(self) -> tuple[float, float] | None:
        """The raw palm, mirrored like the cursor, while the hand is seen (it holds the Skip button)."""
        if self.last_palm_norm is None or not self.seen[Effector.HAND]:
            return None
        return 1.0 - self.last_palm_norm[0], self.last_palm_norm[1]

    def set_outcome(self, phase: Phase, message: str) -> None:
        self.outcome = Outcome(phase, message)
        self.outcome_shown_s = 0.0
        self.context.report.calibration_note = message

    def on_show(self) -> None:
        too_short = self._file_too_short()
        if too_short is not None:
            self.set_outcome(Phase.TOO_SHORT, too_short)
            return
        start_source(self.context.input_source)

    def start_measuring(self) -> None:
        """Measure from the first step, starting a file that has not started yet."""
        self._restart()
        start_source(self.context.input_source)

    def _file_too_short(self) -> str | None:
        source = self.context.input_source
        duration_s = self.context.source_duration_s
        if not self.check_length or not isinstance(source, TrackingInput) or source.started or duration_s is None:
            return None
        if duration_s >= self.needed_s:
            return None
        seen = "the face and the hand" if Step.HEAD in self.steps else "the hand"
        return (
            f"{source.name} is {duration_s:.1f} s long: too short to calibrate from. Calibration "
            f"needs {self.needed_s:.0f} s or more with {seen} in view ({len(self.steps)} steps of "
            f"{STEP_DURATION_S:.0f} s, and time to get into position). Nothing was saved."
        )

    def update(self, events: list[InputEvent], dt_s: float) -> Route | AppExit | None:
        commands = commands_in(events)
        if Command.QUIT in commands:
            return EXIT
        for event in events:
            self._take(event)
        self._check_source_end(events)
        if self.outcome is not None:
            self.outcome_shown_s += dt_s
            cursor = next((e for e in reversed(events) if isinstance(e, CursorMoved)), None)
            point = None if cursor is None else (cursor.x_norm, cursor.y_norm)
            return self.screen.update(commands, point, dt_s)
        self._measure(commands, dt_s)
        return None

    def _check_source_end(self, events: list[InputEvent]) -> None:
        end = source_choices.ended(self.context)
        message = end.message if end is not None else None
        for event in events:
            if isinstance(event, SourceEnded):
                message = event.message or "The video or recording ended."
        if message is None:
            return
        self.source_ended = True
        if self.outcome is None or self.outcome.phase is Phase.RETRY:
            self.set_outcome(Phase.ENDED, f"{message} The calibration was not finished: nothing was saved.")

    def _measure(self, commands: list[Command], dt_s: float) -> None:
        step = self.step
        assert step is not None
        if self.in_place:
            self.step_elapsed_s += dt_s
        elif self.seen[Effector.HEAD if step is Step.HEAD else Effector.HAND]:
            self.step_out_of_place_s += dt_s
        elif not camera_waiting(
            self.context.input_source
        ):
            self.step_unseen_s += dt_s  # not while the camera is lost: it is reopened, skipping would not help
        if self.skip_available and self._skip_chosen(commands, dt_s):
            self.skipped.append(step)
            self._next_step()
        elif self.step_elapsed_s >= STEP_DURATION_S:
            self._next_step()

    def _skip_chosen(self, commands: list[Command], dt_s: float) -> bool:
        if self.skip_offered:  # the reading time of the "nothing seen" offer, before a headless run takes it
            self.skip_shown_s += dt_s
        pointed = on_button(self.pointer_norm, SKIP_BUTTON_NORM)
        if not pointed:
            self.skip_armed = arms(self.pointer_norm, self.skip_armed)
        self.skip_dwell_s = self.skip_dwell_s + dt_s if pointed and self.skip_armed else 0.0
        auto_s = self.context.auto_start_after_s
        return (
            (Command.CONFIRM in commands and self.skip_offered)  # Space skips only what is not seen
            or self.skip_dwell_s >= BUTTON_DWELL_S
            or (auto_s is not None and self.skip_shown_s >= auto_s)
        )

    def _next_step(self) -> None:
        self.step_index += 1
        self._new_step()
        if self.step is None:
            self._finish()

    def _take(self, event: InputEvent) -> None:
        if isinstance(event, TrackingLost | TrackingFound):
            self.seen[event.effector] = isinstance(event, TrackingFound)
        elif isinstance(event, TrackedFrame) and self.outcome is None:
            signals = event.sample.signals
            if signals.cursor_norm is not None:
                self.last_palm_norm = signals.cursor_norm
                if self.step not in (None, Step.HEAD):
                    self.palms_norm.append(signals.cursor_norm)
            if signals.head is not None and self.step is Step.HEAD:
                self.heads.append(signals.head)

    def _finish(self) -> None:
        try:
            reach = reach_range_from_palms(self.palms_norm)
        except ValueError as error:
            self.set_outcome(Phase.RETRY, f"Not enough hand positions were seen ({error}): nothing was saved.")
            return
        head = self._head_neutral()
        calibration = Calibration(reach=reach.reach, head_neutral=head)
        try:
            path = self.context.store.save(self.context.patient, calibration)
        except UserFacingError as error:  # unreadable old file, read-only or full data folder: the reason is said
            self.context.report.save_error = error
            self.set_outcome(Phase.NOT_SAVED, f"The calibration could not be saved: {error}")
            return
        self.saved_path = str(path)
        self.context.calibration = calibration
        self.context.input_source.set_reach(calibration.reach)
        widened = " Your movements were small, so a slightly larger range is used." if reach.widened else ""
        span = reach.reach
        covers = (
            f" Your comfortable reach covers {span.x_max_norm - span.x_min_norm:.0%} of the camera's width and "
            f"{span.y_max_norm - span.y_min_norm:.0%} of its height; the whole screen now maps onto it."
        )
        skipped = ""
        if Step.HEAD in self.skipped:
            kept = "the earlier one is kept" if head is not None else "head angles are not calibrated"
            skipped = f" The head step was skipped: {kept}."
        self.set_outcome(Phase.SAVED, f"Calibration saved for {self.context.patient}.{covers}{widened}{skipped}")

    def _head_neutral(self) -> HeadAngles | None:
        if self.heads:
            # The tracker may already subtract an earlier neutral posture; the new one is relative to that.
            return _add_angles(self.context.tracker_head_neutral, neutral_head(self.heads))
        earlier = self.context.calibration
        return None if earlier is None else earlier.head_neutral  # the head step was skipped: keep the earlier

    def draw(self, surface: pygame.Surface) -> None:
        if self.outcome is not None:
            self.screen.draw(surface)
            return
        theme = self.context.theme
        width, height = surface.get_size()
        surface.fill(BACKGROUND)
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
            width_px=int(width * INSTRUCTION_WIDTH_FRACTION),
        )
        self._draw_progress(surface)
        if step in _ARROWS_NORM:
            start, end = _ARROWS_NORM[step]
            pygame.draw.line(surface, ACCENT, _px(surface, start), _px(surface, end), max(4, height // 90))
            pygame.draw.circle(surface, ACCENT, _px(surface, end), max(8, height // 45))
        needed = Effector.HEAD if step is Step.HEAD else Effector.HAND
        waiting = camera_waiting(self.context.input_source)  # the camera lost: it is reopened every second
        if waiting is not None:  # the step waits for the camera, not for the patient: its title, then why
            draw_text(
                surface, CAMERA_WAITING_TITLE, theme.heading, NOTICE, centre_x=width // 2, top_y=int(height * 0.44)
            )
            draw_text(
                surface,
                waiting,
                theme.body,
                TEXT,
                centre_x=width // 2,
                top_y=int(height * 0.53),
                width_px=width * 9 // 10,
            )
        elif not self.seen[needed]:
            draw_text(
                surface,
                not_seen_message(needed),
                theme.heading,
                NOTICE,
                centre_x=width // 2,
                top_y=int(height * 0.44),
                width_px=int(width * 0.85),
            )
        elif not self.in_place and step in HINTS:
            hint = HINTS[step]
            draw_text(surface, hint, theme.heading, NOTICE, centre_x=width // 2, top_y=int(height * 0.44))
        if self.skip_available:
            self._draw_skip(surface, with_hint=waiting is None)
        preview = latest_preview(self.context.input_source)
        draw_preview(surface, preview, theme, label=source_choices.preview_label(self.context))
        pointer = self.pointer_norm
        if pointer is not None and (step is not Step.HEAD or self.skip_available):
            # The raw palm position, mirrored like the cursor, so the patient sees the hand is followed.
            pygame.draw.circle(surface, CURSOR, _px(surface, pointer), max(8, height // 40))
        draw_footer(surface, theme, DISCLAIMER)

    def _draw_progress(self, surface: pygame.Surface) -> None:
        width, height = surface.get_size()
        bar = pygame.Rect(0, 0, int(width * 0.5), max(10, height // 36))
        bar.center = (width // 2, int(height * 0.34))
        pygame.draw.rect(surface, PANEL, bar, border_radius=bar.height // 2)
        filled = bar.copy()
        filled.width = round(bar.width * min(self.step_elapsed_s / STEP_DURATION_S, 1.0))
        if filled.width > 0:
            pygame.draw.rect(surface, ACCENT_FILL, filled, border_radius=bar.height // 2)

    def _draw_skip(self, surface: pygame.Surface, *, with_hint: bool = True) -> None:
        """The Skip button and (``with_hint``: not while the camera's message takes its place) how to use it."""
        theme = self.context.theme
        width, height = surface.get_size()
        draw_dwell_button(surface, SKIP_BUTTON_NORM, "Skip", theme.heading, self.skip_dwell_s)
        if not with_hint:
            return
        what = "face" if self.step is Step.HEAD else "hand"
        if self.skip_offered and self.step_unseen_s >= SKIP_OFFER_AFTER_S:
            hint = f"No {what} seen for a while: hold your hand on Skip (or press Space) to skip this step."
        elif self.skip_offered:
            hint = "That is as far as it goes today? Fine - hold your hand on Skip (or press Space) to go on."
        else:
            hint = "A therapist may skip this step: hold the hand on Skip."
        # Below the "not seen" notice, above the arrows of the left and right steps.
        draw_text(
            surface, hint, theme.body, TEXT, centre_x=width // 2, top_y=int(height * 0.53), width_px=width * 9 // 10
        )


def _px(surface: pygame.Surface, point_norm: tuple[float, float]) -> tuple[int, int]:
    width, height = surface.get_size()
    return round(point_norm[0] * width), round(point_norm[1] * height)
