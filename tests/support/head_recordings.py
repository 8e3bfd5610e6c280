"""Landmark recordings of a real face (MediaPipe's mesh of ``business_person.png``, tests/fixtures) turned to given
head angles, optionally with her real hand's landmarks moved onto the chin: the input of head levels played from a
recording."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tracking.head_pose import head_angles_deg, rotation_matrix
from tracking.recording import RecordingWriter
from tracking.types import FloatArray, Handedness, HandLandmarks, HeadAngles, LandmarkFrame, SourceInfo

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "face_and_hand_landmarks.json"
CHIN = 152
MIDDLE_FINGERTIP = 12


@dataclass(frozen=True)
class RealFace:
    """The fixture's face mesh and hand, and the image size they were found in."""

    face: FloatArray
    hand: FloatArray
    width_px: int
    height_px: int

    @property
    def neutral(self) -> HeadAngles:
        """The face's own absolute angles: the calibrated neutral posture of a patient who holds it."""
        return head_angles_deg(self.face, self.width_px, self.height_px)

    def turned(self, angles: HeadAngles) -> FloatArray:
        """The face turned by ``angles`` from its own posture (rotated about its centroid in pixel space), so that
        its head angles relative to :attr:`neutral` are ``angles``."""
        scale = np.array([self.width_px, self.height_px, self.width_px], dtype=np.float64)
        points_px = self.face * scale
        centre = points_px.mean(axis=0)
        turned: FloatArray = ((points_px - centre) @ rotation_matrix(angles).T + centre) / scale
        return turned

    def hand_on_chin(self, face: FloatArray) -> HandLandmarks:
        """Her hand moved so that its middle fingertip rests on ``face``'s chin."""
        moved = self.hand.copy()
        moved[:, :2] += face[CHIN, :2] - self.hand[MIDDLE_FINGERTIP, :2]
        return HandLandmarks(Handedness.RIGHT, 0.9, moved)


def real_face() -> RealFace:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return RealFace(
        np.asarray(data["face"], dtype=np.float64),
        np.asarray(data["hand"], dtype=np.float64),
        int(data["width"]),
        int(data["height"]),
    )


Keyframes = Sequence[tuple[float, HeadAngles]]


def angles_at(keyframes: Keyframes, t_s: float) -> HeadAngles:
    """Minimum-jerk (Flash and Hogan 1985) between consecutive keyframes, held after the last."""
    for (t0, a0), (t1, a1) in zip(keyframes, keyframes[1:], strict=False):
        if t0 <= t_s <= t1:
            u = (t_s - t0) / (t1 - t0)
            s = 10 * u**3 - 15 * u**4 + 6 * u**5
            return HeadAngles(
                a0.yaw_deg + s * (a1.yaw_deg - a0.yaw_deg), a0.pitch_deg + s * (a1.pitch_deg - a0.pitch_deg), 0.0
            )
    return keyframes[-1][1]


def write_head_recording(
    path: Path,
    person: RealFace,
    keyframes: Keyframes,
    *,
    fps: float,
    hand_on_chin: Sequence[tuple[float, float]] = (),
    tail_s: float = 1.0,
) -> Path:
    """A recording of ``person``'s face following ``keyframes``; her hand rests on her chin during each
    (start_s, end_s) of ``hand_on_chin`` and is out of view otherwise."""
    info = SourceInfo(fps, person.width_px, person.height_px, "synthetic head")
    with RecordingWriter(path, info) as writer:
        for t_s in np.arange(0.0, keyframes[-1][0] + tail_s, 1.0 / fps):
            face = person.turned(angles_at(keyframes, float(t_s)))
            touching = any(start <= t_s < end for start, end in hand_on_chin)
            hands = (person.hand_on_chin(face),) if touching else ()
            writer.write(LandmarkFrame(float(t_s), hands, face=face))
    return path
