"""MediaPipe Hands, Pose and Face Mesh behind one call: BGR image in, :class:`LandmarkFrame` out.

The only module of motorplay that imports mediapipe (an import-linter contract keeps it so). Only the models a
level asks for are created: each costs memory and, above all, inference time per frame.

Uses the ``mediapipe.solutions`` API of mediapipe 0.10.21, whose wheel ships the models (nothing is downloaded).
Handedness is stored as the model reports it; MediaPipe assumes a mirrored (selfie) image, so on the unmirrored
images motorplay feeds it, a person's right hand is usually labelled "Left".
"""

from __future__ import annotations

from typing import Any

import cv2
import mediapipe as mp
import numpy as np

from tracking.closing import ClosesOnExit
from tracking.image_stats import image_stats
from tracking.sources import DEFAULT_MAX_HANDS, ImageBGR
from tracking.types import FloatArray, Handedness, HandLandmarks, LandmarkFrame, TrackingModel

# MediaPipe's defaults (documented in mediapipe/python/solutions/*.py); kept explicit so that they are visible.
MIN_DETECTION_CONFIDENCE = 0.5
MIN_TRACKING_CONFIDENCE = 0.5
# Model complexity 1 is MediaPipe's default "full" hand and pose model; 0 is faster but its landmarks jitter more.
HAND_MODEL_COMPLEXITY = 1
POSE_MODEL_COMPLEXITY = 1

# Run the face model on every frame unless a caller asks otherwise (see ``Landmarker``'s ``face_every_n_frames``).
DEFAULT_FACE_EVERY_N_FRAMES = 1
# The most frames between two face inferences a caller may ask for: at 30 fps, 3 frames is 0.1 s, about the
# duration of a quick head movement; a face older than that would lag visibly behind the head.
MAX_FACE_EVERY_N_FRAMES = 3

# The order in which the models are created and run on an image.
_MODEL_ORDER = (TrackingModel.HANDS, TrackingModel.POSE, TrackingModel.FACE)


def _points(landmark_list: Any, *, with_visibility: bool = False) -> FloatArray:
    if with_visibility:
        return np.asarray([(p.x, p.y, p.z, p.visibility) for p in landmark_list.landmark], dtype=np.float64)
    return np.asarray([(p.x, p.y, p.z) for p in landmark_list.landmark], dtype=np.float64)


def _solution(model: TrackingModel, *, static_images: bool, max_hands: int) -> Any:
    """Return a MediaPipe solution for ``model``: the settings every model shares, and its own."""
    factory, own_settings = {
        TrackingModel.HANDS: (
            mp.solutions.hands.Hands,
            {"max_num_hands": max_hands, "model_complexity": HAND_MODEL_COMPLEXITY},
        ),
        TrackingModel.POSE: (mp.solutions.pose.Pose, {"model_complexity": POSE_MODEL_COMPLEXITY}),
        # 478 points, with the irises; head_pose uses only points of the first 468.
        TrackingModel.FACE: (mp.solutions.face_mesh.FaceMesh, {"max_num_faces": 1, "refine_landmarks": True}),
    }[model]
    return factory(
        static_image_mode=static_images,
        min_detection_confidence=MIN_DETECTION_CONFIDENCE,
        min_tracking_confidence=MIN_TRACKING_CONFIDENCE,
        **own_settings,
    )


class Landmarker(ClosesOnExit):
    """Runs the requested MediaPipe models on BGR images.

    Parameters
    ----------
    models
        Which models to create and run (the level's). Nothing else is loaded.
    static_images
        ``True`` for unrelated single images (every image gets a full detection); ``False`` for the frames of a
        video or camera, where MediaPipe tracks from one frame to the next (faster and steadier).
    max_hands
        How many hands to look for: 1 (:data:`~tracking.sources.DEFAULT_MAX_HANDS`) or 2. The game asks for two in
        the levels that run hands and face (the sensory trick may use either hand). More than are in view costs a
        palm detection on every frame.
    face_every_n_frames
        Run the face model on one image in ``n`` (1 to :data:`MAX_FACE_EVERY_N_FRAMES`; 1: every image). The images
        in between carry the face found last (at most ``n - 1`` frames old) instead of running the model, so that
        hands and face together keep up with 30 fps on two cores (``benchmarks/bench_model_sets.py``): used by the
        game for the levels that need hands and face (``hand_on_face``). A frame without a face found stays without
        one until the model runs again.

    Not thread-safe: use one instance from one thread at a time.
    """

    def __init__(
        self,
        models: frozenset[TrackingModel],
        *,
        static_images: bool = False,
        max_hands: int = DEFAULT_MAX_HANDS,
        face_every_n_frames: int = DEFAULT_FACE_EVERY_N_FRAMES,
    ) -> None:
        if not models:
            raise ValueError("Landmarker needs at least one tracking model")
        if max_hands not in (1, 2):
            raise ValueError(f"Landmarker max_hands: expected 1 or 2, got {max_hands}")
        if not 1 <= face_every_n_frames <= MAX_FACE_EVERY_N_FRAMES:
            raise ValueError(
                f"Landmarker face_every_n_frames: expected 1 to {MAX_FACE_EVERY_N_FRAMES}, got {face_every_n_frames}"
            )
        self.models = models
        self.max_hands = max_hands
        self.face_every_n_frames = face_every_n_frames
        self._images_seen = 0
        self._last_face: FloatArray | None = None
        self._solutions: dict[TrackingModel, Any] = {}
        try:
            for model in (model for model in _MODEL_ORDER if model in models):
                self._solutions[model] = _solution(model, static_images=static_images, max_hands=max_hands)
        except BaseException:
            self.close()  # release whatever model was already created
            raise

    def process(self, t_s: float, image_bgr: ImageBGR) -> LandmarkFrame:
        """Find hands, pose and face (those requested) in one BGR image taken at ``t_s`` seconds.

        The frame also carries the image's brightness and contrast (:mod:`tracking.image_stats`).
        """
        rgb = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB)
        rgb.flags.writeable = False  # lets MediaPipe wrap the buffer instead of copying it
        run_face = self._images_seen % self.face_every_n_frames == 0
        self._images_seen += 1
        results = {
            model: solution.process(rgb)
            for model, solution in self._solutions.items()
            if model is not TrackingModel.FACE or run_face
        }
        found_hands, found_pose, found_face = (results.get(model) for model in _MODEL_ORDER)
        hands = () if found_hands is None else _hands_from(found_hands)
        pose = None
        if found_pose is not None and found_pose.pose_landmarks is not None:
            pose = _points(found_pose.pose_landmarks, with_visibility=True)
        if found_face is not None:
            self._last_face = _points(found_face.multi_face_landmarks[0]) if found_face.multi_face_landmarks else None
        face = self._last_face if TrackingModel.FACE in self._solutions else None
        stats = image_stats(image_bgr)  # for the set-up check: well under a millisecond
        return LandmarkFrame(
            t_s=t_s,
            hands=hands,
            pose=pose,
            face=face,
            image_brightness=stats.brightness,
            image_contrast=stats.contrast,
        )

    def close(self) -> None:
        """Release the MediaPipe graphs (idempotent)."""
        while self._solutions:
            _, solution = self._solutions.popitem()
            solution.close()


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
