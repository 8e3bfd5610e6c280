"""Faults in a level (issue 9): the camera unplugged mid-level, and the patient's hand leaving the picture.

The camera case runs the real live camera tracker (tracking.live) over a scripted camera that stops delivering and
comes back; the level, the input and the tracker share the test's simulated clock. The hand reaches each target
along a 1 s minimum-jerk path; its own time stands still while it is not seen, so it comes back where it left.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pygame
import pytest

from game.scenes.base import GameContext
from game.scenes.level import LevelScene
from game.texts import CAMERA_WAITING_MESSAGE, CAMERA_WAITING_TITLE
from game.tracking_input import TRACKING_GRACE_S, TrackingInput, camera_waiting, source_end
from levels.events import InputEvent, TrackedFrame
from levels.reach.rules import Phase, ReachState
from levels.trial import Outcome
from tests.support.camera_faults import STUCK_AFTER_S, ScriptedLandmarkCamera, wait_until
from tests.support.game_contexts import reach_context
from tests.support.game_inputs import FakeTracker, hand_at, hand_sample, sample
from tracking.calibration import ReachRange
from tracking.live import CAMERA_RETRY_INTERVAL_S, track_live
from tracking.types import LandmarkFrame, TrackingModel

SIZE_PX = (960, 540)
STEP_S = 1.0 / 60.0
FRAME_EVERY = 2  # a 30 fps camera under a 60 fps game
MOVE_S = 1.0
LOSS_S = 5.0  # how long the camera (or the hand) is away
AWAY_AT_S = 0.4  # into the reach (hand time) when it goes: mid-movement
HANDS = frozenset({TrackingModel.HANDS})


@pytest.fixture(autouse=True)
def surface() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


class SimClock:
    """The game's simulated clock, shared with the tracker (which reopens a lost camera on it)."""

    def __init__(self) -> None:
        self.now_s = 0.0

    def __call__(self) -> float:
        return self.now_s


def context_for(tmp_path: Path, source: TrackingInput) -> GameContext:
    context = reach_context(tmp_path, SIZE_PX, source, models=HANDS)
    context.source_info = source.tracker.info
    return context


def reach(scene: LevelScene) -> ReachState:
    assert isinstance(scene.state, ReachState)
    return scene.state


class ReachingHand:
    """A hand that reaches each target along a 1 s minimum-jerk path, resting between targets (image 0..1)."""

    def __init__(self) -> None:
        self.palm = (0.5, 0.5)
        self._start = self.palm
        self._target: tuple[float, float] | None = None
        self.moving_s = 0.0  # the hand's own time in this reach: it stands still while the hand is away

    def move(self, state: ReachState, dt_s: float) -> tuple[float, float]:
        if state.target != self._target:
            self._target, self._start, self.moving_s = state.target, self.palm, 0.0
        if state.target is not None:
            self.moving_s += dt_s
            goal = (1.0 - state.target[0], state.target[1])  # mirrored back to image coordinates
            u = min(self.moving_s / MOVE_S, 1.0)
            step = 10 * u**3 - 15 * u**4 + 6 * u**5
            self.palm = (
                self._start[0] + step * (goal[0] - self._start[0]),
                self._start[1] + step * (goal[1] - self._start[1]),
            )
        return self.palm


class CameraLevel:
    """The level scene, fed through TrackingInput by the real camera tracker over a scripted camera."""

    def __init__(self, tmp_path: Path) -> None:
        self.clock = SimClock()
        self.camera = ScriptedLandmarkCamera(self.clock)
        self.tracker = track_live(self.camera, clock=self.clock)  # type: ignore[arg-type]
        self.source = TrackingInput(self.tracker, reach=ReachRange.whole_image())
        self.context = context_for(tmp_path, self.source)
        self.scene = LevelScene(self.context)
        self.scene.on_show()
        self.hand = ReachingHand()
        self.steps = 0

    def step(self, *, present: bool) -> None:
        """One game frame; every FRAME_EVERY-th the camera delivers a picture (with the hand when ``present``)."""
        self.clock.now_s += STEP_S
        self.steps += 1
        events: list[InputEvent] = []
        if present and self.steps % FRAME_EVERY == 0:
            palm = self.hand.move(reach(self.scene), FRAME_EVERY * STEP_S)
            t_s = self.clock.now_s
            self.camera.deliver(LandmarkFrame(t_s, (hand_at(palm),)))

            def arrived() -> bool:
                events.extend(self.source.poll([], self.clock.now_s))
                return any(isinstance(e, TrackedFrame) and e.sample.frame.t_s == t_s for e in events)

            wait_until(arrived, "the camera's frame through the tracker")
        else:
            events = self.source.poll([], self.clock.now_s)
        assert self.scene.update(events, STEP_S) is None, self.scene.end_message

    def until(self, condition: Callable[[], bool], *, present: bool = True, limit_s: float = 120.0) -> None:
        for _ in range(round(limit_s / STEP_S)):
            if condition():
                return
            self.step(present=present)
        raise AssertionError("the level did not get there")

    def close(self) -> None:
        self.camera.unplug()  # wakes the reader
        self.tracker.close()


