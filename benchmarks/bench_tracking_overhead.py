"""How much does motorplay's tracking pipeline cost over bare MediaPipe, per frame, on the same video?

Target (tracking issue): the pipeline costs at most 1.10x bare MediaPipe per frame.

- bare: ``cv2.VideoCapture.read`` + BGR->RGB + ``mp.solutions.hands.Hands.process`` (same settings as ours);
- pipeline: ``tracking.pipeline.open_tracked_file`` (the video's landmark source: decoding and the Landmarker; then
  the SignalExtractor), every frame, as ``motorplay track`` runs it;
- pipeline+write: the same, also writing the recording with signals (RecordingWriter), i.e. all of ``track``.

Runs are interleaved and repeated (the order rotates each round) so that a noisy machine affects all alike; the
median ratio over rounds is reported, for wall-clock time and for the process's CPU time (all threads; less
sensitive to other programs competing for the two cores). Prints figures, never fails on noise (exit code 0
unless it cannot run).

Because wall and CPU times of whole runs swing by 10-15% on a loaded two-core machine, the script also times
motorplay's own per-frame work alone (signals from the landmarks, and the JSON line of the recording), replayed
on the landmark frames of one run: a steady figure that shows how much of a measured ratio is ours.

Usage: ``.venv/bin/python -m benchmarks.bench_tracking_overhead [--video PATH] [--rounds N]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.bare_mediapipe import Timing, run_bare_hands
from tracking.pipeline import open_tracked_file
from tracking.recording import RecordingWriter, frame_to_json
from tracking.signals import SignalExtractor
from tracking.types import LandmarkFrame, TrackingModel

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VIDEO = REPO_ROOT.parent / "shared" / "media" / "hand_video.mp4"
TARGET_RATIO = 1.10
HANDS = frozenset({TrackingModel.HANDS})


def pipeline(video: Path, *, write_to: Path | None = None) -> Timing:
    """(frames, wall s, CPU s) for our pipeline, models loaded (at open) before the clock starts."""
    frames = 0
    with open_tracked_file(video, HANDS) as tracked:
        writer = RecordingWriter(write_to, tracked.info) if write_to is not None else None
        start_s, start_cpu_s = time.perf_counter(), time.process_time()
        for sample in tracked.samples():
            if writer is not None:
                writer.write(sample.frame, sample.signals)
            frames += 1
        if writer is not None:
            writer.close()
        elapsed_s, cpu_s = time.perf_counter() - start_s, time.process_time() - start_cpu_s
    return frames, elapsed_s, cpu_s


def own_work_ms(video: Path, *, repeats: int = 20) -> tuple[float, float]:
    """Milliseconds per frame of (signal extraction, JSON line) on the landmark frames of one run of ``video``."""
    with open_tracked_file(video, HANDS) as tracked:
        frames: list[LandmarkFrame] = [sample.frame for sample in tracked.samples()]
        info = tracked.info
    start_s = time.perf_counter()
    for _ in range(repeats):
        extractor = SignalExtractor(width_px=info.width_px, height_px=info.height_px, head_neutral=None)
        signals = [extractor.update(frame) for frame in frames]
    signals_ms = 1000.0 * (time.perf_counter() - start_s) / (repeats * len(frames))
    start_s = time.perf_counter()
    for _ in range(repeats):
        for frame, frame_signals in zip(frames, signals, strict=True):
            json.dumps(frame_to_json(frame, frame_signals), separators=(",", ":"))
    json_ms = 1000.0 * (time.perf_counter() - start_s) / (repeats * len(frames))
    return signals_ms, json_ms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--video", type=Path, default=DEFAULT_VIDEO)
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    args = parser.parse_args(argv)
    if not args.video.is_file():
        print(f"bench_tracking_overhead: video not found: {args.video}", file=sys.stderr)
        return 1

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "bench.jsonl"
        variants: dict[str, Callable[[], Timing]] = {
            "bare": lambda: run_bare_hands(args.video, include_model_load=False),
            "pipeline": lambda: pipeline(args.video),
            "pipeline+write": lambda: pipeline(args.video, write_to=out),
        }
        names = list(variants)
        variants["bare"]()  # warm-up: first-run costs (disk cache, lazy initialisation) excluded
        wall_ms: dict[str, list[float]] = {name: [] for name in names}
        cpu_ms: dict[str, list[float]] = {name: [] for name in names}
        frame_counts: set[int] = set()
        for round_index in range(args.rounds):
            order = names[round_index % len(names) :] + names[: round_index % len(names)]
            for name in order:
                frames, elapsed_s, cpu_s = variants[name]()
                frame_counts.add(frames)
                wall_ms[name].append(1000.0 * elapsed_s / frames)
                cpu_ms[name].append(1000.0 * cpu_s / frames)
            print(
                f"round {round_index + 1}/{args.rounds}: "
                + ", ".join(f"{name} {wall_ms[name][-1]:.2f} ms/frame (CPU {cpu_ms[name][-1]:.2f})" for name in names),
                flush=True,
            )

    print(f"\n{args.video.name}: frames per run {sorted(frame_counts)}, {args.rounds} interleaved rounds")
    for name in names:
        print(
            f"  {name:15s} wall median {statistics.median(wall_ms[name]):6.2f} ms/frame "
            f"(min {min(wall_ms[name]):.2f}), CPU median {statistics.median(cpu_ms[name]):6.2f} ms/frame"
        )
    for name in names[1:]:
        for label, table in (("wall", wall_ms), ("CPU", cpu_ms)):
            ratios = [ours / bare for ours, bare in zip(table[name], table["bare"], strict=True)]
            median = statistics.median(ratios)
            verdict = "within" if median <= TARGET_RATIO else "ABOVE"
            print(
                f"  ratio {name}/bare ({label}): median {median:.3f} "
                f"(rounds {', '.join(f'{r:.3f}' for r in ratios)}) -> {verdict} the {TARGET_RATIO:.2f}x target"
            )
    signals_ms, json_ms = own_work_ms(args.video)
    bare_ms = statistics.median(cpu_ms["bare"])
    print(
        f"  own work alone: signals {signals_ms:.3f} ms/frame, recording line {json_ms:.3f} ms/frame; "
        f"(bare + signals) / bare = {(bare_ms + signals_ms) / bare_ms:.3f}, "
        f"(bare + signals + line) / bare = {(bare_ms + signals_ms + json_ms) / bare_ms:.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
