"""Start-up time, input latency, dropped samples and display frame intervals with live tracking (issue 9).

1. Start-up: a child process is launched and timed from before its launch (``time.monotonic``: one clock for
   every process on Linux) to (a) the loading screen on the display (first flip of the real LoadingScene) and
   (b) the first tracked frame reaching the game (the real App: LoadingScene opens the tracker in its thread, then
   the reach level starts the file). The child does what ``motorplay play --source hand_video.mp4 --headless``
   does before its first frame (imports, window, loading screen, MediaPipe), without the menu. Targets: loading
   screen within 100 ms, first tracked frame within 3 s.
2. Latency: the reach level played headless with the 25 fps ``hand_video.mp4`` (looped to the length asked, one
   tracker) tracked live. For each frame: when it was due (the paced file tracker plays at the file's timestamps),
   when inference began and ended (the Landmarker alone: "bare inference"), and when the game's loop received its
   sample. Target: p95 of due -> received at most p95 of bare inference + 5 ms.
3. Dropped samples: frames tracked among those due over the play, and how many were skipped by the late-frame
   rule (read, never inferred, because the next frame was already due). Also the cost of reopening MediaPipe,
   which ``bench_game_frame_time`` pays each time its 8 s video ends. Target: >= 98% tracked when inference is
   faster than the frame interval.
4. Display frame interval p99 (the pacing sleep included) with that tracking, against the same level with the
   scripted mouse and no tracking (the baseline, in the same run). Target: <= 17.5 ms at 60 fps.

Prints figures and the machine's load average; never fails on noise.

Run: ``.venv/bin/python -m benchmarks.bench_startup_latency [--seconds 12]``
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

START_UP_TARGET_S = 3.0
LOADING_TARGET_S = 0.1
LATENCY_MARGIN_MS = 5.0
TRACKED_TARGET = 0.98
INTERVAL_TARGET_MS = 17.5
# How long the start-up child plays at most (from its launch): far beyond the target, so that a slow start is
# measured rather than cut off.
CHILD_MAX_S = 20.0


def _child(video: Path, launched_s: float) -> int:
    """The start-up child: print when the loading screen was shown and when the first tracked frame arrived."""
    import pygame

    from benchmarks.live_load import PollTimedTracker, SampleTimes
    from clinic.calibration_store import CalibrationStore
    from game.app import App
    from game.frame_clock import RealFrameClock
    from game.input_source import KeysOnlyInput
    from game.scenes.base import GameContext
    from game.scenes.loading import LoadingScene
    from game.scenes.routes import ToLevel
    from game.session import DEFAULT_WINDOW_PX
    from game.theme import Theme
    from game.tracking_input import TrackingInput, TrackingOpener
    from levels.loader import load_level
    from tracking.calibration import ReachRange
    from tracking.live import SourceSpec
    from tracking.types import Effector, HeadAngles, TrackingModel

    times = SampleTimes()

    class TimedOpener(TrackingOpener):
        def open(self, *, reach: ReachRange, head_neutral: HeadAngles | None) -> TrackingInput:
            opened = super().open(reach=reach, head_neutral=head_neutral)
            timed = PollTimedTracker(opened.tracker, time.monotonic, times)
            return TrackingInput(timed, reach=reach, paused=True, name=opened.name)

    pygame.display.init()
    pygame.font.init()
    surface = pygame.display.set_mode(DEFAULT_WINDOW_PX)
    clock = RealFrameClock(started_s=launched_s)
    level = load_level("reach")
    with tempfile.TemporaryDirectory() as data_dir:
        context = GameContext(
            screen_size_px=DEFAULT_WINDOW_PX,
            theme=Theme.for_height(DEFAULT_WINDOW_PX[1]),
            level=level,
            patient="bench",
            store=CalibrationStore(Path(data_dir)),
            input_source=KeysOnlyInput(),
            models=frozenset({TrackingModel.HANDS}),
        )
        context.tracking = TimedOpener(
            SourceSpec(path=video), frozenset({TrackingModel.HANDS}), clock.now_s, frozenset({Effector.HAND})
        )
        loading = LoadingScene(context, then=ToLevel())
        loading.draw(surface)
        pygame.display.flip()
        loading_s = time.monotonic() - launched_s
        app = App(surface, context, loading, clock, max_seconds=CHILD_MAX_S)
        app.run()
        context.input_source.close()
    first_s = min(times.polled_s.values(), default=float("nan")) - launched_s
    print(f"{loading_s:.4f} {first_s:.4f}")
    return 0


def start_up(video: Path, rounds: int) -> list[tuple[float, float]]:
    """(loading screen s, first tracked frame s) after launch, per round."""
    results = []
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")
    for _ in range(rounds):
        launched_s = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_startup_latency", "--child", str(video), repr(launched_s)],
            capture_output=True, text=True, env=env, check=True,
        )
        loading_s, first_s = (float(v) for v in done.stdout.strip().splitlines()[-1].split())
        results.append((loading_s, first_s))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--rounds", type=int, default=3, help="start-up launches")
    parser.add_argument("--child", nargs=2, metavar=("VIDEO", "LAUNCHED_S"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _child(Path(args.child[0]), float(args.child[1]))

    from benchmarks.live_load import HAND_VIDEO, make_source_video, percentiles, play_level
    from tracking.live import open_live_tracker
    from tracking.sources import SourceSpec
    from tracking.types import TrackingModel

    if not HAND_VIDEO.is_file():
        print(f"skipped: {HAND_VIDEO} not found (the real test media, expected beside the repo)")
        return 0
    print(f"{os.cpu_count()} CPUs, load average at start {os.getloadavg()[0]:.1f}")
    runs = start_up(HAND_VIDEO, args.rounds)
    loading = sorted(r[0] for r in runs)
    first = sorted(r[1] for r in runs if r[1] == r[1])  # NaN: no tracked frame within CHILD_MAX_S
    if not first:
        first = [float("nan")]
    print(f"start-up over {args.rounds} launches: loading screen shown {loading[len(loading) // 2] * 1000:.0f} ms "
          f"after launch (median; target <= {LOADING_TARGET_S * 1000:.0f} ms), first tracked frame in the game "
          f"{first[len(first) // 2]:.2f} s (median, min {first[0]:.2f}, max {first[-1]:.2f}; target <= "
          f"{START_UP_TARGET_S:g} s)")

    fps = 25.0
    with tempfile.TemporaryDirectory() as folder:
        video = make_source_video(Path(folder) / "hand25.mp4", seconds=args.seconds + 30.0, with_face=False, fps=fps)
        baseline = play_level("reach", args.seconds)
        tracked = play_level("reach", args.seconds, video=video, models=frozenset({TrackingModel.HANDS}))
        reopen_s = []
        for _ in range(3):
            start_s = time.monotonic()
            open_live_tracker(SourceSpec(path=HAND_VIDEO), frozenset({TrackingModel.HANDS})).close()
            reopen_s.append(time.monotonic() - start_s)
    times = tracked.times
    assert times is not None
    t0 = min(times.inference_start_s)
    start_s = times.inference_start_s[t0]  # the first frame is due as play begins
    due = {t: start_s + (t - t0) for t in times.inference_end_s}
    bare_ms = [(times.inference_end_s[t] - times.inference_start_s[t]) * 1000 for t in times.inference_end_s]
    ready_ms = [(times.inference_end_s[t] - due[t]) * 1000 for t in times.inference_end_s]
    received_ms = [(times.polled_s[t] - due[t]) * 1000 for t in times.polled_s if t in due]
    bare = percentiles(bare_ms)
    print(f"latency, reach level with hands tracked live from the {fps:g} fps video ({args.seconds:g} s):")
    print(f"  {'':34s}{'p50 ms':>9s}{'p95 ms':>9s}{'p99 ms':>9s}")
    for label, values in (("bare inference (Landmarker)", bare_ms), ("due -> inferred (sample ready)", ready_ms),
                          ("due -> received by the game loop", received_ms)):
        print(f"  {label:34s}" + "".join(f"{v:9.1f}" for v in percentiles(values)))
    received_p95 = percentiles(received_ms, (95,))[0]
    verdict = "within" if received_p95 <= bare[1] + LATENCY_MARGIN_MS else "OVER"
    print(f"  received p95 {received_p95:.1f} ms vs bare inference p95 + {LATENCY_MARGIN_MS:g} ms = "
          f"{bare[1] + LATENCY_MARGIN_MS:.1f} ms: {verdict}")

    last_t = max(times.inference_end_s)
    due_frames = round((last_t - t0) * fps) + 1
    inferred = len(times.inference_end_s)
    read_until_last = round((last_t - t0) * fps) + 1
    skipped = read_until_last - inferred
    keeps_up = bare[0] < 1000 / fps
    applies = "applies" if keeps_up else "does not apply: inference is slower than the frames here"
    print(f"dropped samples: {inferred} of {due_frames} frames due tracked ({inferred / due_frames:.1%}); "
          f"{skipped} skipped by the late-frame rule; inference p50 {bare[0]:.1f} ms vs frame interval "
          f"{1000 / fps:.0f} ms: the target >= {TRACKED_TARGET:.0%} {applies}")
    reopen = sorted(reopen_s)[1]
    print(f"  reopening the tracker on hand_video.mp4 (MediaPipe load) takes {reopen:.2f} s: a benchmark that "
          f"reopens the 8.08 s video counts at most {202 / (8.08 + reopen):.1f} samples a second of wall time")

    base_p99 = percentiles(baseline.intervals_ms, (99,))[0]
    with_p99 = percentiles(tracked.intervals_ms, (99,))[0]
    base_ur = percentiles(baseline.update_render_ms, (99,))[0]
    with_ur = percentiles(tracked.update_render_ms, (99,))[0]
    verdict = "within" if with_p99 <= INTERVAL_TARGET_MS else "OVER"
    print(f"display frame interval p99: {with_p99:.1f} ms with tracking, {base_p99:.1f} ms without (ratio "
          f"{with_p99 / base_p99:.2f}; target <= {INTERVAL_TARGET_MS:g} ms: {verdict}); update+render p99 "
          f"{with_ur:.2f} ms with, {base_ur:.2f} ms without")
    print(f"load average at the end {os.getloadavg()[0]:.1f} (2 cores: above 2, other programs competed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
