"""The live API (assess_trial) and the offline report's JSON."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from tests.support.paths import HAND_TEMPLATE_PATH, REPO_ROOT
from tracking.analysis import assess_trial
from tracking.analysis_input import analyze_samples
from tracking.errors import TrackingError
from tracking.quality_types import BreakKind, QualityResult
from tracking.synthetic import load_hand_template, synthetic_hand, synthetic_head
from tracking.types import Effector, FloatArray, HeadAngles, LandmarkFrame, Signals, SourceInfo, TrackedSample

pytestmark = pytest.mark.filterwarnings("error")  # numeric warnings are bugs here

TEMPLATE_PATH = HAND_TEMPLATE_PATH


@pytest.fixture(scope="module")
def template() -> FloatArray:
    return load_hand_template(TEMPLATE_PATH)[0]


def test_assess_trial_hand(template: FloatArray) -> None:
    recording = synthetic_hand(template, seed=6, fps=30.0, breaks=[BreakKind.ARREST])
    result = assess_trial(recording.samples(), effector=Effector.HAND, width_px=640, height_px=360)
    assert isinstance(result, QualityResult) and result.effector is Effector.HAND
    assert len(result.movements) == 1
    movement = result.movements[0]
    truth = recording.reaches[0]
    assert [b.kind for b in movement.breaks] == [BreakKind.ARREST]
    assert abs(movement.breaks[0].t_s - truth.injected.t_s) < 0.35  # type: ignore[union-attr]
    length = np.hypot(*np.subtract(truth.end_px, truth.start_px))
    assert movement.path_length_units == pytest.approx(length, rel=0.15)  # a slightly curved path, plus jitter
    assert movement.velocity_peaks >= 2  # the arrest splits the speed profile
    # the same seed's reach without the arrest: one speed peak, and smoother by both measures
    clean_recording = synthetic_hand(template, seed=6, fps=30.0, breaks=[None])
    clean = assess_trial(clean_recording.samples(), effector=Effector.HAND, width_px=640, height_px=360)
    assert clean.breaks == () and clean.movements[0].velocity_peaks == 1
    assert movement.sparc < clean.movements[0].sparc and movement.ldlj < clean.movements[0].ldlj


def test_assess_trial_head_posture_against_target() -> None:
    head = synthetic_head(seed=1, fps=30.0, excursions=1)
    at_neutral = assess_trial(head.samples(), effector=Effector.HEAD, width_px=640, height_px=360)
    assert [b.kind for b in at_neutral.breaks] == [BreakKind.POSTURE]
    # a target posture 30 degrees away: the whole trial is a posture break from its first sample
    away = assess_trial(head.samples(), effector=Effector.HEAD, width_px=640, height_px=360,
                        head_target_deg=(30.0, 0.0, 0.0))
    assert away.breaks[0].kind is BreakKind.POSTURE and away.breaks[0].t_s == pytest.approx(0.0)


def test_trial_without_movement_or_tracking() -> None:
    empty = assess_trial([], effector=Effector.HAND, width_px=640, height_px=360)
    assert empty.movements == () and empty.breaks == () and empty.mean_sparc is None
    untracked = [TrackedSample(LandmarkFrame(t_s=i / 30), Signals(t_s=i / 30)) for i in range(60)]
    assert assess_trial(untracked, effector=Effector.HAND, width_px=640, height_px=360).movements == ()


def test_report_json_has_exactly_the_documented_shape(template: FloatArray) -> None:
    recording = synthetic_hand(template, seed=3, fps=25.0, breaks=[None, BreakKind.JERK])
    report = analyze_samples(recording.samples(), info=recording.info)
    data = json.loads(json.dumps(report.to_json(), allow_nan=False))
    assert set(data) == {"source", "fps", "frames", "tracked_frames", "movements", "breaks", "summary"}
    assert data["frames"] == data["tracked_frames"] == len(recording.frames)
    assert data["fps"] == 25.0 and data["source"] == recording.info.name
    assert len(data["movements"]) == 2
    for movement in data["movements"]:
        assert set(movement) == {"effector", "start", "end", "duration", "peak_speed", "path_length", "sparc",
                                 "ldlj", "velocity_peaks", "breaks"}
        assert movement["effector"] == "hand"
        assert movement["duration"] == pytest.approx(movement["end"] - movement["start"], abs=0.002)
    assert [b["kind"] for b in data["breaks"]] == ["jerk"]
    assert set(data["breaks"][0]) == {"t", "kind", "effector", "severity"}
    assert data["movements"][1]["breaks"] == data["breaks"]
    minutes = len(recording.frames) / 25.0 / 60.0
    assert data["summary"] == {
        "movements": 2,
        "mean_sparc": round((report.result.movements[0].sparc + report.result.movements[1].sparc) / 2, 4),
        "breaks_per_minute": round(1 / minutes, 2),
    }


def test_json_has_null_not_nan() -> None:
    info = SourceInfo(fps=30.0, width_px=640, height_px=360, name="still")
    samples = [TrackedSample(LandmarkFrame(t_s=i / 30), Signals(t_s=i / 30, head=HeadAngles(0.0, 0.0, 0.0)))
               for i in range(90)]
    data = analyze_samples(samples, info=info).to_json()
    assert data["summary"]["mean_sparc"] is None and data["movements"] == []
    json.dumps(data, allow_nan=False)  # raises ValueError on a NaN or an infinity anywhere in the report
    assert not any(isinstance(v, float) and math.isnan(v) for v in data["summary"].values())


def test_missing_effector_is_a_clear_error(template: FloatArray) -> None:
    recording = synthetic_hand(template, seed=0, fps=25.0, breaks=[None])
    with pytest.raises(TrackingError, match="has no face landmarks"):
        analyze_samples(recording.samples(), info=recording.info, effector=Effector.HEAD)
    info = SourceInfo(fps=25.0, width_px=640, height_px=360, name="empty.jsonl")
    nothing = [TrackedSample(LandmarkFrame(t_s=i / 25), Signals(t_s=i / 25)) for i in range(10)]
    with pytest.raises(TrackingError, match="empty.jsonl: no hand and no face was tracked in any of its 10 frames"):
        analyze_samples(nothing, info=info)


def test_the_analysis_core_loads_no_file_camera_or_mediapipe_module() -> None:
    """tracking.analysis is the pure core (numpy, scipy): the game imports it for every trial, tests and tools
    analyse samples without a camera, OpenCV or MediaPipe."""
    code = (
        "import sys, tracking.analysis\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'cv2', 'mediapipe', 'matplotlib', 'pygame'}\n"
        "             or m in {'tracking.live', 'tracking.pipeline', 'tracking.sources', 'tracking.recording'}))\n"
    )
    root = REPO_ROOT
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_speeds_and_lengths_are_in_the_effectors_unit(template: FloatArray) -> None:
    recording = synthetic_hand(template, seed=3, fps=25.0, breaks=[None])
    hand = analyze_samples(recording.samples(), info=recording.info)
    movement = hand.result.movements[0]
    assert (Effector.HAND.unit, hand.trace.unit) == ("px", "px/s")
    assert movement.peak_speed_units_per_s == pytest.approx(float(np.nanmax(hand.trace.speed_units_per_s)))
    published = hand.to_json()["movements"][0]
    assert published["peak_speed"] == round(movement.peak_speed_units_per_s, 2)
    assert published["path_length"] == round(movement.path_length_units, 2)
    head = synthetic_head(seed=1, fps=30.0, excursions=1)
    angles = analyze_samples(head.samples(), info=head.info, effector=Effector.HEAD)
    assert (Effector.HEAD.unit, angles.trace.unit) == ("deg", "deg/s")
