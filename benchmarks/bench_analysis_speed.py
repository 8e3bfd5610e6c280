"""How fast is offline movement-quality analysis, against real time and against bare MediaPipe, on one video?

Target (movement-quality issue): ``motorplay analyze`` runs at least 2x real time on a 640x360, 25 fps video with
hands only, on 2 cores. Also reported: the live per-trial analysis (``assess_trial``) on a 10 s trial, whose
target is well under 50 ms.

- bare: ``cv2.VideoCapture.read`` + BGR->RGB + ``mp.solutions.hands.Hands.process`` (our settings), every frame;
- analyze: ``tracking.analysis_input.analyze_file`` end to end (decode, MediaPipe, signals, analysis), as
  ``motorplay analyze --effector hand`` runs it (the hand model only, as bare MediaPipe), models loaded inside the
  clock (as a user waits for them);
- analysis only: the same samples already tracked, analysed again (the part this module adds).

Rounds are interleaved; medians are printed. Prints figures, never fails on noise.

Usage: ``.venv/bin/python -m benchmarks.bench_analysis_speed [--video PATH] [--rounds N]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import cv2

from benchmarks.bare_mediapipe import run_bare_hands
from tracking.analysis import assess_trial
from tracking.analysis_input import analyze_file, analyze_samples
from tracking.pipeline import open_tracked_file
from tracking.quality_types import BreakKind
from tracking.synthetic import load_hand_template, synthetic_hand
from tracking.types import Effector

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VIDEO = REPO_ROOT.parent / "shared" / "media" / "hand_video.mp4"
TEMPLATE = REPO_ROOT / "tests" / "fixtures" / "hand_landmarks_open.json"
TARGET_REAL_TIME = 2.0
LIVE_TARGET_MS = 50.0
TRIAL_S = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--video", type=Path, default=DEFAULT_VIDEO)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not args.video.is_file():
        print(f"video not found: {args.video}", file=sys.stderr)
        return 2
    capture = cv2.VideoCapture(str(args.video))
    fps = float(capture.get(cv2.CAP_PROP_FPS))
    frames = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
    capture.release()
    duration_s = frames / fps
    with open_tracked_file(args.video) as tracked:
        info, samples = tracked.info, list(tracked.samples())

    bare, full, only = [], [], []
    for _ in range(args.rounds):
        bare.append(run_bare_hands(args.video, include_model_load=True)[1])
        start_s = time.perf_counter()
        report = analyze_file(args.video, effector=Effector.HAND)
        full.append(time.perf_counter() - start_s)
        start_s = time.perf_counter()
        analyze_samples(samples, info=info, effector=Effector.HAND)
        only.append(time.perf_counter() - start_s)

    template, _ = load_hand_template(TEMPLATE)
    trial = synthetic_hand(template, seed=0, fps=30.0, breaks=[BreakKind.ARREST, BreakKind.JERK, BreakKind.REVERSAL])
    trial_samples = [s for s in trial.samples() if s.frame.t_s < TRIAL_S]
    live = []
    for _ in range(20):
        start_s = time.perf_counter()
        assess_trial(trial_samples, effector=Effector.HAND, width_px=640, height_px=360)
        live.append((time.perf_counter() - start_s) * 1000)

    bare_s, full_s, only_s = (statistics.median(v) for v in (bare, full, only))
    size = f"{info.width_px}x{info.height_px}"
    print(f"video: {args.video.name}, {size}, {fps:g} fps, {frames} frames ({duration_s:.1f} s)")
    print(f"found: {len(report.result.movements)} movements, {len(report.result.breaks)} breaks")
    print(f"bare MediaPipe     {bare_s:6.2f} s  = {duration_s / bare_s:5.2f}x real time")
    target = f"(target >= {TARGET_REAL_TIME}x)"
    print(f"analyze (end2end)  {full_s:6.2f} s  = {duration_s / full_s:5.2f}x real time  {target}")
    print(f"analysis only      {only_s * 1000:6.1f} ms")
    print(f"ratio analyze / bare MediaPipe: {full_s / bare_s:.3f}")
    print(f"live assess_trial on a {TRIAL_S:g} s trial at 30 fps: median {statistics.median(live):.1f} ms, "
          f"max {max(live):.1f} ms (target < {LIVE_TARGET_MS:g} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
