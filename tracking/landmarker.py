"""MediaPipe Hands, Pose and Face Mesh behind one call: BGR image in, :class:`LandmarkFrame` out.

The only module of motorplay that imports mediapipe (an import-linter contract keeps it so). Only the models a
level asks for are created: each costs memory and, above all, inference time per frame.

Uses the ``mediapipe.solutions`` API of mediapipe 0.10.21, whose wheel ships the models (nothing is downloaded).
Handedness is stored as the model reports it; MediaPipe assumes a mirrored (selfie) image, so on the unmirrored
images motorplay feeds it, a person's right hand is usually labelled "Left".
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

import cv2
import mediapipe as mp
import numpy as np

from tracking.sources import ImageBGR
from tracking.types import FloatArray, Handedness, HandLandmarks, LandmarkFrame, TrackingModel

# One hand by default: the levels so far are played with one hand, and asking MediaPipe for two while only one
# is in view makes it run palm detection on every frame to look for the second, which doubles the cost (measured
# on hand_video.mp4, 2 cores: 16-17 ms a frame for one hand, 32-36 ms for two). A two-handed level asks for 2.
MAX_HANDS = 1
# MediaPipe's defaults (documented in mediapipe/python/solutions/*.py); kept explicit so that they are visible.
MIN_DETECTION_CONFIDENCE = 0.5
MIN_TRACKING_CONFIDENCE = 0.5
# Model complexity 1 is MediaPipe's default "full" hand and pose model; 0 is faster but its landmarks jitter more.
HAND_MODEL_COMPLEXITY = 1
POSE_MODEL_COMPLEXITY = 1

DEFAULT_MODELS: frozenset[TrackingModel] = frozenset({TrackingModel.HANDS})


def _points(landmark_list: Any, *, with_visibility: bool = False) -> FloatArray:
    if with_visibility:
        return np.asarray([(p.x, p.y, p.z, p.visibility) for p in landmark_list.landmark], dtype=np.float64)
    return np.asarray([(p.x, p.y, p.z) for p in landmark_list.landmark], dtype=np.float64)


class Landmarker:
    """Runs the requested MediaPipe models on BGR images.

    Parameters
    ----------
    models
        Which models to create and run. Nothing else is loaded.
    static_images
        ``True`` for unrelated single images (every image gets a full detection); ``False`` for the frames of a
        video or camera, where MediaPipe tracks from one frame to the next (faster and steadier).
    max_hands
        How many hands to look for (1 or 2). More than are in view costs a palm detection on every frame.

    Not thread-safe: use one instance from one thread at a time.
    """

    def __init__(
        self, models: frozenset[TrackingModel], *, static_images: bool = False, max_hands: int = MAX_HANDS
    ) -> None:
        if not models:
            raise ValueError("Landmarker needs at least one tracking model")
        if max_hands not in (1, 2):
            raise ValueError(f"Landmarker max_hands: expected 1 or 2, got {max_hands}")
        self.models = models
        self.max_hands = max_hands
        self._hands: Any = None
        self._pose: Any = None
        self._face: Any = None
        try:
            self._create(models, static_images)
        except BaseException:
            self.close()  # release whatever model was already created
            raise

    def _create(self, models: frozenset[TrackingModel], static_images: bool) -> None:
        if TrackingModel.HANDS in models:
            self._hands = mp.solutions.hands.Hands(
                static_image_mode=static_images,
                max_num_hands=self.max_hands,
                model_complexity=HAND_MODEL_COMPLEXITY,
                min_detection_confidence=MIN_DETECTION_CONFIDENCE,
                min_tracking_confidence=MIN_TRACKING_CONFIDENCE,
            )
        if TrackingModel.POSE in models:
            self._pose = mp.solutions.pose.Pose(
                static_image_mode=static_images,
                model_complexity=POSE_MODEL_COMPLEXITY,
                min_detection_confidence=MIN_DETECTION_CONFIDENCE,
                min_tracking_confidence=MIN_TRACKING_CONFIDENCE,
            )
        if TrackingModel.FACE in models:
            self._face = mp.solutions.face_mesh.FaceMesh(
                static_image_mode=static_images,
                max_num_faces=1,
                refine_landmarks=True,  # 478 points, with the irises; head_pose uses only points of the first 468
                min_detection_confidence=MIN_DETECTION_CONFIDENCE,
                min_tracking_confidence=MIN_TRACKING_CONFIDENCE,
            )

    def process(self, t_s: float, image_bgr: ImageBGR) -> LandmarkFrame:
        """Find hands, pose and face (those requested) in one BGR image taken at ``t_s`` seconds."""
        rgb = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB)
        rgb.flags.writeable = False  # lets MediaPipe wrap the buffer instead of copying it
        hands: tuple[HandLandmarks, ...] = ()
        pose = face = None
        if self._hands is not None:
            hands = self._hands_from(self._hands.process(rgb))
        if self._pose is not None:
            result = self._pose.process(rgb)
            if result.pose_landmarks is not None:
                pose = _points(result.pose_landmarks, with_visibility=True)
        if self._face is not None:
            result = self._face.process(rgb)
            if result.multi_face_landmarks:
                face = _points(result.multi_face_landmarks[0])
        return LandmarkFrame(t_s=t_s, hands=hands, pose=pose, face=face)

    @staticmethod
    def _hands_from(result: Any) -> tuple[HandLandmarks, ...]:
        if not result.multi_hand_landmarks:
            return ()
        worlds = result.multi_hand_world_landmarks or [None] * len(result.multi_hand_landmarks)
        hands = []
        for landmarks, world, handedness in zip(
            result.multi_hand_landmarks, worlds, result.multi_handedness, strict=True
        ):
            label = handedness.classification[0]
            hands.append(
                HandLandmarks(
                    side=Handedness(label.label),
                    score=float(label.score),
                    landmarks_norm=_points(landmarks),
                    world_landmarks_m=None if world is None else _points(world),
                )
            )
        return tuple(hands)

    def close(self) -> None:
        """Release the MediaPipe graphs (idempotent)."""
        for name in ("_hands", "_pose", "_face"):
            solution = getattr(self, name)
            if solution is not None:
                solution.close()
                setattr(self, name, None)

    def __enter__(self) -> Landmarker:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
