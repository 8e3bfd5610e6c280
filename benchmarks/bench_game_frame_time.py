"""Game frame time with live tracking running, against the same level without tracking (mouse input).

Runs the reach level headless for about 10 s of wall time per run: once with MediaPipe tracking
``../shared/media/hand_video.mp4`` in its worker thread (reopened when the 8 s video ends), once with the mouse
as input (no tracking: the baseline). Each frame's update + render time is recorded (the frame pacing sleep
excluded) and p50 / p95 / p99 are printed with their ratio to the baseline. Target: p99 at most 16.7 ms (one
60 fps frame) while tracking runs, on 2 cores. Also each frame interval, the pacing sleep included (late frames
show there: issue 9 asks for p99 <= 17.5 ms with tracking), against the same without tracking. Prints figures and
the load average; never fails on noise. Like ``motorplay play``, the benchmark first asks Linux for short time slices
(:func:`tracking.priority.shorten_time_slices`); ``--default-slices`` leaves the kernel's default, the game before
it did. ``--background-tracking``: tracking as ``play --background-tracking`` runs it (:mod:`tracking.priority`).
Runs of 20 s: a p99 of 10 s rests on its 6 slowest frames, and moved by 2 ms from run to run.

Run: ``.venv/bin/python -m benchmarks.bench_game_frame_time [--seconds 20] [--default-slices] [--background-tracking]``
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import numpy as np  # noqa: E402
import pygame  # noqa: E402

from clinic.calibration_store import CalibrationStore  # noqa: E402
from game.app import App, FrameTimes  # noqa: E402
from game.frame_clock import RealFrameClock  # noqa: E402
from game.input_source import InputSource  # noqa: E402
from game.mouse_input import MouseInput  # noqa: E402
from game.scenes.base import GameContext  # noqa: E402
from game.scenes.level import LevelScene  # noqa: E402
from game.session import DEFAULT_WINDOW_PX  # noqa: E402
from game.theme import Theme  # noqa: E402
from game.tracking_input import TrackingInput  # noqa: E402
from levels.loader import load_level  # noqa: E402
from tracking.calibration import ReachRange  # noqa: E402
from tracking.errors import UserFacingError  # noqa: E402
from tracking.live import LiveTracker, SourceSpec, open_live_tracker  # noqa: E402
from tracking.priority import shorten_time_slices  # noqa: E402
from tracking.types import TrackedSample, TrackingModel  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
VIDEO = REPO.parent / "shared" / "media" / "hand_video.mp4"
FRAME_BUDGET_MS = 1000.0 / 60.0
INTERVAL_TARGET_MS = 17.5
MODELS = frozenset({TrackingModel.HANDS})


class IntervalClock(RealFrameClock):
    """The real 60 fps clock, also recording each frame interval (ms): jank shows there, sleeping included."""

    def __init__(self) -> None:
        super().__init__()
        self.intervals_ms: list[float] = []

    def tick(self) -> float:
        dt_s = super().tick()
        self.intervals_ms.append(dt_s * 1000.0)
        return dt_s


class ReopeningTracker:
    """The video tracker, reopened when the video ends, so tracking runs for the whole measurement."""

    def __init__(self, clock: RealFrameClock, *, background: bool) -> None:
        self._clock = clock
        self._background = background
        self._tracker: LiveTracker = self._open()
        self.info = self._tracker.info
        self.samples = 0

    def _open(self) -> LiveTracker:
        return open_live_tracker(SourceSpec(path=VIDEO), MODELS, clock=self._clock.now_s, background=self._background)

    @property
    def duration_s(self) -> float | None:
        return None  # reopened at its end: it never ends

    def start(self) -> None:
        self._tracker.start()

    def wait_for_samples(self, timeout_s: float) -> bool:
        return self._tracker.wait_for_samples(timeout_s)

    def poll(self) -> list[TrackedSample]:
        samples = self._tracker.poll()
        self.samples += len(samples)
        if self._tracker.ended:
            self._tracker.close()
            self._tracker = self._open()
        return samples

    @property
    def ended(self) -> bool:
        return False

    @property
    def error(self) -> str | None:
        return self._tracker.error

    @property
    def failure(self) -> UserFacingError | None:
        return self._tracker.failure

    def close(self) -> None:
        self._tracker.close()


def measure(
    seconds: float, *, tracking: bool, background: bool = False
) -> tuple[list[float], list[float], int, float]:
    """Update+render times and frame intervals (ms) of the reach level for ``seconds``; tracked samples; the CPU
    time of the game's loop (the process's, MediaPipe's worker included) per second of play."""
    pygame.init()
    try:
        surface = pygame.display.set_mode(DEFAULT_WINDOW_PX)
        clock = IntervalClock()
        tracker = ReopeningTracker(clock, background=background) if tracking else None
        source: InputSource = (
            TrackingInput(tracker, reach=ReachRange(0.1, 0.9, 0.1, 0.9)) if tracker else MouseInput(DEFAULT_WINDOW_PX)
        )
        with tempfile.TemporaryDirectory() as data_dir:
            context = GameContext(
                screen_size_px=DEFAULT_WINDOW_PX,
                theme=Theme.for_height(DEFAULT_WINDOW_PX[1]),
                level=load_level("reach"),
                patient="bench",
                store=CalibrationStore(Path(data_dir)),
                input_source=source,
                source_info=None if tracker is None else tracker.info,
            )
            times = FrameTimes()
            app = App(surface, context, LevelScene(context), clock, max_seconds=seconds, frame_times=times)
            cpu_start_s, wall_start_s = time.process_time(), time.monotonic()
            try:
                app.run()
            finally:
                source.close()
            cpu_per_s = (time.process_time() - cpu_start_s) / (time.monotonic() - wall_start_s)
        # The first frame includes set-up.
        return times.update_render_ms[1:], clock.intervals_ms[1:], (tracker.samples if tracker else 0), cpu_per_s
    finally:
        pygame.quit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument(
        "--default-slices", action="store_true", help="keep the kernel's default time slices (the game shortens them)"
    )
    parser.add_argument(
        "--background-tracking", action="store_true", help="the tracking threads in the background (tracking.priority)"
    )
    args = parser.parse_args()
    if not VIDEO.is_file():
        print(f"skipped: {VIDEO} not found (the real test media, expected beside the repo)")
        return 0
    short_slices = False if args.default_slices else shorten_time_slices()
    print(
        f"reach level, {DEFAULT_WINDOW_PX[0]}x{DEFAULT_WINDOW_PX[1]}, headless, {args.seconds:.0f} s a run, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, tracking at "
        f"{'background' if args.background_tracking else 'normal'} priority, "
        f"{'short (0.1 ms)' if short_slices else 'default'} time slices"
    )
    baseline, base_intervals, _, base_cpu = measure(args.seconds, tracking=False)
    tracked, tracked_intervals, samples, tracked_cpu = measure(
        args.seconds, tracking=True, background=args.background_tracking
    )
    base = np.percentile(baseline, [50, 95, 99])
    with_tracking = np.percentile(tracked, [50, 95, 99])
    print(f"{'':28s}{'p50 ms':>10s}{'p95 ms':>10s}{'p99 ms':>10s}{'frames':>8s}")
    print(f"{'without tracking (baseline)':28s}" + "".join(f"{v:10.2f}" for v in base) + f"{len(baseline):8d}")
    print(f"{'with live tracking':28s}" + "".join(f"{v:10.2f}" for v in with_tracking) + f"{len(tracked):8d}")
    print(f"{'ratio to baseline':28s}" + "".join(f"{t / b:10.2f}" for t, b in zip(with_tracking, base, strict=True)))
    intervals = [np.percentile(values, 99) for values in (base_intervals, tracked_intervals)]
    late = [np.mean(np.asarray(values) > INTERVAL_TARGET_MS) * 100 for values in (base_intervals, tracked_intervals)]
    print(
        f"frame interval p99 (pacing sleep included): {intervals[0]:.2f} ms without, {intervals[1]:.2f} ms with "
        f"tracking (target <= {INTERVAL_TARGET_MS} ms; ratio {intervals[1] / intervals[0]:.3f}); frames over "
        f"{INTERVAL_TARGET_MS} ms: {late[0]:.1f}% without, {late[1]:.1f}% with"
    )
    print(f"tracked samples: {samples} ({samples / args.seconds:.1f} per second); load average at end "
          f"{os.getloadavg()[0]:.1f}")
    print(f"CPU time per second of play (process): {base_cpu:.3f} s without tracking, {tracked_cpu:.3f} s with")
    verdict = "within" if with_tracking[2] <= FRAME_BUDGET_MS else "OVER"
    print(
        f"p99 with tracking {with_tracking[2]:.2f} ms: {verdict} the {FRAME_BUDGET_MS:.1f} ms budget of a 60 fps frame"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
