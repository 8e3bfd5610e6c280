"""Calibration steps count only while the hand is where the step asks (as the patient sees it, mirrored), the bar
and a hint say so; the head step runs only with the face model and can be skipped; a live camera preview from a
real video shows the patient with the tracked hand."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pygame
import pytest

from game.preview import preview_rect, wants_preview
from game.scenes.base import GameContext
from game.scenes.buttons import BUTTON_DWELL_S
from game.scenes.calibration import (
    SKIP_BUTTON_NORM,
    SKIP_OFFER_OUT_OF_PLACE_S,
    STEP_CENTRE_MARGIN_NORM,
    STEP_DURATION_S,
    CalibrationScene,
    Step,
    in_place,
)
from game.scenes.level import PREVIEW_TOP_FRACTION, LevelScene
from game.scenes.routes import EXIT
from game.theme import ACCENT, ACCENT_FILL, BACKGROUND, NOTICE, PANEL
from game.tracking_input import TrackingInput
from levels.events import Command, CommandIssued, InputEvent, TrackedFrame, TrackingFound
from levels.loader import load_level
from tests.support.game_contexts import reach_context
from tests.support.game_inputs import FakeTracker, sample
from tests.support.game_screens import colour_at, shows_text
from tracking.calibration import ReachRange
from tracking.live import LiveTracker, Preview, SourceSpec, open_live_tracker
from tracking.types import Effector, HeadAngles, TrackingModel

SIZE_PX = (1280, 720)
STEP_S = 1.0 / 120.0
HANDS = frozenset({TrackingModel.HANDS})
HANDS_AND_FACE = frozenset({TrackingModel.HANDS, TrackingModel.FACE})


@pytest.fixture(autouse=True)
def surface() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


def context_for(tmp_path: Path, tracker: object, models: frozenset[TrackingModel] = HANDS) -> GameContext:
    source = TrackingInput(tracker, reach=ReachRange.whole_image(), required=frozenset(Effector))  # type: ignore[arg-type]
    return reach_context(tmp_path, SIZE_PX, source, models=models)


def drive(scene: CalibrationScene, seconds: float, events: list[InputEvent] | None = None) -> None:
    pending = list(events or [])
    for _ in range(round(seconds / STEP_S)):
        scene.update(pending, STEP_S)
        pending = []


def test_the_places_are_the_patients_mirrored_sides() -> None:
    edge = 0.5 - STEP_CENTRE_MARGIN_NORM
    assert in_place(Step.LEFT, (edge - 0.01, 0.5)) and not in_place(Step.LEFT, (edge + 0.01, 0.5))
    assert in_place(Step.RIGHT, (0.9, 0.5)) and not in_place(Step.RIGHT, (0.5, 0.5))
    assert in_place(Step.UP, (0.5, 0.1)) and not in_place(Step.UP, (0.5, 0.9))
    assert in_place(Step.DOWN, (0.5, 0.9)) and not in_place(Step.DOWN, (0.5, 0.1))
    assert not in_place(Step.LEFT, None)


def test_a_step_counts_only_while_the_hand_is_where_it_asks(tmp_path: Path, surface: pygame.Surface) -> None:
    context = context_for(tmp_path, FakeTracker())
    scene = CalibrationScene(context, then=EXIT)
    assert scene.step is Step.LEFT
    # The palm at x 0.3 of the camera image is at 0.7 of the mirrored screen: on the patient's right.
    drive(scene, STEP_DURATION_S + 0.5, [TrackingFound(0.0, Effector.HAND), TrackedFrame(0.0, sample(0.0, (0.3, 0.5)))])
    assert scene.step is Step.LEFT and scene.step_elapsed_s == 0.0 and not scene.skip_offered
    scene.draw(surface)
    theme = context.theme
    assert shows_text(surface, "A bit further to the left", theme.heading, NOTICE, background=BACKGROUND)
    assert colour_at(surface, (0.26, 0.34)) == PANEL  # the bar's left end is empty
    # Now at x 0.75 of the image: 0.25 of the screen, the patient's left. Half the step's time: half the bar.
    drive(scene, STEP_DURATION_S / 2, [TrackedFrame(0.0, sample(0.0, (0.75, 0.5)))])
    assert scene.step_elapsed_s == pytest.approx(STEP_DURATION_S / 2, abs=0.02)
    scene.draw(surface)
    pygame.image.save(surface, str(tmp_path / "calibration_in_place.png"))
    assert not shows_text(surface, "A bit further to the left", theme.heading, NOTICE, background=BACKGROUND)
    assert colour_at(surface, (0.26, 0.34)) == ACCENT_FILL and colour_at(surface, (0.74, 0.34)) == PANEL
    drive(scene, STEP_DURATION_S / 2 + 0.05)
    assert scene.step is Step.RIGHT and scene.step_elapsed_s == 0.0  # the hand on the left does not count for right


@pytest.mark.parametrize(
    ("models", "skip_head", "has_head"),
    [(HANDS, False, False), (HANDS_AND_FACE, False, True), (HANDS_AND_FACE, True, False)],
)
def test_the_head_step_runs_only_with_the_face_model_and_not_when_skipped(
    tmp_path: Path, models: frozenset[TrackingModel], skip_head: bool, has_head: bool
) -> None:
    context = context_for(tmp_path, FakeTracker(), models)
    context.skip_head = skip_head
    steps = CalibrationScene(context, then=EXIT).steps
    assert steps == ([Step.HEAD] if has_head else []) + [Step.LEFT, Step.RIGHT, Step.UP, Step.DOWN]


def test_a_therapist_skips_the_head_step_with_the_hand_while_the_face_is_seen(
    tmp_path: Path, surface: pygame.Surface
) -> None:
    context = context_for(tmp_path, FakeTracker(), HANDS_AND_FACE)
    scene = CalibrationScene(context, then=EXIT)
    palm_on_skip = (1.0 - SKIP_BUTTON_NORM[0], SKIP_BUTTON_NORM[1])  # mirrored
    seen = [TrackingFound(0.0, Effector.HAND), TrackingFound(0.0, Effector.HEAD)]
    off_skip = TrackedFrame(0.0, sample(0.0, (0.5, 0.5), head=HeadAngles(0.0, 0.0, 0.0)))
    drive(scene, 0.05, [*seen, off_skip])  # the hand comes onto Skip from off it: a resting hand presses nothing
    drive(scene, 0.2, [TrackedFrame(0.0, sample(0.0, palm_on_skip, head=HeadAngles(0.0, 0.0, 0.0)))])
    assert scene.step is Step.HEAD and scene.skip_available and not scene.skip_offered
    assert scene.skip_dwell_s > 0  # the hold on Skip has begun
    scene.draw(surface)
    pygame.image.save(surface, str(tmp_path / "calibration_head_skip.png"))
    drive(scene, BUTTON_DWELL_S)
    assert scene.step is Step.LEFT and scene.skipped == [Step.HEAD]


def assert_mirrored_preview(surface: pygame.Surface, rgb: np.ndarray, box: pygame.Rect) -> None:
    """The preview box shows ``rgb`` mirrored (the border and the landmark dots differ from it a little)."""
    height, width = rgb.shape[:2]
    drawn = pygame.transform.smoothscale(surface.subsurface(box), (width, height))
    shown = pygame.surfarray.array3d(drawn).swapaxes(0, 1).astype(float)
    mirrored_error = np.abs(shown - rgb[:, ::-1]).mean()
    unmirrored_error = np.abs(shown - rgb).mean()
    assert mirrored_error < 20 and mirrored_error < unmirrored_error / 2, (mirrored_error, unmirrored_error)


def wait_for_preview(tracker: LiveTracker, poll: Callable[[], None]) -> Preview:
    """Poll until the tracker has a preview with a hand in it."""
    deadline_s = time.monotonic() + 30.0
    while time.monotonic() < deadline_s:
        poll()
        preview = tracker.latest_preview()
        if preview is not None and preview.frame.hands:
            return preview
        time.sleep(0.01)
    raise AssertionError("no preview with a hand from the video")


def test_the_assessment_set_up_step_shows_the_preview(tmp_path: Path, surface: pygame.Surface, media_dir: Path) -> None:
    tracker = open_live_tracker(SourceSpec(path=media_dir / "hand_video.mp4"), HANDS)
    try:
        context = context_for(tmp_path, tracker)
        context.level = load_level("assessment")
        scene = LevelScene(context)
        assert wants_preview(scene.state)
        preview = wait_for_preview(tracker, lambda: scene.update(context.input_source.poll([], 0.0), STEP_S))
        scene.draw(surface)
        pygame.image.save(surface, str(tmp_path / "assessment_setup_preview.png"))
        box = preview_rect(SIZE_PX, top_y=round(720 * PREVIEW_TOP_FRACTION), centre_x=SIZE_PX[0] // 2)
        assert_mirrored_preview(surface, preview.rgb, box)
    finally:
        tracker.close()


def test_the_preview_shows_the_video_mirrored_with_the_hand(
    tmp_path: Path, surface: pygame.Surface, media_dir: Path
) -> None:
    tracker = open_live_tracker(SourceSpec(path=media_dir / "hand_video.mp4"), HANDS)
    try:
        context = context_for(tmp_path, tracker)
        scene = CalibrationScene(context, then=EXIT)
        deadline_s = time.monotonic() + 30.0
        preview = None
        while time.monotonic() < deadline_s and (preview is None or not preview.frame.hands):
            scene.update(context.input_source.poll([], time.monotonic()), STEP_S)
            preview = tracker.latest_preview()
            time.sleep(0.01)
        assert preview is not None and preview.frame.hands
        scene.draw(surface)
        pygame.image.save(surface, str(tmp_path / "calibration_preview.png"))
        assert_mirrored_preview(surface, preview.rgb, preview_rect(SIZE_PX))
        assert colour_at(surface, (0.5, 0.9)) != ACCENT  # the preview stays in its corner
    finally:
        tracker.close()


def test_a_hand_seen_but_never_where_the_step_asks_is_offered_skip_after_a_while(
    tmp_path: Path, surface: pygame.Surface
) -> None:
    """A patient who cannot reach that far (or a long video whose hand never goes there) is not kept waiting."""
    context = context_for(tmp_path, FakeTracker())
    scene = CalibrationScene(context, then=EXIT)
    # The palm at x 0.3 of the camera image is on the patient's right: never where "far left" asks.
    wrong_side = [TrackingFound(0.0, Effector.HAND), TrackedFrame(0.0, sample(0.0, (0.3, 0.5)))]
    drive(scene, SKIP_OFFER_OUT_OF_PLACE_S - 0.5, wrong_side)
    assert scene.step is Step.LEFT and not scene.skip_offered  # still working towards the edge: not interrupted
    drive(scene, 1.0)
    assert scene.step is Step.LEFT and scene.skip_offered and scene.step_elapsed_s == 0.0
    scene.draw(surface)  # the Skip button and its hint
    drive(scene, 0.1, [CommandIssued(0.0, Command.CONFIRM)])  # Space skips the step it offers to skip
    assert scene.step is Step.RIGHT and scene.skipped == [Step.LEFT]
