"""Hand control signals from one hand's landmarks: the palm centre (cursor) and the grasp aperture.

Landmark indices are MediaPipe's hand model (https://ai.google.dev/edge/mediapipe/solutions/vision/hand_landmarker):
0 wrist; thumb 1-4; index 5-8; middle 9-12; ring 13-16; pinky 17-20 (MCP, PIP, DIP, tip for each finger).
"""

from __future__ import annotations

import numpy as np

from tracking.types import FloatArray, GraspState, HandLandmarks

WRIST = 0
# The wrist and the four finger MCP joints frame the palm and barely move when the fingers flex, so their mean is a
# cursor point that stays put while the patient opens or closes the hand.
PALM_LANDMARKS = (WRIST, 5, 9, 13, 17)
# The four long fingers as (MCP, PIP, DIP, tip). The thumb is left out on purpose: a thumbs-up is a closed hand
# for the game, and the thumb's flexion range is small and varies from person to person.
FINGER_CHAINS = ((5, 6, 7, 8), (9, 10, 11, 12), (13, 14, 15, 16), (17, 18, 19, 20))

# Mean flexion per finger (sum of the MCP, PIP and DIP bend angles, degrees) that maps to aperture 1 (flat open
# hand) and to aperture 0 (fist). Calibrated on the real media with MediaPipe 0.10.21 world landmarks: the open
# hand of hand_video.mp4 reads 43-71 deg from frame 20 on (median 44; up to 133 in the first frames, where the
# fingers point at the camera), the thumbs-up fists of hand_image.jpg and thumbs_up.png read 220-231 deg.
# Anatomical maxima are about 90 (MCP) + 110 (PIP) + 80 (DIP) degrees.
OPEN_FLEXION_DEG = 45.0
FIST_FLEXION_DEG = 220.0

# Hysteresis on the aperture: a hand becomes closed below CLOSE_BELOW and open again only above OPEN_ABOVE, so
# tremor or landmark jitter near one threshold cannot make the state chatter. With the calibration above the band
# is 124-159 deg of mean flexion: the open hand of hand_video.mp4 reads aperture >= 0.85 from frame 20 on, the
# thumbs-up fists 0.0, and a half-closed hand changes nothing.
CLOSE_BELOW = 0.35
OPEN_ABOVE = 0.55


def palm_centre_norm(hand: HandLandmarks) -> tuple[float, float]:
    """Return the palm centre in normalised image coordinates.

    The mean of the wrist and the four finger MCP joints (MediaPipe landmarks 0, 5, 9, 13, 17).
    """
    centre = hand.landmarks_norm[list(PALM_LANDMARKS), :2].mean(axis=0)
    return float(centre[0]), float(centre[1])


def _hand_points(hand: HandLandmarks, width_over_height: float | None) -> FloatArray:
    if hand.world_landmarks_m is not None:
        return hand.world_landmarks_m
    if width_over_height is None or not width_over_height > 0:
        raise ValueError(
            "grasp_aperture: the hand has no world landmarks, so width_over_height (the image aspect ratio) is "
            f"needed to use its image landmarks; got {width_over_height!r}"
        )
    # Normalised x is in units of image width, y of image height, z roughly of width (MediaPipe): make them
    # isotropic, in units of image height, so that angles are not skewed by the aspect ratio.
    scale = np.array([width_over_height, 1.0, width_over_height], dtype=np.float64)
    return np.asarray(hand.landmarks_norm * scale, dtype=np.float64)


def finger_flexion_deg(points: FloatArray) -> FloatArray:
    """Flexion of the four long fingers, degrees: for each, the sum of its MCP, PIP and DIP bend angles.

    A bend angle is the angle between consecutive bone vectors (wrist->MCP, MCP->PIP, PIP->DIP, DIP->tip), so a
    straight finger in line with the palm is 0 and a fist is about 200-250 degrees.

    Parameters
    ----------
    points
        (21, 3) hand landmarks in any isotropic 3D units (MediaPipe world landmarks in metres, or image
        landmarks scaled to one unit).

    Returns
    -------
    numpy.ndarray
        (4,) index, middle, ring and pinky flexion in degrees.
    """
    chains = np.array([(WRIST, *chain) for chain in FINGER_CHAINS])  # (4, 5) joint indices
    bones = np.diff(points[chains], axis=1)  # (4, 4, 3) bone vectors along each finger
    before, after = bones[:, :-1], bones[:, 1:]  # (4, 3, 3): the two bones at each of the three joints
    # atan2(|a x b|, a . b) is accurate for small and large angles alike (arccos of the cosine is not near 0).
    sines = np.linalg.norm(np.cross(before, after), axis=2)
    cosines = np.sum(before * after, axis=2)
    return np.asarray(np.degrees(np.arctan2(sines, cosines)).sum(axis=1), dtype=np.float64)


def grasp_aperture(hand: HandLandmarks, *, width_over_height: float | None = None) -> float:
    """How open the hand is, from 0 (fist) to 1 (flat open hand), from the flexion of the four long fingers.

    Uses MediaPipe's 3D world landmarks when present: finger flexion in 3D separates a fist or a thumbs-up from an
    open hand far better than 2D distances, which shrink when the hand turns. Without world landmarks (a replayed
    recording that lacks them) it uses the image landmarks with x and z scaled by ``width_over_height``.

    The mean flexion is mapped linearly from ``OPEN_FLEXION_DEG`` (1) to ``FIST_FLEXION_DEG`` (0) and clipped.

    Raises
    ------
    ValueError
        When the hand has no world landmarks and ``width_over_height`` is not a positive number.
    """
    flexion_deg = float(finger_flexion_deg(_hand_points(hand, width_over_height)).mean())
    aperture = 1.0 - (flexion_deg - OPEN_FLEXION_DEG) / (FIST_FLEXION_DEG - OPEN_FLEXION_DEG)
    return min(max(aperture, 0.0), 1.0)


class GraspHysteresis:
    """Open/closed state from the aperture, with hysteresis (``CLOSE_BELOW`` < ``OPEN_ABOVE``).

    The first aperture after a reset decides by the middle of the band.
    """

    def __init__(self, *, close_below: float = CLOSE_BELOW, open_above: float = OPEN_ABOVE) -> None:
        if not 0.0 <= close_below < open_above <= 1.0:
            raise ValueError(
                f"GraspHysteresis: expected 0 <= close_below < open_above <= 1, got {close_below}, {open_above}"
            )
        self.close_below = close_below
        self.open_above = open_above
        self._state: GraspState | None = None

    @property
    def state(self) -> GraspState | None:
        """The current state, ``None`` before the first aperture or after a reset."""
        return self._state

    def reset(self) -> None:
        """Forget the state (the hand was lost: its history no longer says anything)."""
        self._state = None

    def update(self, aperture: float) -> GraspState:
        """Feed one aperture (0..1) and return the state."""
        if self._state is None:
            middle = (self.close_below + self.open_above) / 2.0
            self._state = GraspState.CLOSED if aperture < middle else GraspState.OPEN
        elif self._state is GraspState.OPEN and aperture < self.close_below:
            self._state = GraspState.CLOSED
        elif self._state is GraspState.CLOSED and aperture > self.open_above:
            self._state = GraspState.OPEN
        return self._state
