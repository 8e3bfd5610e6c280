"""Hand control signals from one hand's landmarks: the palm centre (cursor) and the grasp aperture."""

from __future__ import annotations

from tracking.frames import HandLandmarks

# MediaPipe hand landmark indices (https://ai.google.dev/edge/mediapipe/solutions/vision/hand_landmarker):
# the wrist and the four finger MCP joints frame the palm and barely move when the fingers flex, so their mean is
# a cursor point that stays put while the patient opens or closes the hand.
WRIST = 0
PALM_LANDMARKS = (WRIST, 5, 9, 13, 17)


def palm_centre_norm(hand: HandLandmarks) -> tuple[float, float]:
    """The palm centre in normalised image coordinates: the mean of the wrist and the four finger MCP joints
    (MediaPipe landmarks 0, 5, 9, 13, 17)."""
    centre = hand.landmarks_norm[list(PALM_LANDMARKS), :2].mean(axis=0)
    return float(centre[0]), float(centre[1])

