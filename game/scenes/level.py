"""The level scene, one for every family: steps the family's pure rules (:mod:`levels.families`), draws through
the family's renderer (:mod:`game.renderers`), and keeps each trial's raw tracked samples for movement analysis.
While the level's effector is not seen (or the game is paused) the level clock stops and a clear message says why.

Movement feedback for every family: while a trial runs, a live steadiness gauge and a gentle mark for each break as
it happens (:class:`tracking.online_breaks.OnlineBreakDetector`, fed every tracked frame; the mark is drawn in the
frame that revealed the break). After each measured trial its stars and plain words show for their reading time
(:func:`levels.feedback.reading_time_s`, about 3 s for two lines): the level holds (its rules' time stands still)
for what that needs beyond the level's own rest between trials (``inter_trial_pause_s``), so that the rest lasts as
long as its text needs. Words for the patient between two trials (a rest suggested when the breaks rise:
:meth:`LevelScene.show_notice`, called by the session flow as the trial ends) show under the card in heading type,
and the level holds for their reading time the same way. A hand
level whose state has a ``target`` (screen 0..1) has its breaks judged against it: the target is mapped back to
image pixels through the calibration's reach range (mirrored, as the cursor is mapped), the trial's start is the
hand where it was when the target appeared. The analysis follows the level's own effector as its rules set it
(``state.progress.clock.effector``: a hand hold measures the hand, the assessment's head steps the head), not the
family's default. A renderer that does not score trials (``shows_trial_card`` off: the assessment) shows no card and
the level does not hold for one.

The rules see the level with its ``models`` narrowed to the tracking models actually running (``--models``), so a
step that needs a model that is not running is skipped, not waited for. The mouse stands in for every model.

Pause (P, Escape or the Pause button) asks, in plain words, why the patient paused: "Just a break", "It hurts" or
"I'm tired", each a button chosen by a click, by holding the hand (or pointer) on it
(:class:`game.scenes.buttons.DwellButtons`) or by its key (1, 2, 3). The answer is kept in
:attr:`LevelScene.pause_reasons` (one reason code a pause that was answered: ``"break"``, ``"pain"`` or ``"tired"``)
for the records, and a kind reply shows. Pain sets :attr:`LevelScene.paused_for_pain` for the rest of the scene, so
that the difficulty is never raised after it, and asks the patient to stop, rest and tell their therapist. P or
Escape (or the Resume button) goes on as before.

A video or recording starts when the level is shown. When the source ends (a file played to its end, a camera
unplugged, a bad line in a recording), whenever that happened, the level goes to the results and says why: it
never waits for a hand that cannot come."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

import pygame

from game.input_source import InputKind
from game.preview import draw_preview, latest_preview, wants_preview
from game.renderers import renderer_for
from game.renderers.base import MARK_SHOW_S, LevelView, draw_feedback_card, draw_live_feedback
from game.scenes import source_choices
from game.scenes.base import BaseScene, GameContext
from game.scenes.buttons import BUTTON_DWELL_S, ButtonNorm, DwellButtons, draw_dwell_button, row_of_buttons
from game.scenes.routes import EXIT, AppExit, Route, ToResults
from game.sound import step_cues
from game.texts import (
    CAMERA_WAITING_TITLE,
    MOUSE_NOTE,
    PAUSE_ANSWERS,
    PAUSE_HOW_TO_ANSWER,
    PAUSE_QUESTION,
    PAUSED_MESSAGE,
    PAUSED_TITLE,
    not_seen_message,
    waiting_title,
)
from game.theme import BACKGROUND, NOTICE, TEXT, TEXT_SOFT, Theme, draw_cursor, draw_text
from game.tracking_input import camera_waiting, hold_source, source_end, start_source
from levels.events import (
    Clicked,
    Command,
    CommandIssued,
    CursorMoved,
    InputEvent,
    SourceEnded,
    TrackedFrame,
    clicks_in,
    commands_in,
    digits_in,
)
from levels.families import family_for
from levels.feedback import TrialFeedback, analyze_trial, reading_time_s
from levels.head.personal import for_patient
from levels.schema import LevelFile
from levels.trial import LevelState, Outcome, TrialResult
from tracking.calibration import ReachRange
from tracking.online_breaks import OnlineBreakDetector
from tracking.quality_types import QualityParams
from tracking.types import Effector, TrackedSample, TrackingModel

# The samples kept for a trial's movement analysis span at most this long (seconds): longer than any trial's time
# limit and its rest before it, so only a trial that cannot end (its effector never seen: a hold level played
# with the hand alone in the picture) loses its oldest samples, and memory stays bounded over a long session.
MAX_TRIAL_SAMPLES_S = 180.0
# Until the level's effector is first seen in a trial, only this many seconds of samples are kept (seconds): the
# rest before the movement that segmentation needs (movements run rest to rest, rest lasting 0.5 s) with a wide
# margin; a level waiting for a face that never comes keeps no more.
UNSEEN_SAMPLES_KEPT_S = 10.0
# How opaque the veil over a paused level is (0-255): the level shows through, the message reads clearly.
VEIL_ALPHA = 215
# Where the last trial's stars and words are drawn while they are read (fraction of the window height from the top):
# below the reach level's rest message (at 45%).
FEEDBACK_CARD_TOP = 0.56
# The live camera preview of a set-up step starts this far down (fraction of the window height), centred: below the
# step's words and hints, above its progress bar.
PREVIEW_TOP_FRACTION = 0.55


@dataclass(frozen=True)
class PauseReason:
    """One answer to "Why did you pause?": its code (kept in the records), its button's label, the kind reply."""

    code: str
    label: str
    reply: str


