"""A camera lost while the menu or a calibration shows (issue 9, "Faults"): the game reopens it every second
(tracking.live) and the screen says so in plain words (:func:`game.tracking_input.camera_waiting`) instead of
waiting silently or saying the hand is not seen; a calibration step does not offer to skip itself meanwhile.

The tracker is a stand-in whose ``camera_lost`` the test sets; the last test runs the real live camera tracker over a
scripted camera that is unplugged."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from game.scenes.base import GameContext
from game.scenes.calibration import SKIP_OFFER_AFTER_S, CalibrationScene
from game.scenes.calibration_outcome import Phase
from game.scenes.menu import MenuScene
from game.scenes.routes import ToLevel
from game.texts import CAMERA_WAITING_MESSAGE, CAMERA_WAITING_TITLE, not_seen_message
from game.theme import BACKGROUND, NOTICE, TEXT, wrap
from game.tracking_input import TrackingInput
from tests.support.camera_faults import STUCK_AFTER_S, ScriptedLandmarkCamera, wait_until
from tests.support.game_contexts import reach_context
from tests.support.game_inputs import FakeTracker
from tests.support.game_screens import save_screenshot, shows_text
from tracking.calibration import Calibration, ReachRange
from tracking.live import track_live
from tracking.types import Effector, TrackingModel

SIZE_PX = (1280, 720)
STEP_S = 1.0 / 60.0
HANDS = frozenset({TrackingModel.HANDS})


@pytest.fixture(autouse=True)
def surface() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


class LosableTracker(FakeTracker):
    """A stand-in tracker whose camera the test loses (``camera_lost``, as tracking.live's tracker reports it)."""

    def __init__(self) -> None:
        super().__init__()
        self.camera_lost = False


def context_for(tmp_path: Path, tracker: object, *, calibration: Calibration | None = None) -> GameContext:
    source = TrackingInput(tracker, reach=ReachRange.whole_image())  # type: ignore[arg-type]
    return reach_context(tmp_path, SIZE_PX, source, calibration=calibration, models=HANDS)


def shows_lines(surface: pygame.Surface, text: str, font: pygame.font.Font, colour: tuple[int, int, int]) -> bool:
    """Whether every line of ``text``, wrapped to 90% of the window, is drawn (as the screens wrap it)."""
    lines = wrap(text, font, int(SIZE_PX[0] * 0.9))
    return all(shows_text(surface, line, font, colour, background=BACKGROUND) for line in lines)


def test_the_menu_says_the_camera_is_being_reopened(tmp_path: Path, surface: pygame.Surface) -> None:
    tracker = LosableTracker()
    context = context_for(tmp_path, tracker, calibration=Calibration(ReachRange(0.2, 0.8, 0.2, 0.8)))
    menu = MenuScene(context)
    body = context.theme.body
    start_hint = "Hold your hand on Start to begin."
    menu.draw(surface)
    assert shows_text(surface, start_hint, body, TEXT, background=BACKGROUND)
    assert not shows_lines(surface, CAMERA_WAITING_MESSAGE, body, NOTICE)

    tracker.camera_lost = True
    menu.update([], STEP_S)
    menu.draw(surface)
    assert shows_lines(surface, CAMERA_WAITING_MESSAGE, body, NOTICE)  # in body type: at least 28 px at 720p
    assert not shows_text(surface, start_hint, body, TEXT, background=BACKGROUND)
    save_screenshot(surface, tmp_path, "menu_camera_waiting")

    tracker.camera_lost = False  # the camera is back: the menu's own hint again
    menu.draw(surface)
    assert shows_text(surface, start_hint, body, TEXT, background=BACKGROUND)
    assert not shows_lines(surface, CAMERA_WAITING_MESSAGE, body, NOTICE)


def test_a_calibration_step_says_the_camera_is_being_reopened_and_offers_no_skip(
    tmp_path: Path, surface: pygame.Surface
) -> None:
    tracker = LosableTracker()
    context = context_for(tmp_path, tracker)
    scene = CalibrationScene(context, then=ToLevel())
    scene.on_show()
    theme = context.theme
    hand_not_seen = not_seen_message(Effector.HAND)

    tracker.camera_lost = True
    for _ in range(round(2 * SKIP_OFFER_AFTER_S / STEP_S)):
        scene.update([], STEP_S)
    # No pictures come: the step waits for the camera, and its time without a hand does not offer to skip it
    assert scene.outcome is None and scene.step_index == 0
    assert not scene.skip_offered and not scene.skip_available
    scene.draw(surface)
    assert shows_text(surface, CAMERA_WAITING_TITLE, theme.heading, NOTICE, background=BACKGROUND)
    assert shows_lines(surface, CAMERA_WAITING_MESSAGE, theme.body, TEXT)
    assert not shows_text(surface, hand_not_seen, theme.heading, NOTICE, background=BACKGROUND)
    save_screenshot(surface, tmp_path, "calibration_camera_waiting")

    tracker.camera_lost = False  # pictures again, but no hand in them: the step says so and offers Skip in time
    scene.draw(surface)
    assert shows_text(surface, hand_not_seen, theme.heading, NOTICE, background=BACKGROUND)
    assert not shows_text(surface, CAMERA_WAITING_TITLE, theme.heading, NOTICE, background=BACKGROUND)
    for _ in range(round(SKIP_OFFER_AFTER_S / STEP_S) + 1):
        scene.update([], STEP_S)
    assert scene.skip_offered


def test_the_calibration_outcome_says_the_camera_is_being_reopened(tmp_path: Path, surface: pygame.Surface) -> None:
    tracker = LosableTracker()
    context = context_for(tmp_path, tracker)
    scene = CalibrationScene(context, then=ToLevel())
    scene.set_outcome(Phase.RETRY, "Not enough hand positions were seen: nothing was saved.")
    body = context.theme.body
    scene.draw(surface)
    assert not shows_lines(surface, CAMERA_WAITING_MESSAGE, body, NOTICE)
    tracker.camera_lost = True
    scene.draw(surface)
    lines = wrap(CAMERA_WAITING_MESSAGE, body, int(SIZE_PX[0] * 0.85))
    assert all(shows_text(surface, line, body, NOTICE, background=BACKGROUND) for line in lines)


def test_the_real_live_tracker_unplugged_under_the_menu_is_said(tmp_path: Path, surface: pygame.Surface) -> None:
    """tracking.live's camera tracker over a scripted camera, unplugged while the menu shows, then plugged back."""
    now_s = [0.0]
    camera = ScriptedLandmarkCamera(lambda: now_s[0])
    tracker = track_live(camera, clock=lambda: now_s[0])
    try:
        context = context_for(tmp_path, tracker, calibration=Calibration(ReachRange(0.2, 0.8, 0.2, 0.8)))
        menu = MenuScene(context)
        body = context.theme.body
        camera.unplug()
        wait_until(lambda: tracker.camera_lost, "the camera reported lost")
        menu.draw(surface)
        assert shows_lines(surface, CAMERA_WAITING_MESSAGE, body, NOTICE)
        camera.plug_in()
        deadline_s = time.monotonic() + STUCK_AFTER_S
        while tracker.camera_lost:  # the next attempt, a second of the clock later at most, brings it back
            assert time.monotonic() < deadline_s, "the camera was not reopened"
            now_s[0] += STEP_S
            time.sleep(0.001)  # lets the reader look at the clock (not a timing assertion)
        assert camera.reopen_times
        menu.draw(surface)
        assert not shows_lines(surface, CAMERA_WAITING_MESSAGE, body, NOTICE)
    finally:
        camera.unplug()
        tracker.close()
