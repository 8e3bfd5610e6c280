"""Input mapping: tracked samples and mouse/keyboard events become the same input events."""

from __future__ import annotations

import numpy as np
import pygame
import pytest

from game import tracking_input
from game.input_source import InputKind, KeysOnlyInput, key_commands
from game.mouse_input import HEAD_NUDGE_DEG, MouseInput
from game.tracking_input import TRACKING_GRACE_S, SourceEnd, TrackingInput, TrackingOpener, source_end
from levels.events import (
    Clicked,
    Command,
    CommandIssued,
    CursorMoved,
    GraspChanged,
    HeadPose,
    SourceEnded,
    TrackedFrame,
    TrackingFound,
    TrackingLost,
)
from tests.support.game_inputs import FakeTracker, hand_at, hand_sample, sample  # noqa: F401 (hand_at: docs)
from tracking.calibration import ReachRange
from tracking.errors import RecordingFormatError
from tracking.live import SourceSpec
from tracking.one_euro import OneEuroParams
from tracking.types import Effector, GraspState, HeadAngles, TrackingModel

# A filter that passes values through (huge cutoff) isolates the mapping from the smoothing.
NO_SMOOTHING = OneEuroParams(min_cutoff_hz=1e9, beta=0.0)


def test_cursor_is_the_mirrored_reach_mapping() -> None:
    tracker = FakeTracker()
    source = TrackingInput(tracker, reach=ReachRange(0.2, 0.6, 0.1, 0.5), filter_params=NO_SMOOTHING)
    assert source.kind is InputKind.CAMERA and source.seen == frozenset()
    tracker.queue = [sample(0.0, (0.3, 0.2))]
    events = source.poll([], now_s=1.0)
    assert isinstance(events[0], TrackedFrame) and events[0].sample is not None
    assert TrackingFound(1.0, Effector.HAND) in events
    cursor = next(e for e in events if isinstance(e, CursorMoved))
    # x: (0.3 - 0.2) / 0.4 = 0.25, mirrored -> 0.75; y: (0.2 - 0.1) / 0.4 = 0.25
    assert (cursor.x_norm, cursor.y_norm) == pytest.approx((0.75, 0.25))
    assert source.seen == frozenset({Effector.HAND})


def test_cursor_is_smoothed_for_display() -> None:
    tracker = FakeTracker()
    source = TrackingInput(tracker, reach=ReachRange.whole_image())
    rng = np.random.default_rng(0)
    tracker.queue = [sample(i / 30, (0.5 + rng.normal(0, 0.01), 0.5)) for i in range(60)]
    xs = [e.x_norm for e in source.poll([], 2.0) if isinstance(e, CursorMoved)]
    raw_jitter = 0.01
    assert np.std(xs[10:]) < raw_jitter / 2  # the One Euro filter removes most jitter at rest


def test_lost_after_grace_and_found_again() -> None:
    tracker = FakeTracker()
    source = TrackingInput(tracker, reach=ReachRange.whole_image())
    tracker.queue = [sample(0.0, (0.5, 0.5))]
    source.poll([], 10.0)
    tracker.queue = [sample(0.04, None)]
    assert not any(isinstance(e, TrackingLost) for e in source.poll([], 10.0 + TRACKING_GRACE_S * 0.9))
    events = source.poll([], 10.0 + TRACKING_GRACE_S * 1.1)
    assert events == [TrackingLost(10.0 + TRACKING_GRACE_S * 1.1, Effector.HAND)]
    assert source.seen == frozenset()
    assert not any(isinstance(e, TrackingLost) for e in source.poll([], 20.0))  # reported once
    tracker.queue = [sample(1.0, (0.4, 0.4))]
    assert TrackingFound(21.0, Effector.HAND) in source.poll([], 21.0)