PAIN = "pain"
# The answers, in the order of their buttons (left to right); their words are in game.texts.
PAUSE_REASONS: tuple[PauseReason, ...] = tuple(PauseReason(code, label, reply) for code, label, reply in PAUSE_ANSWERS)

# Where the pause screen's parts sit (fractions of the window height): the title, the question, the row of answers
# (its centre and height: a large target to hold the hand on), the reply below them.
PAUSE_TITLE_TOP = 0.17
PAUSE_BUTTONS_CENTRE = 0.48
PAUSE_BUTTONS_HEIGHT = 0.11
PAUSE_REPLY_GAP = 0.04


def pause_buttons_norm() -> list[ButtonNorm]:
    """The answers' buttons on the pause screen, side by side (window fractions, as :data:`PAUSE_REASONS`)."""
    return row_of_buttons(len(PAUSE_REASONS), centre_y=PAUSE_BUTTONS_CENTRE, height=PAUSE_BUTTONS_HEIGHT)


def effector_position(sample: TrackedSample, effector: Effector, size_px: tuple[int, int]) -> tuple[float, ...] | None:
    """Return the effector's position in ``sample`` in its analysis units: the palm centre in image pixels of a
    ``size_px`` image for the hand, (yaw, pitch, roll) degrees for the head; ``None`` when it is not tracked."""
    signals = sample.signals
    if effector is Effector.HAND:
        if signals.cursor_norm is None:
            return None
        return (signals.cursor_norm[0] * size_px[0], signals.cursor_norm[1] * size_px[1])
    head = signals.head
    return None if head is None else (head.yaw_deg, head.pitch_deg, head.roll_deg)


def level_for_models(level: LevelFile, running: frozenset[TrackingModel]) -> LevelFile:
    """Return ``level`` with its ``models`` narrowed to the ``running`` ones (a copy, only when that changes them).

    The rules know only the level file's models; with ``--models hands`` a step needing the face must be skipped,
    not waited for.
    """
    kept = tuple(model for model in level.models if model in running)
    return level if kept == tuple(level.models) else level.model_copy(update={"models": kept})


