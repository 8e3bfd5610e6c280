"""Game frame time (update + render) in every level of the catalogue, played headless with scripted mouse input.

Each level is played for ``--seconds`` of wall time at 60 fps by the real App and LevelScene, the mouse scripted
(``benchmarks.live_load.ScriptedMouse``: a Lissajous path over the window and a click every 1.5 s; the mouse also
moves the simulated head in head levels). Each frame's update + render time is recorded (the pacing sleep excluded;
the first frame, which sets the level up, left out) and p50 / p95 / p99 printed, with the frame interval p99 (sleep
included). A level that ends within the time goes on to its results screen, whose frames count too (the scenes
column says so). The baseline, measured first in the same run: the reach level (the simplest scene); the ratio
column is each level's p99 over it. Target: p99 at most 16.7 ms (one 60 fps frame). Prints figures; never fails on
noise.

Run: ``.venv/bin/python -m benchmarks.bench_level_frames [--seconds 8] [--levels reach,head]``
"""

from __future__ import annotations

import argparse
import os
import sys

from benchmarks.live_load import FRAME_BUDGET_MS, percentiles, play_level
from levels.loader import list_levels


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="wall seconds of play per level")
    parser.add_argument("--levels", default=None, help="comma-separated level names (default: the whole catalogue)")
    args = parser.parse_args()
    names = list_levels() if args.levels is None else args.levels.split(",")
    names = ["reach"] + [name for name in names if name != "reach"]  # the baseline first
    print(f"every level headless, scripted mouse, {args.seconds:g} s each, 60 fps, {os.cpu_count()} CPUs, load "
          f"average {os.getloadavg()[0]:.1f}")
    print(f"{'level':16s}{'p50 ms':>9s}{'p95 ms':>9s}{'p99 ms':>9s}{'p99/reach':>10s}{'interval p99':>14s}"
          f"{'frames':>8s}  scenes")
    reference_p99 = 0.0
    worst = ("", 0.0)
    for name in names:
        run = play_level(name, args.seconds)
        p50, p95, p99 = percentiles(run.update_render_ms)
        interval_p99 = percentiles(run.intervals_ms, (99,))[0]
        if name == "reach":
            reference_p99 = p99
        worst = max(worst, (name, p99), key=lambda item: item[1])
        scenes = ">".join(dict.fromkeys(run.scenes))
        print(f"{name:16s}{p50:9.2f}{p95:9.2f}{p99:9.2f}{p99 / reference_p99:10.2f}{interval_p99:14.1f}"
              f"{len(run.update_render_ms):8d}  {scenes}")
    verdict = "within" if worst[1] <= FRAME_BUDGET_MS else "OVER"
    print(f"worst p99: {worst[0]} {worst[1]:.2f} ms, {verdict} the {FRAME_BUDGET_MS:.1f} ms budget of a 60 fps frame")
    return 0


if __name__ == "__main__":
    sys.exit(main())
