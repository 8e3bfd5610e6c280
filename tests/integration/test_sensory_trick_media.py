"""``hand_on_face`` on real-image composites through real MediaPipe (hands, up to two, and face): a real hand
(``thumbs_up.png``, cut out along its alpha matte) pasted onto the cheek, jaw or chin of the shared portraits is a
positive; the portraits alone, and the hand pasted away from the face, are negatives. ``business_person.png``
alone is the hard negative: her hand holds glasses just below her chin without touching it.

The placements are worked out from each portrait's own face mesh (a face-only run), so a "cheek" composite has the
fist on that face's cheek whatever the photo. The test prints the precision and recall over the set; a positive
whose pasted hand MediaPipe does not find at all counts as missed (the detector's limit is the signal's limit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.support.hand_composites import HandPlacement, composite, hand_sprite
from tracking.landmarker import Landmarker
from tracking.sensory_trick import TOUCH_MARGIN_FACE_WIDTHS, hand_face_distances, hand_on_face
from tracking.types import FloatArray, LandmarkFrame, TrackingModel

pytestmark = pytest.mark.mediapipe

# The portraits and their framings: the whole photo, or its top part (a webcam's head-and-shoulders view). The top
# 55% of business_person.png keeps her hand below the chin in view; the top 45% leaves it out.
FRAMINGS = (
    ("face_test.jpeg", 1.0),
    ("business_person.png", 1.0),
    ("business_person.png", 0.55),
    ("business_person.png", 0.45),
)
# Minimum figures, a little below those measured when the test was written (the test prints them): every negative
# is rejected; of the positives, MediaPipe finds the pasted hand in most, and in nearly all where no other hand is
# close by (with her own hand in view, the pasted hand on business_person.png is mostly not found at all).
MIN_PRECISION = 1.0
MIN_RECALL = 0.5
MIN_RECALL_NO_OTHER_HAND_NEAR = 0.9


@dataclass(frozen=True)
class Case:
    name: str
    portrait: str
    placement: HandPlacement | None  # None: the portrait as it is
    touching: bool


def _point(face: FloatArray, weights: dict[int, float]) -> tuple[float, float]:
    x, y = np.sum([face[index, :2] * weight for index, weight in weights.items()], axis=0)
    return float(x), float(y)


def cases_for(portrait: str, face: FloatArray) -> list[Case]:
    """The composites of one portrait: the hand on five places of the lower face at two sizes, and away."""
    face_height = float(face[152, 1] - face[10, 1])  # forehead to chin, fraction of the image height
    face_width = float(face[454, 0] - face[234, 0])
    on_face = {
        # the fist on the patient's right cheek (image left), its thumb up along the cheek
        "right cheek": (_point(face, {234: 0.55, 61: 0.45}), False, 0.0),
        "left cheek": (_point(face, {454: 0.55, 291: 0.45}), True, 0.0),
        "chin": (_point(face, {152: 0.8, 17: 0.2}), False, 60.0),
        "right jaw": (_point(face, {172: 0.7, 61: 0.3}), False, 25.0),
        "left jaw": (_point(face, {397: 0.7, 291: 0.3}), True, -25.0),
    }
    cases = [Case(f"{portrait} alone", portrait, None, False)]
    for size in (0.9, 1.1):  # the hand about as tall as the face, as a real hand is
        for name, ((x, y), mirrored, angle) in on_face.items():
            placement = HandPlacement(x, y, size * face_height, mirrored=mirrored, angle_deg=angle)
            cases.append(Case(f"{portrait} hand on {name} x{size}", portrait, placement, True))
    chin_x, chin_y = _point(face, {152: 1.0})
    away = {
        "beside the head": (chin_x + 1.6 * face_width, chin_y - 0.5 * face_height),
        "other side": (chin_x - 1.6 * face_width, chin_y - 0.3 * face_height),
        "on the chest": (chin_x, chin_y + 0.9 * face_height),
    }
    for name, (x, y) in away.items():
        placement = HandPlacement(min(max(x, 0.05), 0.95), min(max(y, 0.05), 0.95), 0.9 * face_height)
        cases.append(Case(f"{portrait} hand {name}", portrait, placement, False))
    return cases


@pytest.fixture(scope="module")
def results(media_dir: Path) -> list[tuple[Case, bool | None]]:
    sprite = hand_sprite(media_dir)
    found: list[tuple[Case, bool | None]] = []
    models = frozenset({TrackingModel.HANDS, TrackingModel.FACE})
    with (
        Landmarker(frozenset({TrackingModel.FACE}), static_images=True) as face_only,
        Landmarker(models, static_images=True, max_hands=2) as both,
    ):
        for photo, kept in FRAMINGS:
            whole = np.asarray(cv2.imread(str(media_dir / photo)), dtype=np.uint8)
            assert whole.ndim == 3, photo
            image = whole[: round(whole.shape[0] * kept)]
            portrait = photo if kept == 1.0 else f"{photo} (top {kept:.0%})"
            height_px, width_px = image.shape[:2]
            face = face_only.process(0.0, image).face
            assert face is not None, portrait
            for case in cases_for(portrait, face):
                picture = image if case.placement is None else composite(image, sprite, case.placement)
                frame = both.process(0.0, picture)
                found.append((case, hand_on_face(frame, width_px=width_px, height_px=height_px)))
                nearest[case.name] = nearest_hand(frame, width_px / height_px)
    return found


# The closest any detected hand came to the lower face in each composite (face widths; inf without a hand): filled
# by the ``results`` fixture, read by the test that explains the misses.
nearest: dict[str, float] = {}


def nearest_hand(frame: LandmarkFrame, width_over_height: float) -> float:
    """How far outside the lower face the second-nearest landmark of the nearest hand lies, in face widths."""
    if frame.face is None or not frame.hands:
        return math.inf
    return min(float(np.sort(hand_face_distances(hand, frame.face, width_over_height))[1]) for hand in frame.hands)


def precision_recall(results: list[tuple[Case, bool | None]]) -> tuple[float, float, int]:
    """Precision, recall and the number of touching composites."""
    true_pos = sum(1 for case, value in results if case.touching and value)
    false_pos = sum(1 for case, value in results if not case.touching and value)
    positives = sum(1 for case, _ in results if case.touching)
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0
    return precision, true_pos / positives, positives


def test_precision_and_recall_on_composites(results: list[tuple[Case, bool | None]]) -> None:
    assert all(value is not None for _, value in results)  # the face is found in every composite
    for case, value in results:
        print(f"{case.name}: expected {case.touching}, got {value}")
    for portrait in dict.fromkeys(case.portrait for case, _ in results):
        subset = [(case, value) for case, value in results if case.portrait == portrait]
        precision, recall, positives = precision_recall(subset)
        print(
            f"{portrait}: {len(subset)} composites ({positives} touching), "
            f"precision {precision:.2f}, recall {recall:.2f}"
        )
    precision, recall, positives = precision_recall(results)
    print(
        f"hand_on_face over {len(results)} composites ({positives} touching): "
        f"precision {precision:.2f}, recall {recall:.2f}"
    )
    assert precision >= MIN_PRECISION
    assert recall >= MIN_RECALL
    no_hand_near = [
        (case, value) for case, value in results if case.portrait in ("face_test.jpeg", "business_person.png (top 45%)")
    ]
    assert precision_recall(no_hand_near)[1] >= MIN_RECALL_NO_OTHER_HAND_NEAR


def test_the_hand_near_the_chin_is_not_a_touch(results: list[tuple[Case, bool | None]]) -> None:
    verdicts = {case.name: value for case, value in results}
    assert verdicts["business_person.png alone"] is False  # the hard negative
    assert verdicts["business_person.png (top 55%) alone"] is False  # the same in a head-and-shoulders view
    assert verdicts["face_test.jpeg alone"] is False  # a hand on a shoulder, beside the face


def test_composites_keep_the_photo_outside_the_pasted_hand(media_dir: Path) -> None:
    """The composite changes only the pasted hand's pixels: the face and the rest are the photo's own."""
    image = np.asarray(cv2.imread(str(media_dir / "face_test.jpeg")), dtype=np.uint8)
    pasted = composite(image, hand_sprite(media_dir), HandPlacement(0.8, 0.8, 0.3))
    changed = np.any(pasted != image, axis=2)
    assert 0 < changed.mean() < 0.1
    assert not changed[: image.shape[0] // 2, : image.shape[1] // 2].any()


def test_every_missed_touch_is_a_hand_mediapipe_did_not_find(results: list[tuple[Case, bool | None]]) -> None:
    """The misses are the detector's, not the geometry's: in each, no hand MediaPipe found came near the face."""
    missed = [case.name for case, value in results if case.touching and not value]
    for name in missed:
        assert nearest[name] > 2 * TOUCH_MARGIN_FACE_WIDTHS, (name, nearest[name])
    found = [nearest[case.name] for case, value in results if case.touching and value]
    closest_negative = min(nearest[case.name] for case, _ in results if not case.touching)
    print(
        f"missed touches: {len(missed)}; the nearest hand in a found touch: up to {max(found):.2f} face widths out; "
        f"the closest hand in a negative: {closest_negative:.2f} face widths out"
    )