def screen_to_image_px(
    screen_norm: Sequence[float], reach: ReachRange, size_px: tuple[int, int]
) -> tuple[float, float]:
    """Return the image pixel whose palm centre the mirrored reach mapping
    (:meth:`tracking.calibration.ReachRange.to_screen_norm`) sends to ``screen_norm``."""
    x_norm = reach.x_min_norm + (1.0 - screen_norm[0]) * (reach.x_max_norm - reach.x_min_norm)
    y_norm = reach.y_min_norm + screen_norm[1] * (reach.y_max_norm - reach.y_min_norm)
    return (x_norm * size_px[0], y_norm * size_px[1])


class LevelScene(BaseScene):
    name = "level"

    def __init__(self, context: GameContext) -> None:
        self.context = context
        self.family = family_for(context.level.kind)
        self.renderer = renderer_for(context.level.kind)
        screen = self.renderer.screen_shape(context.screen_size_px, context.theme)
        self.mouse = context.input_source.kind is InputKind.MOUSE  # it stands in for every model, the head too
        level = self.playable(context.level)
        self.state: LevelState = self.family.start(level, screen, context.input_source.seen)
        self.trial_samples: deque[TrackedSample] = deque()
        self.trial_effector_seen = False  # whether the trial's samples have shown its effector yet
        self.feedback: list[TrialFeedback] = []
        self.end_message: str | None = None
        context.report.level_state = self.state
        self.now_s = 0.0  # scene time: the age of live marks
        self.live: OnlineBreakDetector | None = None
        self.live_target: tuple[float, float] | None = None  # the screen target the live detector judges against
        self.trial_start: tuple[float, ...] | None = None  # where the effector was when the trial's target appeared
        self.last_position: tuple[float, ...] | None = None
        self.mark_times_s: list[float] = []
        self.reading_left_s = 0.0  # the last trial's feedback shows this much longer
        self.hold_left_s = 0.0  # the level holds (its rules' time stands still) this much longer, to read it
        self.notice: str | None = None  # words for the patient between trials (a suggested rest), under the card
        self.notice_left_s = 0.0  # the notice shows this much longer
        # Why the patient paused: one reason code a pause that was answered (PAUSE_REASONS), for the records.
        self.pause_reasons: list[str] = []
        # The patient paused for pain at least once in this scene: the difficulty is never raised after it.
        self.paused_for_pain = False
        self.pause_answer: PauseReason | None = None  # the answer given in the pause now showing
        self.pointer: tuple[float, float] | None = context.cursor_norm  # the hand's cursor or the mouse pointer
        self.answer_buttons = DwellButtons(self.pointer)

    def playable(self, level: LevelFile) -> LevelFile:
        """Return ``level`` as this scene plays it: its models narrowed to those running (not for the mouse, which
        stands in for all), and a head level fitted to the patient's own measured range of motion (their newest
        assessment: :func:`levels.head.personal.for_patient`)."""
        narrowed = level if self.mouse else level_for_models(level, self.context.models)
        return for_patient(narrowed, self.context.store.data_dir, self.context.patient)

    def on_show(self) -> None:
        start_source(self.context.input_source)

    def on_hide(self) -> None:
        """Leave the source running: a level left while paused (Stop) does not keep its video paused."""
        if self.state.progress.clock.paused:
            hold_source(self.context.input_source, False)

    def update(self, events: list[InputEvent], dt_s: float) -> Route | AppExit | None:
        if Command.QUIT in commands_in(events):
            return EXIT
        before = self.state
        progress = self.state.progress
        end = source_end(self.context.input_source)
        if end is not None and self.end_message is None and not any(isinstance(e, SourceEnded) for e in events):
            # The source ended while another screen showed, or its one event went elsewhere: end here too.
            events = [*events, SourceEnded(progress.clock.elapsed_s, end.message)]
        for event in events:
            if isinstance(event, SourceEnded):
                self.end_message = event.message or "The video or recording ended before the level was over."
            elif isinstance(event, TrackedFrame):
                # From the end of the previous trial: the rest before the movement is part of the movement's
                # "rest to rest" that segmentation needs.
                self._keep_sample(event.sample)
                self._follow_live(event.sample)
            elif isinstance(event, CursorMoved):
                self.pointer = (event.x_norm, event.y_norm)
        self.now_s += dt_s
        if progress.clock.paused:
            events = self._answer_pause(events, dt_s)
        holding = self.hold_left_s > 0.0
        # While the feedback is read the rules' time stands still (the input still reaches them)
        self.state = self.family.step(self.state, events, 0.0 if holding else dt_s)
        if self.state.progress.clock.paused != progress.clock.paused:  # the player paused or resumed: so does a file
            hold_source(self.context.input_source, self.state.progress.clock.paused)
            # A new pause asks afresh; a hand already resting on an answer must leave it before a hold counts.
            self.pause_answer, self.answer_buttons = None, DwellButtons(self.pointer)
        if not self.state.progress.frozen:
            self.hold_left_s = max(0.0, self.hold_left_s - dt_s)
            self.reading_left_s = max(0.0, self.reading_left_s - dt_s)
            self.notice_left_s = max(0.0, self.notice_left_s - dt_s)
            if self.notice_left_s == 0.0:
                self.notice = None
        self.context.report.level_state = self.state
        self.context.sound.play_all(step_cues(before, self.state))
        self._update_live_target()
        if len(self.state.progress.results) > len(progress.results):
            self._trials_ended(self.state.progress.results[len(progress.results) :], progress.clock.effector)
        if self.state.progress.finished:
            return ToResults(self.state, tuple(self.feedback), note=self.end_message)
        return None

    def show_notice(self, text: str, seconds: float | None = None) -> None:
        """Show ``text`` to the patient between two trials (a suggested rest), under the last trial's card.

        It shows for ``seconds``, by default for the reading time of the card's words and ``text`` together
        (:func:`levels.feedback.reading_time_s`); the level holds for it as for the card (its rules' time stands
        still for what that needs beyond the level's own rest between trials), then the notice clears.
        """
        card = self._card_lines() if self.reading_left_s > 0.0 else ()
        shown_s = reading_time_s((*card, text)) if seconds is None else max(0.0, seconds)
        self.notice, self.notice_left_s = text, shown_s
        self.reading_left_s = max(self.reading_left_s, shown_s)  # the card stays with it
        self.hold_left_s = max(self.hold_left_s, shown_s - self._family_rest_s())

    def _card_lines(self) -> tuple[str, ...]:
        """Return the last trial's card words as they show (none without a card or a trial)."""
        if not self.feedback or not self.renderer.shows_trial_card:
            return ()
        previous = self.feedback[-2] if len(self.feedback) > 1 else None
        return tuple(self.feedback[-1].lines(previous, noun=self._noun()))

    def answer_pause(self, code: str) -> None:
        """Keep ``code`` (a :data:`PAUSE_REASONS` code) as the answer of the pause now showing.

        A changed answer within the same pause replaces the first one; pain, once said, stays said for the scene.
        """
        reason = next(reason for reason in PAUSE_REASONS if reason.code == code)
        if self.pause_answer is None:
            self.pause_reasons.append(code)
        else:
            self.pause_reasons[-1] = code
        self.pause_answer = reason
        if code == PAIN:
            self.paused_for_pain = True

    def _answer_pause(self, events: list[InputEvent], dt_s: float) -> list[InputEvent]:
        """Follow the pointer over the answers' buttons; return ``events`` without a click that chose one."""
        keyed = [int(digit) - 1 for digit in digits_in(events) if 1 <= int(digit) <= len(PAUSE_REASONS)]
        if keyed:  # 1, 2 or 3: the answer in that place, left to right
            self.answer_pause(PAUSE_REASONS[keyed[-1]].code)
            return events
        for point in clicks_in(events):  # a click answers where it was
            self.pointer = point
        buttons = pause_buttons_norm()
        clicked = any(isinstance(e, Clicked) for e in events)  # the mouse: a deliberate press where it was
        # Space or Enter answers the button under the pointer only once the pointer has come onto it in this pause:
        # a hand resting where "It hurts" appeared must not say so (the records and the therapist take it as pain).
        confirmed = any(
            isinstance(e, CommandIssued) and e.command is Command.CONFIRM and not isinstance(e, Clicked) for e in events
        ) and self.answer_buttons.armed_under(self.pointer, buttons)
        pressed = self.answer_buttons.update(self.pointer, buttons, clicked or confirmed, dt_s)
        if pressed is None:
            return events
        self.answer_pause(PAUSE_REASONS[pressed].code)
        return [e for e in events if not (isinstance(e, CommandIssued) and e.command is Command.CONFIRM)]

    def _trials_ended(self, results: Sequence[TrialResult], effector: Effector) -> None:
        """Keep one feedback per new result: the trial played (moved by ``effector``, the level's effector while it
        ran) is analysed; a step skipped right after it in the same update was not played."""
        played, *skipped = results
        previous = self.feedback[-1] if self.feedback else None
        feedback = self._trial_feedback(played, effector)
        self.feedback.append(feedback)
        self.feedback.extend(TrialFeedback(None, None, _skip_note(result)) for result in skipped)
        self.trial_samples = deque()
        self.trial_effector_seen = False  # the new trial's samples have not shown its effector yet
        self.live, self.live_target, self.trial_start = None, None, None
        if not self.renderer.shows_trial_card:
            return
        self.reading_left_s = reading_time_s(feedback.lines(previous, noun=self._noun()))
        self.hold_left_s = max(0.0, self.reading_left_s - self._family_rest_s())

    def _keep_sample(self, sample: TrackedSample) -> None:
        """Keep ``sample`` for the trial's analysis, forgetting those more than :data:`MAX_TRIAL_SAMPLES_S` older, or
        :data:`UNSEEN_SAMPLES_KEPT_S` while the trial has not seen its effector yet (a trial that never ends, its
        effector never seen, must not fill the memory)."""
        self.trial_samples.append(sample)
        newest_s = sample.signals.t_s
        size_px = self._size_px() or (1, 1)
        seen_now = effector_position(sample, self._effector(), size_px) is not None
        self.trial_effector_seen = self.trial_effector_seen or seen_now
        kept_s = MAX_TRIAL_SAMPLES_S if self.trial_effector_seen else UNSEEN_SAMPLES_KEPT_S
        while newest_s - self.trial_samples[0].signals.t_s > kept_s:
            self.trial_samples.popleft()

    def _effector(self) -> Effector:
        """Return what moves the level now, as its rules say (a hand hold: the hand; an assessment step: its own)."""
        return self.state.progress.clock.effector

    def _noun(self) -> str:
        """Return what the feedback words call a trial's movement ("reach" for the reach level)."""
        return "reach" if self.context.level.kind == "reach" else "movement"

    def _family_rest_s(self) -> float:
        """Return the rest the level's rules give between trials anyway: its file's ``inter_trial_pause_s``, if any.

        The hold adds only what reading needs beyond it: the whole rest lasts as long as the reading, or as the
        level's own pause when that is longer.
        """
        pause_s = getattr(self.context.level, "inter_trial_pause_s", 0.0)
        return float(pause_s) if isinstance(pause_s, (int, float)) else 0.0

    def _size_px(self) -> tuple[int, int] | None:
        info = self.context.source_info
        return None if info is None else (info.width_px, info.height_px)

    def _reach_range(self) -> ReachRange:
        calibration = self.context.calibration
        return ReachRange.whole_image() if calibration is None else calibration.reach

    def _screen_target(self) -> tuple[float, float] | None:
        """Return the trial's target (screen 0..1) when the family's state shows one for the hand, else None."""
        target = getattr(self.state, "target", None)
        if self._effector() is not Effector.HAND or not isinstance(target, tuple) or len(target) != 2:
            return None
        return (float(target[0]), float(target[1]))

    def _update_live_target(self) -> None:
        """Start the live detector for a new target (or, for a family without targets, for each trial)."""
        size_px = self._size_px()
        if size_px is None or self.context.input_source.kind is InputKind.MOUSE:
            return
        has_targets = hasattr(self.state, "target")
        target = self._screen_target()
        if has_targets and target == self.live_target:
            return
        if not has_targets and self.live is not None:
            return
        self.live_target, self.live = target, None
        if has_targets and target is None:
            return  # resting between targets: nothing to mark
        params = QualityParams()
        effector = self._effector()
        hand = effector is Effector.HAND
        least = params.min_hand_amplitude_norm * size_px[0] if hand else params.min_head_amplitude_deg
        image_target = None if target is None else screen_to_image_px(target, self._reach_range(), size_px)
        self.trial_start = self.last_position
        self.live = OnlineBreakDetector(effector, least_amplitude=least, start=self.trial_start, target=image_target)

    def _follow_live(self, sample: TrackedSample) -> None:
        size_px = self._size_px()
        if size_px is None:
            return
        position = effector_position(sample, self._effector(), size_px)
        if position is not None:
            self.last_position = position
        if self.live is not None and self.live.push(sample.signals.t_s, position):
            self.mark_times_s = [at_s for at_s in self.mark_times_s if self.now_s - at_s < MARK_SHOW_S]
            self.mark_times_s.append(self.now_s)

    def _trial_feedback(self, result: TrialResult, effector: Effector) -> TrialFeedback:
        info = self.context.source_info
        if result.outcome is Outcome.SKIPPED:
            return TrialFeedback(None, None, _skip_note(result))
        if self.context.input_source.kind is InputKind.MOUSE or info is None:
            return TrialFeedback(None, None, MOUSE_NOTE)
        target = None
        if effector is Effector.HAND and {"target_x_norm", "target_y_norm"} <= set(result.params):
            screen = (float(result.params["target_x_norm"]), float(result.params["target_y_norm"]))
            target = screen_to_image_px(screen, self._reach_range(), (info.width_px, info.height_px))
        return analyze_trial(
            list(self.trial_samples),
            effector=effector,
            width_px=info.width_px,
            height_px=info.height_px,
            start=self.trial_start if target is not None else None,
            target=target,
            goal_met=result.outcome is Outcome.HIT,  # a completed trial keeps at least one star
        )

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(BACKGROUND)
        view = LevelView(self.state, tuple(self.feedback), self.context.theme, simulated_head=self.mouse)
        self.renderer.draw(surface, view)
        if wants_preview(self.state):  # a set-up step: the patient sees how they are placed
            top_y = round(surface.get_height() * PREVIEW_TOP_FRACTION)
            preview = latest_preview(self.context.input_source)
            draw_preview(
                surface,
                preview,
                self.context.theme,
                top_y=top_y,
                centre_x=surface.get_width() // 2,
                label=source_choices.preview_label(self.context),
            )
        self._draw_feedback(surface)
        clock = self.state.progress.clock
        if clock.paused:
            self._draw_pause(surface)
        elif not clock.effector_seen:
            lost = camera_waiting(self.context.input_source)  # the camera stopped: it is reopened every second
            title = CAMERA_WAITING_TITLE if lost else waiting_title(clock.effector)
            self._draw_veil(surface, title, lost or not_seen_message(clock.effector))

    def _draw_feedback(self, surface: pygame.Surface) -> None:
        """The last trial's stars and words while they are read; the live gauge and marks while a trial runs."""
        theme = self.context.theme
        y = round(surface.get_height() * FEEDBACK_CARD_TOP)
        if self.reading_left_s > 0.0 and self.feedback and self.renderer.shows_trial_card:
            y = draw_feedback_card(surface, theme, stars=self.feedback[-1].stars, lines=self._card_lines(), top_y=y)
        if self.notice is not None and self.notice_left_s > 0.0:
            self._draw_notice(surface, self.notice, top_y=y + surface.get_height() // 60)
        if self.live is None:
            return
        ages_s = [self.now_s - at_s for at_s in self.mark_times_s if self.now_s - at_s < MARK_SHOW_S]
        cursor = getattr(self.state, "cursor", None)
        at_norm = cursor if isinstance(cursor, tuple) and len(cursor) == 2 else None
        draw_live_feedback(surface, theme, steadiness=self.live.steadiness, mark_ages_s=ages_s, mark_at_norm=at_norm)

    def _draw_notice(self, surface: pygame.Surface, text: str, *, top_y: int) -> int:
        """Draw a notice between trials in heading type (readable from 1-2 m), centred and wrapped; return the y
        below it."""
        width = surface.get_width()
        theme = self.context.theme
        return draw_text(
            surface, text, theme.heading, NOTICE, centre_x=width // 2, top_y=top_y, width_px=int(width * 0.9)
        )

    def _draw_pause(self, surface: pygame.Surface) -> None:
        """The pause screen: the question, its answers as buttons (the one chosen filled), the reply, the keys."""
        theme = self.context.theme
        width, height = surface.get_size()
        _draw_veil_over(surface)
        y = draw_text(
            surface, PAUSED_TITLE, theme.title, NOTICE, centre_x=width // 2, top_y=round(height * PAUSE_TITLE_TOP)
        )
        draw_text(surface, PAUSE_QUESTION, theme.heading, TEXT, centre_x=width // 2, top_y=y + height // 60)
        buttons = pause_buttons_norm()
        for index, (button, reason) in enumerate(zip(buttons, PAUSE_REASONS, strict=True)):
            chosen = reason == self.pause_answer
            held_s = BUTTON_DWELL_S if chosen else self.answer_buttons.dwell_s.get(index, 0.0)
            draw_dwell_button(surface, button, reason.label, theme.body, held_s)
        y = round(height * (PAUSE_BUTTONS_CENTRE + PAUSE_BUTTONS_HEIGHT / 2 + PAUSE_REPLY_GAP))
        if self.pause_answer is not None:
            y = _draw_words(surface, theme, self.pause_answer.reply, TEXT, top_y=y) + height // 60
        else:
            y = _draw_words(surface, theme, PAUSE_HOW_TO_ANSWER, TEXT_SOFT, top_y=y) + height // 60
        _draw_words(surface, theme, PAUSED_MESSAGE, TEXT_SOFT, top_y=y)
        if self.pointer is not None:
            draw_cursor(surface, self.pointer)

    def _draw_veil(self, surface: pygame.Surface, title: str, message: str) -> None:
        theme = self.context.theme
        width, height = surface.get_size()
        _draw_veil_over(surface)
        y = draw_text(surface, title, theme.title, NOTICE, centre_x=width // 2, top_y=int(height * 0.3))
        draw_text(
            surface,
            message,
            theme.heading,
            TEXT,
            centre_x=width // 2,
            top_y=y + height // 30,
            width_px=int(width * 0.85),
        )


def _skip_note(result: TrialResult) -> str:
    """Return why a trial has no movement feedback: it was skipped (the rules' note, when they gave one)."""
    note = result.measures.get("note")
    return note if isinstance(note, str) and note else "skipped"


def _draw_veil_over(surface: pygame.Surface) -> None:
    """Dim the level under a message: it shows through, the message reads clearly."""
    veil = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    veil.fill((*BACKGROUND, VEIL_ALPHA))
    surface.blit(veil, (0, 0))


def _draw_words(surface: pygame.Surface, theme: Theme, text: str, colour: tuple[int, int, int], *, top_y: int) -> int:
    """Draw ``text`` in body type, centred and wrapped to most of the window; return the y below it."""
    width = surface.get_width()
    return draw_text(surface, text, theme.body, colour, centre_x=width // 2, top_y=top_y, width_px=int(width * 0.85))
