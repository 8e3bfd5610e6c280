"""Control signals from landmark frames: cursor, grasp aperture and state, head angles, hand on face (raw).

Display smoothing (:mod:`tracking.one_euro`) is the game's business; analysis uses these raw values.
"""

from __future__ import annotations

import math

from tracking.hand_signals import GraspHysteresis, grasp_aperture, palm_centre_norm
from tracking.head_pose import head_angles_deg, relative_to
from tracking.sensory_trick import hand_on_face
from tracking.types import HeadAngles, LandmarkFrame, Signals


class SignalExtractor:
    """Turns each :class:`LandmarkFrame` of one source into :class:`Signals`, in order.

    Keeps the grasp hysteresis state between frames (reset when the hand is lost). The cursor is the palm centre
    of the primary (most confident) hand in normalised image coordinates; the mapping to the screen through the
    patient's reach range is :meth:`tracking.calibration.ReachRange.to_screen_norm`. Head angles are relative to
    ``head_neutral`` (see :mod:`tracking.head_pose` for the sign conventions), absolute when it is ``None``.

    Parameters
    ----------
    width_px, height_px
        Size of the source images: head angles and the 2D grasp fallback need the aspect ratio.
    head_neutral
        The calibrated neutral head posture, or ``None`` for absolute angles.
    """

    def __init__(self, *, width_px: int, height_px: int, head_neutral: HeadAngles | None) -> None:
        if width_px <= 0 or height_px <= 0:
            raise ValueError(f"SignalExtractor: expected a positive image size, got {width_px}x{height_px}")
        self.width_px = width_px
        self.height_px = height_px
        self.head_neutral = head_neutral
        self._grasp = GraspHysteresis()

    def update(self, frame: LandmarkFrame) -> Signals:
        """Return the signals of one frame (frames must come in time order for the hysteresis to mean anything)."""
        cursor = grasp = state = None
        hand = frame.primary_hand()
        if hand is None:
            self._grasp.reset()
        else:
            cursor = palm_centre_norm(hand)
            grasp = grasp_aperture(hand, width_over_height=self.width_px / self.height_px)
            state = self._grasp.update(grasp)
        head = None
        if frame.face is not None:
            angles = head_angles_deg(frame.face, self.width_px, self.height_px)
            # A mesh with no orientation (every point on one spot or line) gives NaN angles: no head seen.
            if all(math.isfinite(value) for value in (angles.yaw_deg, angles.pitch_deg, angles.roll_deg)):
                head = angles if self.head_neutral is None else relative_to(angles, self.head_neutral)
        on_face = hand_on_face(frame, width_px=self.width_px, height_px=self.height_px)
        return Signals(
            t_s=frame.t_s, cursor_norm=cursor, grasp=grasp, grasp_state=state, head=head, hand_on_face=on_face
        )