def test_grasp_changes_head_pose_and_end_of_source() -> None:
    tracker = FakeTracker()
    required = frozenset({Effector.HAND, Effector.HEAD})
    source = TrackingInput(tracker, reach=ReachRange.whole_image(), required=required)
    head = HeadAngles(5.0, 0.0, 0.0)
    tracker.queue = [
        sample(0.0, (0.5, 0.5), grasp_state=GraspState.OPEN, head=head),
        sample(0.04, (0.5, 0.5), grasp_state=GraspState.OPEN, head=head),
        sample(0.08, (0.5, 0.5), grasp_state=GraspState.CLOSED, head=head),
    ]
    events = source.poll([], 1.0)
    assert [e.state for e in events if isinstance(e, GraspChanged)] == [GraspState.OPEN, GraspState.CLOSED]
    assert sum(isinstance(e, HeadPose) for e in events) == 3
    assert TrackingFound(1.0, Effector.HEAD) in events
    assert source.seen == frozenset({Effector.HAND, Effector.HEAD})
    tracker.ended, tracker.error = True, "Tracking stopped: camera unplugged"
    assert SourceEnded(2.0, "Tracking stopped: camera unplugged") in source.poll([], 2.0)
    assert not any(isinstance(e, SourceEnded) for e in source.poll([], 2.1))
    source.close()
    assert tracker.closed


def _key(key: int, down: bool = True) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN if down else pygame.KEYUP, key=key, mod=0, unicode="", scancode=0)


def test_keys_map_to_commands() -> None:
    events = key_commands(
        [
            _key(pygame.K_SPACE),
            _key(pygame.K_p),
            _key(pygame.K_ESCAPE),
            _key(pygame.K_q),
            _key(pygame.K_m),
            _key(pygame.K_c),
            _key(pygame.K_x),
            pygame.event.Event(pygame.QUIT),
        ],
        3.0,
    )
    assert [e.command for e in events if isinstance(e, CommandIssued)] == [
        Command.CONFIRM,
        Command.PAUSE,
        Command.BACK,
        Command.QUIT,
        Command.USE_MOUSE,
        Command.RECALIBRATE,
        Command.QUIT,
    ]


def test_mouse_produces_the_same_events() -> None:
    source = MouseInput((800, 400))
    assert source.kind is InputKind.MOUSE and source.seen == frozenset({Effector.HAND, Effector.HEAD})
    assert KeysOnlyInput().seen == frozenset()  # no source open: nothing is seen
    events = source.poll(
        [
            pygame.event.Event(pygame.MOUSEMOTION, pos=(200, 300), rel=(0, 0), buttons=(0, 0, 0)),
            pygame.event.Event(pygame.MOUSEMOTION, pos=(900, -5), rel=(0, 0), buttons=(0, 0, 0)),
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(200, 300), button=1),
            pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(200, 300), button=1),
            _key(pygame.K_SPACE),
            _key(pygame.K_SPACE, down=False),
            _key(pygame.K_LEFT),
            _key(pygame.K_UP),
        ],
        2.0,
    )
    # The mouse is also a simulated head (the default range of motion over the screen: yaw +-40, pitch +-25 deg),
    # as a mirror: the mouse to the left of the screen is the head turned to the player's left (positive yaw).
    assert events == [
        CursorMoved(2.0, 0.25, 0.75),
        HeadPose(2.0, HeadAngles(20.0, -12.5, 0.0)),
        CursorMoved(2.0, 1.0, 0.0),  # clipped to the screen
        HeadPose(2.0, HeadAngles(-40.0, 25.0, 0.0)),
        GraspChanged(2.0, GraspState.CLOSED),
        Clicked(2.0, Command.CONFIRM, x_norm=0.25, y_norm=0.75),  # a confirm that says where it was
        GraspChanged(2.0, GraspState.OPEN),
        GraspChanged(2.0, GraspState.CLOSED),
        CommandIssued(2.0, Command.CONFIRM),
        GraspChanged(2.0, GraspState.OPEN),
        HeadPose(2.0, HeadAngles(-40.0 + HEAD_NUDGE_DEG, 25.0, 0.0)),  # left arrow: towards the player's left
        HeadPose(2.0, HeadAngles(-40.0 + HEAD_NUDGE_DEG, 25.0 + HEAD_NUDGE_DEG, 0.0)),
    ]


