"""End to end on video: a real hand (cut from hand_image.jpg) moved along a known path, tracked by MediaPipe.

Five runs of the same 200 px minimum-jerk reach: smooth, with a 0.35 s arrest, with a sideways spasm of 30 px
(15% of the reach) over 0.16 s, and with a spasm along the path of 24 px (12%) over 0.16 s, ahead or back. The
smooth run has no break and the best SPARC; the others have their break at the right time (within 0.35 s).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.support.moving_hand import render_moving_hand_video
from tracking.analysis_input import analyze_file
from tracking.analysis_report import AnalysisReport
from tracking.quality_types import BreakKind
from tracking.synthetic import minimum_jerk

pytestmark = pytest.mark.mediapipe

FPS = 25.0
DURATION_S = 3.8
REACH_START_S = 1.2
REACH_S = 1.2
ARREST_AT_S = REACH_START_S + 0.55
ARREST_S = 0.35
SPASM_AT_S = REACH_START_S + 0.8  # in the deceleration, where a spasm adds its own speed peak
SPASM_S = 0.16
SPASM_PX = 30.0
JOLT_PX = 24.0  # along the path: the hand shoots ahead of the reach (or is jerked back) and returns to it
JOLT_SIGN = {"jolt_ahead": 1.0, "jolt_back": -1.0}
TOLERANCE_S = 0.35


def centres(kind: str) -> tuple[np.ndarray, float | None]:
    """Patch centres (pixels) per frame and the true break time."""
    t_s = np.arange(0.0, DURATION_S, 1.0 / FPS)
    hold_s = ARREST_S if kind == "arrest" else 0.0
    elapsed = t_s - REACH_START_S
    elapsed = np.where(t_s < ARREST_AT_S, elapsed, np.maximum(ARREST_AT_S - REACH_START_S, elapsed - hold_s))
    x = 220.0 + 200.0 * minimum_jerk(elapsed / REACH_S)
    y = np.full_like(t_s, 190.0)
    bump = np.sin(np.pi * np.clip((t_s - SPASM_AT_S) / SPASM_S, 0.0, 1.0)) ** 2
    if kind == "spasm":
        y += SPASM_PX * bump
        return np.column_stack([x, y]), SPASM_AT_S + SPASM_S / 2
    if kind in JOLT_SIGN:
        x += JOLT_SIGN[kind] * JOLT_PX * bump
        return np.column_stack([x, y]), SPASM_AT_S + SPASM_S / 2
    truth = ARREST_AT_S + ARREST_S / 2 if kind == "arrest" else None
    return np.column_stack([x, y]), truth


@pytest.fixture(scope="session")
def video_runs(
    media_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[AnalysisReport, float | None]]:
    folder = tmp_path_factory.mktemp("quality_video")
    runs = {}
    for kind in ("smooth", "arrest", "spasm", *JOLT_SIGN):
        path, truth = centres(kind)
        video = render_moving_hand_video(folder / f"{kind}.avi", path, fps=FPS, media_dir=media_dir)
        runs[kind] = (analyze_file(video), truth)
    return runs


def test_every_frame_tracked_and_one_movement(video_runs: dict[str, tuple[AnalysisReport, float | None]]) -> None:
    for kind, (report, _) in video_runs.items():
        assert report.frames == report.tracked_frames == int(round(DURATION_S * FPS)), kind
        assert len(report.result.movements) == 1, kind
        movement = report.result.movements[0]
        assert movement.start_s == pytest.approx(REACH_START_S, abs=0.2), kind
        # 200 px along x, as rendered (plus the spasm's out-and-back; a jolt along x adds at most its own)
        extra_px = {"spasm": 2 * SPASM_PX, "jolt_ahead": JOLT_PX, "jolt_back": JOLT_PX}.get(kind, 0.0)
        assert movement.path_length_units == pytest.approx(200.0 + extra_px, rel=0.15), kind


def test_smooth_run_has_no_break_and_the_best_sparc(
    video_runs: dict[str, tuple[AnalysisReport, float | None]],
) -> None:
    smooth = video_runs["smooth"][0].result
    assert smooth.breaks == ()
    assert smooth.movements[0].velocity_peaks == 1
    for kind in ("arrest", "spasm", *JOLT_SIGN):
        assert smooth.movements[0].sparc > video_runs[kind][0].result.movements[0].sparc, kind


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("arrest", BreakKind.ARREST), ("spasm", BreakKind.JERK), ("jolt_ahead", BreakKind.JERK),
     ("jolt_back", BreakKind.JERK)],
)
def test_break_found_at_the_right_time(
    video_runs: dict[str, tuple[AnalysisReport, float | None]], kind: str, expected: BreakKind
) -> None:
    report, truth = video_runs[kind]
    assert truth is not None
    assert [b.kind for b in report.result.breaks] == [expected]
    assert abs(report.result.breaks[0].t_s - truth) <= TOLERANCE_S
