"""Tracked samples a second, for every model set a level uses, from a 30 fps 640x360 source while the game runs.

Each model set runs in the live tracker's worker thread (the paced file tracker, as ``play --source`` runs it) while
a level of the catalogue that uses it is played headless at 60 fps in the main thread (the real App, LevelScene and
TrackingInput: update, render and the input events of every sample): the two share the machine's 2 cores as in a
session. The source is ``benchmarks.live_load.make_source_video``: ``hand_video.mp4`` re-timed from 25 to 30 fps
with the head and shoulders of ``business_person.png`` pasted beside the hand, so that the face and pose models have
a person to track.

Model sets (the levels that use them): hands (reach, grasp, trace*); face (head, hold, stretch); hands+face with
``max_hands=2`` (head-trick, assessment: ``hand_on_face`` may use either hand; breathe, whose rate comes from the
face's midline); face+pose and hands+face+pose (a breathe level with
``breathing_rate_from = "shoulders"``). Hands+face sets also run with the face model on
alternate frames (``face_every_n_frames=2``), as the game runs them.

Printed per set: tracked samples a second (target >= 24), the fraction of frames tracked, and bare inference per
frame (the Landmarker alone, median and p95, in ms, inside the same run). Prints figures; never fails on noise.

Run: ``.venv/bin/python -m benchmarks.bench_model_sets [--seconds 12]``
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.live_load import HAND_VIDEO, SOURCE_FPS, make_source_video, percentiles, play_level, tracked_rate
from tracking.priority import shorten_time_slices
from tracking.types import TrackingModel

TARGET_SAMPLES_PER_S = 24.0
H, F, P = TrackingModel.HANDS, TrackingModel.FACE, TrackingModel.POSE


@dataclass(frozen=True)
class ModelSet:
    """One model set, the level played while it runs, and its tracker settings."""

    label: str
    models: frozenset[TrackingModel]
    level: str
    max_hands: int = 1
    face_every_n_frames: int = 1


MODEL_SETS = (
    ModelSet("hands", frozenset({H}), "reach"),
    ModelSet("face", frozenset({F}), "head"),
    ModelSet("hands+face (2 hands)", frozenset({H, F}), "head-trick", max_hands=2),
    ModelSet("hands+face (2 hands), face 1/2", frozenset({H, F}), "head-trick", max_hands=2, face_every_n_frames=2),
    ModelSet("hands+face (2 hands): breathe", frozenset({H, F}), "breathe", max_hands=2),
    ModelSet("face+pose", frozenset({F, P}), "breathe"),
    ModelSet("hands+face+pose (2 hands)", frozenset({H, F, P}), "breathe", max_hands=2),
    ModelSet("hands+face+pose (2h), face 1/2", frozenset({H, F, P}), "breathe", max_hands=2, face_every_n_frames=2),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=12.0, help="wall seconds of play per model set")
    parser.add_argument("--only", default=None, help="run only the sets whose label contains this text")
    parser.add_argument(
        "--background-tracking", action="store_true", help="the tracking threads in the background (tracking.priority)"
    )
    args = parser.parse_args()
    if not HAND_VIDEO.is_file():
        print(f"skipped: {HAND_VIDEO} not found (the real test media, expected beside the repo)")
        return 0
    short_slices = shorten_time_slices()  # as motorplay play does (tracking.priority)
    print(f"time slices: {'short (0.1 ms), as the game asks' if short_slices else 'the kernel default'}")
    print(
        f"source: hand_video.mp4 re-timed to {SOURCE_FPS:g} fps, 640x360, face of business_person.png beside the "
        f"hand; {args.seconds:g} s of headless play per set; {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f}; tracking at {'background' if args.background_tracking else 'normal'} priority"
    )
    header = f"{'model set':32s}{'level':>12s}{'samples/s':>11s}{'tracked':>9s}{'infer p50':>11s}{'p95 ms':>8s}"
    print(header + f"{'frame p99':>11s}  target >= {TARGET_SAMPLES_PER_S:g}/s")
    with tempfile.TemporaryDirectory() as folder:
        video = make_source_video(Path(folder) / "source30.mp4", seconds=args.seconds + 30.0)
        for model_set in MODEL_SETS:
            if args.only is not None and args.only not in model_set.label:
                continue
            run = play_level(
                model_set.level,
                args.seconds,
                video=video,
                models=model_set.models,
                max_hands=model_set.max_hands,
                face_every_n_frames=model_set.face_every_n_frames,
                background=args.background_tracking,
            )
            assert run.times is not None
            rate, fraction, _, _ = tracked_rate(run.times, SOURCE_FPS)
            inference_ms = [
                (end - run.times.inference_start_s[t_s]) * 1000.0 for t_s, end in run.times.inference_end_s.items()
            ]
            p50, p95 = percentiles(inference_ms, (50, 95))
            frame_p99 = percentiles(run.update_render_ms, (99,))[0]
            verdict = "ok" if rate >= TARGET_SAMPLES_PER_S else "BELOW"
            print(
                f"{model_set.label:32s}{model_set.level:>12s}{rate:11.1f}{fraction:9.1%}{p50:11.1f}{p95:8.1f}"
                f"{frame_p99:11.2f}  {verdict}"
            )
    print(f"load average at the end {os.getloadavg()[0]:.1f} (2 cores: above 2, other programs competed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
