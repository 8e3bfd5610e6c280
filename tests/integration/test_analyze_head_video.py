"""``motorplay analyze`` on a real face video: a known head roll held away from neutral is one posture break.

``face_test.jpeg`` is rolled in-plane by 18 degrees (minimum-jerk ramps of 0.25 s) from 1.5 s to 2.75 s and
back; the first second is neutral, so the posture break is measured against it. The effector (head) is found by
the command itself from the first frames.
"""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from game.cli import main
from tracking.synthetic import minimum_jerk

pytestmark = pytest.mark.mediapipe

FPS = 25.0
ROLL_DEG = 18.0
ROLL_FROM_S, ROLL_BACK_S, RAMP_S = 1.5, 2.75, 0.25


@pytest.fixture(scope="session")
def rolled_face_video(media_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    photo = cv2.imread(str(media_dir / "face_test.jpeg"))
    assert photo is not None
    image = cv2.resize(photo, (640, 426))[33:393]
    path = tmp_path_factory.mktemp("head_video") / "rolled_face.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), FPS, (640, 360))
    t_s = np.arange(0, 4.0, 1 / FPS)
    angles = ROLL_DEG * (minimum_jerk((t_s - ROLL_FROM_S) / RAMP_S) - minimum_jerk((t_s - ROLL_BACK_S) / RAMP_S))
    for angle in angles:
        turn = cv2.getRotationMatrix2D((320, 180), float(angle), 1.0)
        writer.write(cv2.warpAffine(image, turn, (640, 360), borderMode=cv2.BORDER_REFLECT))
    writer.release()
    return path


def test_held_roll_is_one_posture_break(rolled_face_video: Path, tmp_path: Path) -> None:
    out = tmp_path / "head.json"
    assert main(["analyze", str(rolled_face_video), "--json", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["tracked_frames"] == data["frames"] == 100
    assert [m["effector"] for m in data["movements"]] == ["head", "head"]  # turning away, turning back
    assert [b["kind"] for b in data["breaks"]] == ["posture"]
    assert abs(data["breaks"][0]["t"] - (ROLL_FROM_S + RAMP_S / 2)) <= 0.35
    assert data["breaks"][0]["severity"] * 10.0 == pytest.approx(ROLL_DEG, abs=3.0)  # peak degrees / 10
