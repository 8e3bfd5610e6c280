"""The baseline of the speed benchmarks: bare MediaPipe Hands on every frame of a video, with our settings.

decode (``cv2.VideoCapture.read``) + BGR->RGB + ``mp.solutions.hands.Hands.process``: what any program using
MediaPipe must do at least, so that a ratio against it is motorplay's own cost.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import mediapipe as mp  # the baseline is bare MediaPipe, outside motorplay's packages
import numpy.typing as npt

from tracking.landmarker import HAND_MODEL_COMPLEXITY, MIN_DETECTION_CONFIDENCE, MIN_TRACKING_CONFIDENCE
from tracking.sources import DEFAULT_MAX_HANDS

Timing = tuple[int, float, float]  # frames, wall-clock seconds, CPU seconds of the process


def bare_hands() -> mp.solutions.hands.Hands:
    """MediaPipe Hands with motorplay's settings (video mode, its hand count, model complexity and confidences)."""
    return mp.solutions.hands.Hands(
        static_image_mode=False,
        max_num_hands=DEFAULT_MAX_HANDS,
        model_complexity=HAND_MODEL_COMPLEXITY,
        min_detection_confidence=MIN_DETECTION_CONFIDENCE,
        min_tracking_confidence=MIN_TRACKING_CONFIDENCE,
    )


def rgb_frames(capture: cv2.VideoCapture) -> Iterator[npt.NDArray[Any]]:
    """Every frame ``capture`` decodes, converted BGR->RGB and made read-only (as MediaPipe wants it)."""
    while True:
        ok, image = capture.read()
        if not ok:
            return
        rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        rgb.flags.writeable = False
        yield rgb


def run_bare_hands(video: Path, *, include_model_load: bool) -> Timing:
    """(frames, wall s, CPU s) of bare MediaPipe Hands over every frame of ``video``.

    ``include_model_load`` starts the clock before the model is created (as a user of a command waits for it);
    otherwise the clock starts at the first frame.
    """
    start_s, start_cpu_s = time.perf_counter(), time.process_time()
    with bare_hands() as hands:
        capture = cv2.VideoCapture(str(video))
        if not include_model_load:
            start_s, start_cpu_s = time.perf_counter(), time.process_time()
        frames = 0
        for rgb in rgb_frames(capture):
            hands.process(rgb)
            frames += 1
        elapsed_s, cpu_s = time.perf_counter() - start_s, time.process_time() - start_cpu_s
        capture.release()
    return frames, elapsed_s, cpu_s