def test_a_paused_file_starts_once_and_its_end_says_what_happened() -> None:
    tracker = FakeTracker()
    source = TrackingInput(tracker, reach=ReachRange.whole_image(), paused=True)
    assert not source.started and source_end(source) is None
    source.start()
    source.start()
    assert tracker.started and source.started
    tracker.ended = True
    assert source_end(source) == SourceEnd("fake has played to its end.")
    broken = FakeTracker()
    bad_line = RecordingFormatError("rec.jsonl", 50, "t", "expected a number")
    broken.ended, broken.error, broken.failure = True, f"Tracking stopped: {bad_line}", bad_line
    assert source_end(TrackingInput(broken, reach=ReachRange.whole_image())) == SourceEnd(
        "Tracking stopped: rec.jsonl, line 50, field 't': expected a number", bad_line
    )
    camera = FakeTracker()
    camera.error = "Tracking stopped: the camera stopped delivering images"  # before the worker has finished
    assert source_end(TrackingInput(camera, reach=ReachRange.whole_image())) == SourceEnd(camera.error)
    assert source_end(MouseInput((800, 400))) is None  # the mouse never ends


def test_each_effector_is_seen_and_lost_on_its_own() -> None:
    """A head without a hand (a face video): the head is seen, the hand is not, and each is lost by itself."""
    tracker = FakeTracker()
    source = TrackingInput(tracker, reach=ReachRange.whole_image(), required=frozenset({Effector.HAND, Effector.HEAD}))
    tracker.queue = [sample(0.0, None, head=HeadAngles(1.0, 2.0, 3.0))]
    events = source.poll([], 5.0)
    assert TrackingFound(5.0, Effector.HEAD) in events and source.seen == frozenset({Effector.HEAD})
    tracker.queue = [sample(0.1, (0.5, 0.5))]
    source.poll([], 5.1)
    assert source.seen == frozenset({Effector.HAND, Effector.HEAD})
    tracker.queue = [sample(0.2, (0.5, 0.5))]
    events = source.poll([], 5.1 + TRACKING_GRACE_S * 1.2)  # a hand, and no head for longer than the grace
    assert TrackingLost(5.1 + TRACKING_GRACE_S * 1.2, Effector.HEAD) in events
    assert source.seen == frozenset({Effector.HAND})


@pytest.mark.parametrize(
    ("models", "expected"),
    [
        (frozenset({TrackingModel.HANDS}), (1, 1)),
        (frozenset({TrackingModel.FACE}), (1, 1)),
        (frozenset({TrackingModel.HANDS, TrackingModel.FACE}), (2, 1)),  # head-trick, assessment
        (frozenset({TrackingModel.HANDS, TrackingModel.FACE, TrackingModel.POSE}), (2, 1)),  # breathe
    ],
)
def test_the_levels_models_decide_how_many_hands_and_how_often_the_face_runs(
    monkeypatch: pytest.MonkeyPatch, models: frozenset[TrackingModel], expected: tuple[int, int]
) -> None:
    opened: list[dict[str, object]] = []

    def open_tracker(spec: SourceSpec, run_models: object, **kwargs: object) -> FakeTracker:
        opened.append(kwargs)
        return FakeTracker()

    monkeypatch.setattr(tracking_input, "open_live_tracker", open_tracker)
    opener = TrackingOpener(SourceSpec(camera_index=0), models, clock=lambda: 0.0, required=frozenset({Effector.HAND}))
    opener.open(reach=ReachRange.whole_image(), head_neutral=None).close()
    assert (opened[0]["max_hands"], opened[0]["face_every_n_frames"]) == expected
