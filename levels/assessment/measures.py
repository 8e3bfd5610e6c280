"""What each assessment step measures, as plain data for the therapist (keys carry their unit), pure and numpy.

Head angles are those of :class:`levels.events.HeadPose`: relative to the patient's calibrated neutral posture
(looking straight at the screen; without a calibration, the median of the first second of the input), signs as in
:mod:`tracking.head_pose` (yaw + = turned to the patient's left, pitch + = chin up, roll + = tilted towards the
left shoulder). The resting posture is therefore how far the relaxed head rests from the straight posture.

The resting posture is described in the bands of the Toronto Western Spasmodic Torticollis Rating Scale (TWSTRS,
Consky and Lang 1994, severity part, items "rotation" and "laterocollis"): words for the therapist, not a
diagnosis nor a TWSTRS score (TWSTRS is rated by a clinician watching the patient, not by a camera).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from levels.trial import Scalar
from tracking.analysis import assess_trial
from tracking.calibration import reach_range_from_palms
from tracking.hand_signals import palm_centre_norm
from tracking.quality_types import BreakKind
from tracking.types import Effector, FloatArray, HeadAngles, TrackedSample

Measures = dict[str, Scalar]

# TWSTRS rotation (torticollis) bands, degrees of turn: 0-22.5 ("slight", under a quarter of the full 90 degree
# range), 22.5-45, 45-67.5, 67.5-90 (Consky and Lang 1994). Described in plain words, never as a score.
ROTATION_BANDS_DEG: tuple[tuple[float, str], ...] = (
    (22.5, "turned within a small range (under a quarter of a full turn; TWSTRS rotation band 0-22.5 deg)"),
    (45.0, "turned a quarter to half of a full turn (TWSTRS rotation band 22.5-45 deg)"),
    (67.5, "turned half to three quarters of a full turn (TWSTRS rotation band 45-67.5 deg)"),
    (math.inf, "turned more than three quarters of a full turn (TWSTRS rotation band 67.5-90 deg)"),
)
# TWSTRS laterocollis (tilt) bands, degrees: 1-15, 16-35, over 35 (Consky and Lang 1994).
TILT_BANDS_DEG: tuple[tuple[float, str], ...] = (
    (15.0, "tilted within a small range (TWSTRS laterocollis band 0-15 deg)"),
    (35.0, "tilted a moderate amount (TWSTRS laterocollis band 15-35 deg)"),
    (math.inf, "tilted a large amount (TWSTRS laterocollis band over 35 deg)"),
)
# Image size the hand's palm positions are scaled to for movement analysis, when the rules do not know the camera's:
# the analysis's hand thresholds are fractions of the image width, so only the aspect (16:9, a webcam's) matters.
ANALYSIS_IMAGE_PX = (1280, 720)
# Fewest samples to describe a range or a posture (about half a second at 30 fps).
MIN_SAMPLES = 15
MOUSE_NOTE = "measured with the mouse: no camera image, so the hand's movement was not analysed"


def band_words(angle_deg: float, bands: Sequence[tuple[float, str]]) -> str:
    """Return the words of the band ``abs(angle_deg)`` falls in (each band's upper limit is included)."""
    size = abs(angle_deg)
    return next(words for limit, words in bands if size <= limit)


def palms_of(samples: Sequence[TrackedSample]) -> list[tuple[float, float]]:
    """Return the palm centre (normalised image coordinates) of every sample in which a hand was seen."""
    return [palm_centre_norm(hand) for hand in (s.frame.primary_hand() for s in samples) if hand is not None]


def reach_range_measures(palms_norm: Sequence[tuple[float, float]], *, from_camera: bool) -> Measures:
    """Return the comfortable reach range (:func:`tracking.calibration.reach_range_from_palms`) of the positions.

    ``from_camera``: palm centres in image coordinates; otherwise mouse positions on the screen.
    """
    where = "image" if from_camera else "screen (mouse)"
    try:
        result = reach_range_from_palms(palms_norm)
    except ValueError as error:
        return {"measured": False, "note": f"reach range not measured: {error}"}
    reach = result.reach
    return {
        "measured": True,
        "positions_of": where,
        "reach_x_min_norm": reach.x_min_norm,
        "reach_x_max_norm": reach.x_max_norm,
        "reach_y_min_norm": reach.y_min_norm,
        "reach_y_max_norm": reach.y_max_norm,
        "reach_width_norm": reach.x_max_norm - reach.x_min_norm,
        "reach_height_norm": reach.y_max_norm - reach.y_min_norm,
        "reach_widened": result.widened,
        "samples": len(palms_norm),
    }


def _angles(angles: Sequence[HeadAngles]) -> FloatArray:
    return np.asarray([(a.yaw_deg, a.pitch_deg, a.roll_deg) for a in angles], dtype=np.float64).reshape(-1, 3)


def head_range_measures(angles: Sequence[HeadAngles]) -> Measures:
    """Return the head's range of motion: the largest angle reached each way of yaw, pitch and roll (degrees, >= 0)."""
    if not angles:
        return {"measured": False, "note": "the head was not seen"}
    values = _angles(angles)
    largest = values.max(axis=0).clip(min=0.0)
    smallest = (-values.min(axis=0)).clip(min=0.0)
    return {
        "measured": True,
        "turn_left_max_deg": float(largest[0]),
        "turn_right_max_deg": float(smallest[0]),
        "chin_up_max_deg": float(largest[1]),
        "chin_down_max_deg": float(smallest[1]),
        "tilt_left_max_deg": float(largest[2]),
        "tilt_right_max_deg": float(smallest[2]),
        "samples": len(angles),
    }


def rest_posture_measures(angles: Sequence[HeadAngles]) -> Measures:
    """Return the resting head posture: median yaw, pitch and roll (degrees), turn and tilt with their TWSTRS bands."""
    if len(angles) < MIN_SAMPLES:
        return {"measured": False, "note": f"the head was seen in {len(angles)} frames; {MIN_SAMPLES} are needed"}
    yaw_deg, pitch_deg, roll_deg = (float(v) for v in np.median(_angles(angles), axis=0))
    return {
        "measured": True,
        "median_yaw_deg": yaw_deg,
        "median_pitch_deg": pitch_deg,
        "median_roll_deg": roll_deg,
        "turn_deg": abs(yaw_deg),
        "turn_side": "left" if yaw_deg > 0 else "right",
        "turn_band": band_words(yaw_deg, ROTATION_BANDS_DEG),
        "tilt_deg": abs(roll_deg),
        "tilt_side": "left" if roll_deg > 0 else "right",
        "tilt_band": band_words(roll_deg, TILT_BANDS_DEG),
        "bands_source": "TWSTRS severity scale, rotation and laterocollis items (Consky and Lang 1994)",
        "samples": len(angles),
    }


def rest_hand_measures(samples: Sequence[TrackedSample]) -> Measures:
    """Return the still hand's jitter (RMS distance of the palm from its median, image widths) and its tremor.

    Tremor: :func:`tracking.analysis.assess_trial` (its tremor detector, :func:`tracking.breaks.find_tremor`) on the
    still samples. ``samples`` empty (the mouse): not measured, with a note.
    """
    palms = palms_of(samples)
    if not samples:
        return {"measured": False, "note": MOUSE_NOTE}
    if len(palms) < MIN_SAMPLES:
        return {"measured": False, "note": f"the hand was seen still in {len(palms)} frames; {MIN_SAMPLES} are needed"}
    points = np.asarray(palms, dtype=np.float64)
    offsets = points - np.median(points, axis=0)
    jitter = float(np.sqrt(np.mean(np.sum(offsets**2, axis=1))))
    measures: Measures = {"measured": True, "rest_jitter_rms_norm": jitter, "samples": len(palms)}
    try:
        width_px, height_px = ANALYSIS_IMAGE_PX
        result = assess_trial(samples, effector=Effector.HAND, width_px=width_px, height_px=height_px)
    except ValueError as error:
        measures["tremor_note"] = f"tremor not measured: {error}"
        return measures
    tremors = [b for b in result.breaks if b.kind is BreakKind.TREMOR]
    measures["tremor_count"] = len(tremors)
    measures["tremor_max_severity"] = max((b.severity for b in tremors), default=0.0)
    return measures


def reach_measures(reaches: Sequence[Sequence[TrackedSample]], *, targets: int) -> Measures:
    """Return the smoothness (mean SPARC) and breaks of each reach, and their means over the reaches made.

    ``reaches``: each reach's samples (from the previous target's end to this one's). SPARC is dimensionless,
    closer to 0 is smoother; breaks per reach is the baseline break rate.
    """
    measures: Measures = {"targets": targets, "reaches_done": len(reaches)}
    if not any(reaches):
        measures.update(measured=False, note=MOUSE_NOTE if reaches else "no reach was made")
        return measures
    sparcs: list[float] = []
    breaks: list[int] = []
    width_px, height_px = ANALYSIS_IMAGE_PX
    for number, samples in enumerate(reaches, start=1):
        try:
            result = assess_trial(samples, effector=Effector.HAND, width_px=width_px, height_px=height_px)
        except ValueError as error:
            measures[f"reach_{number}_note"] = f"not measured: {error}"
            continue
        breaks.append(len(result.breaks))
        measures[f"reach_{number}_break_count"] = len(result.breaks)
        if result.mean_sparc is not None:
            sparcs.append(result.mean_sparc)
            measures[f"reach_{number}_sparc"] = result.mean_sparc
    measures["measured"] = bool(breaks)
    if sparcs:
        measures["mean_sparc"] = float(np.mean(sparcs))
    if breaks:
        measures["breaks_per_reach"] = float(np.mean(breaks))
        measures["break_count"] = int(sum(breaks))
    return measures
