"""SignalExtractor on synthetic frames: cursor, grasp with hysteresis across frames, head relative or absolute."""

from __future__ import annotations

import dataclasses

import pytest

from tests.support.synthetic_landmarks import (
    FACE_IMAGE_SIZE_PX,
    bent_hand_points,
    hand_from_points,
    synthetic_face_norm,
)
from tracking.hand_signals import FIST_FLEXION_DEG, OPEN_FLEXION_DEG, palm_centre_norm
from tracking.head_pose import head_angles_deg
from tracking.signals import SignalExtractor
from tracking.types import GraspState, HeadAngles, LandmarkFrame

WIDTH_PX, HEIGHT_PX = FACE_IMAGE_SIZE_PX


def _hand_frame(t_s: float, flexion_deg: float, *, score: float = 0.9) -> LandmarkFrame:
    return LandmarkFrame(t_s=t_s, hands=(hand_from_points(bent_hand_points(flexion_deg / 3), score=score),))


def test_cursor_is_the_palm_centre_of_the_most_confident_hand() -> None:
    weak = hand_from_points(bent_hand_points(0.0), score=0.6)
    strong_world = bent_hand_points(0.0)
    strong = hand_from_points(strong_world, image_points_norm=strong_world + (0.2, 0.3, 0.0), score=0.95)
    signals = SignalExtractor(width_px=WIDTH_PX, height_px=HEIGHT_PX, head_neutral=None).update(
        LandmarkFrame(t_s=1.5, hands=(weak, strong))
    )
    assert signals.t_s == 1.5
    assert signals.cursor_norm == pytest.approx(palm_centre_norm(strong))
    assert signals.grasp == 1.0 and signals.grasp_state is GraspState.OPEN
    assert signals.head is None


def test_grasp_state_keeps_its_hysteresis_across_frames_and_resets_when_the_hand_is_lost() -> None:
    extractor = SignalExtractor(width_px=WIDTH_PX, height_px=HEIGHT_PX, head_neutral=None)
    half_closed = OPEN_FLEXION_DEG + 0.55 * (FIST_FLEXION_DEG - OPEN_FLEXION_DEG)  # aperture 0.45: in the band
    states = [
        extractor.update(_hand_frame(0.0, 0.0)).grasp_state,
        extractor.update(_hand_frame(0.1, half_closed)).grasp_state,
    ]
    assert states == [GraspState.OPEN, GraspState.OPEN]
    lost = extractor.update(LandmarkFrame(t_s=0.2))
    assert (lost.cursor_norm, lost.grasp, lost.grasp_state) == (None, None, None)
    extractor.update(_hand_frame(0.3, FIST_FLEXION_DEG))
    assert extractor.update(_hand_frame(0.4, half_closed)).grasp_state is GraspState.CLOSED


def test_head_is_absolute_without_neutral_and_relative_with_it() -> None:
    neutral_face = synthetic_face_norm(HeadAngles(0, 0, 0))
    neutral = head_angles_deg(neutral_face, WIDTH_PX, HEIGHT_PX)
    frame = LandmarkFrame(t_s=0.0, face=synthetic_face_norm(HeadAngles(-20, 5, 8)))
    absolute = SignalExtractor(width_px=WIDTH_PX, height_px=HEIGHT_PX, head_neutral=None).update(frame).head
    relative = SignalExtractor(width_px=WIDTH_PX, height_px=HEIGHT_PX, head_neutral=neutral).update(frame).head
    assert absolute == head_angles_deg(frame.face, WIDTH_PX, HEIGHT_PX)  # type: ignore[arg-type]
    assert relative is not None
    assert dataclasses.astuple(relative) == pytest.approx((-20.0, 5.0, 8.0), abs=1e-6)


def test_a_bad_image_size_is_rejected() -> None:
    with pytest.raises(ValueError, match="positive image size"):
        SignalExtractor(width_px=640, height_px=0, head_neutral=None)