def veil_drawn(scene: LevelScene) -> tuple[str, str] | None:
    """Return the title and message of the veil the scene draws over the level now (``None``: no veil)."""
    drawn: list[tuple[str, str]] = []
    real = scene._draw_veil
    scene._draw_veil = lambda surface, title, message: drawn.append((title, message))  # type: ignore[method-assign]
    try:
        scene.draw(pygame.display.get_surface())
    finally:
        scene._draw_veil = real  # type: ignore[method-assign]
    return drawn[-1] if drawn else None


def test_an_unplugged_camera_pauses_the_level_keeps_its_trials_and_it_goes_on_when_pictures_come(
    tmp_path: Path,
) -> None:
    level = CameraLevel(tmp_path)
    scene = level.scene
    try:
        level.until(lambda: len(scene.state.progress.results) == 1 and reach(scene).target is not None)
        level.until(lambda: level.hand.moving_s >= AWAY_AT_S)  # the second reach is under way
        kept = scene.state.progress.results
        kept_feedback = tuple(scene.feedback)
        level.camera.unplug()
        wait_until(lambda: level.tracker.camera_lost, "the camera reported lost")
        assert camera_waiting(level.source) == CAMERA_WAITING_MESSAGE
        clock_at_loss_s = scene.state.progress.clock.elapsed_s
        for _ in range(round(LOSS_S / STEP_S)):
            level.step(present=False)
        wait_until(lambda: len(level.camera.reopen_times) >= 1, "an attempt to reopen the camera")
        # The level waits, with its trials: the hand is not seen, the clock stopped after the grace, nothing ended
        progress = scene.state.progress
        assert not progress.clock.effector_seen and not progress.finished
        assert progress.clock.elapsed_s - clock_at_loss_s <= TRACKING_GRACE_S + STEP_S
        assert progress.results == kept and tuple(scene.feedback) == kept_feedback
        assert source_end(level.source) is None and scene.end_message is None
        assert camera_waiting(level.source) == CAMERA_WAITING_MESSAGE
        assert veil_drawn(scene) == (CAMERA_WAITING_TITLE, CAMERA_WAITING_MESSAGE)  # the patient reads why it waits
        times = level.camera.reopen_times
        assert all(later - earlier >= CAMERA_RETRY_INTERVAL_S for earlier, later in zip(times, times[1:], strict=False))
        assert len(times) <= LOSS_S / CAMERA_RETRY_INTERVAL_S + 1
        level.camera.plug_in()
        deadline_s = time.monotonic() + STUCK_AFTER_S
        while level.tracker.camera_lost:  # the next attempt, a second of game time later at most, brings it back
            assert time.monotonic() < deadline_s, "the camera was not reopened"
            level.step(present=False)
            time.sleep(0.001)  # lets the reader look at the clock (not a timing assertion)
        assert camera_waiting(level.source) is None
        assert veil_drawn(scene) != (CAMERA_WAITING_TITLE, CAMERA_WAITING_MESSAGE)
        level.until(lambda: len(scene.state.progress.results) >= 3)
    finally:
        level.close()
    results = scene.state.progress.results
    assert results[: len(kept)] == kept  # every trial finished before the loss is still there
    across = results[len(kept)]  # the reach the camera interrupted
    assert across.outcome is Outcome.HIT  # the time away cost no timeout
    feedback = scene.feedback[len(kept)]
    assert feedback.measured and feedback.break_count == 0, feedback  # no break for the time without pictures


def test_the_hand_leaving_the_picture_mid_reach_counts_no_failure_and_no_break(tmp_path: Path) -> None:
    """Pictures keep coming but without the hand for a while, mid-reach: the level waits, and the reach is a hit
    with no break (the frames without a hand are a gap in the track, not a stop in the movement)."""
    tracker = FakeTracker()
    source = TrackingInput(tracker, reach=ReachRange.whole_image())
    context = context_for(tmp_path, source)
    scene = LevelScene(context)
    hand = ReachingHand()
    now_s = 0.0
    away_since_s: float | None = None
    away_done = False
    clock_at_leave_s = 0.0
    for index in range(round(120.0 / STEP_S)):
        now_s += STEP_S
        if index % FRAME_EVERY == 0:
            state = reach(scene)
            second_reach = len(state.progress.results) == 1 and state.phase is Phase.REACHING
            if not away_done and second_reach and hand.moving_s >= AWAY_AT_S and away_since_s is None:
                away_since_s, clock_at_leave_s = now_s, state.progress.clock.elapsed_s
            if away_since_s is not None and now_s - away_since_s >= LOSS_S:
                away_since_s, away_done = None, True
                clock_during_s = state.progress.clock.elapsed_s
                assert not state.progress.clock.effector_seen
                assert clock_during_s - clock_at_leave_s <= TRACKING_GRACE_S + STEP_S  # the level waited
            if away_since_s is None:
                tracker.queue.append(hand_sample(now_s, hand.move(state, FRAME_EVERY * STEP_S)))
            else:
                tracker.queue.append(sample(now_s, None))  # a picture without the hand
        assert scene.update(source.poll([], now_s), STEP_S) is None
        if len(scene.state.progress.results) >= 3:
            break
    results = scene.state.progress.results
    assert away_done and len(results) >= 3
    assert results[1].outcome is Outcome.HIT
    feedback = scene.feedback[1]
    assert feedback.measured and feedback.break_count == 0, feedback
