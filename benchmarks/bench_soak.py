"""Soak: a long session replayed from a recording as fast as possible, for memory, thread and file-handle leaks
(issue 9, "Soak").

A landmark recording of ``--minutes`` (default 30) is built from a real one: ``hand_video.mp4`` tracked once by
``motorplay track`` (8 s), its frames repeated with their timestamps shifted. The game then plays it through
:func:`game.session.run_session`, headless, with the simulated clock (each frame 1/60 s of game time, no sleeping:
as fast as the machine goes): the menu, calibration, the levels of the plan one after another (``--levels``,
default every hand level of the catalogue, repeated), each level's results, the session results file rewritten
after every trial, and the clinic records (SQLite in a scratch data folder).

At each minute of game time the process's resident memory (``/proc/self/statm``), its threads (``/proc/self/task``)
and its open files (``/proc/self/fd``) are noted. Targets (asserted; no timing is): resident memory at the end at
most 5% above the first minute's; no more threads or open files at the end than at the first minute. What the
session leaves behind once it has returned (threads, open files) is printed too. Prints the load average.

``make bench`` runs it for 30 minutes of game time (a few minutes of wall time); the tests never do.

Run: ``.venv/bin/python -m benchmarks.bench_soak [--minutes 30]``
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from game.frame_clock import RENDER_FPS, SimulatedFrameClock  # noqa: E402

MEMORY_GROWTH_LIMIT = 0.05
SECONDS_PER_MINUTE = 60.0
PATIENT = "soak"
MEDIA = Path(__file__).resolve().parents[2] / "shared" / "media"
HAND_VIDEO = MEDIA / "hand_video.mp4"
DEFAULT_LEVELS = ("reach", "grasp", "hold", "trace", "stretch")


@dataclass(frozen=True)
class Snapshot:
    """The process's resources at one moment of the session."""

    game_s: float
    wall_s: float
    rss_mib: float
    threads: int
    open_files: int


def snapshot(game_s: float, wall_s: float) -> Snapshot:
    """The resident memory, native threads and open file descriptors now (after a garbage collection)."""
    gc.collect()
    with open("/proc/self/statm", encoding="ascii") as statm:
        resident_pages = int(statm.read().split()[1])
    rss_mib = resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    return Snapshot(
        game_s, wall_s, rss_mib, len(os.listdir("/proc/self/task")), len(os.listdir("/proc/self/fd"))
    )


def open_files() -> list[str]:
    """What each open file descriptor of this process points to."""
    targets = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            targets.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:  # the descriptor listing the folder itself, closed meanwhile
            continue
    return targets


class SoakClock(SimulatedFrameClock):
    """The simulated 60 fps clock, taking a :func:`snapshot` at each minute of game time."""

    def __init__(self, started_wall_s: float) -> None:
        super().__init__(RENDER_FPS)
        self.snapshots: list[Snapshot] = []
        self._started_wall_s = started_wall_s
        self._next_minute_s = SECONDS_PER_MINUTE

    def tick(self) -> float:
        frame_s = super().tick()
        if self.now_s() >= self._next_minute_s:
            self.snapshots.append(snapshot(self.now_s(), time.monotonic() - self._started_wall_s))
            self._next_minute_s += SECONDS_PER_MINUTE
        return frame_s


def _motorplay(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "game.cli", *args], check=True, capture_output=True, text=True)


def build_recording(folder: Path, minutes: float) -> Path:
    """A recording of at least ``minutes``: ``hand_video.mp4`` tracked once, its frames repeated, times shifted."""
    once = folder / "hand-once.jsonl"
    _motorplay("track", str(HAND_VIDEO), "--out", str(once))
    header, *frames = once.read_text(encoding="utf-8").splitlines()
    fps = float(json.loads(header)["fps"])
    decoded = [json.loads(line) for line in frames]
    period_s = decoded[-1]["t"] - decoded[0]["t"] + 1.0 / fps
    repeats = int(minutes * SECONDS_PER_MINUTE / period_s) + 2  # and a little more: the game ends first
    out = folder / "hand-soak.jsonl"
    with out.open("w", encoding="utf-8") as recording:
        recording.write(header + "\n")
        for repeat in range(repeats):
            for frame in decoded:
                shifted = dict(frame, t=round(frame["t"] + repeat * period_s, 6))
                recording.write(json.dumps(shifted, separators=(",", ":")) + "\n")
    return out


def soak(recording: Path, folder: Path, minutes: float, levels: tuple[str, ...]) -> tuple[list[Snapshot], str]:
    """Play the session; the snapshots (before, each minute, after) and the session's summary."""
    from game.session import SessionOptions, run_session

    data_dir = folder / "data"
    _motorplay("patients", "add", "--id", PATIENT, "--data-dir", str(data_dir))
    options = SessionOptions(
        source=recording,
        patient=PATIENT,
        data_dir=data_dir,
        headless=True,
        max_seconds=minutes * SECONDS_PER_MINUTE,
        levels=levels,
        results_json=folder / "session.json",
        record=True,
        mute=True,
    )
    started_s = time.monotonic()
    before = snapshot(0.0, 0.0)
    clocks: list[SoakClock] = []

    def clock_factory() -> SoakClock:
        clocks.append(SoakClock(started_s))
        return clocks[-1]

    files_before = open_files()
    result = run_session(options, clock_factory=clock_factory)
    after = snapshot(minutes * SECONDS_PER_MINUTE, time.monotonic() - started_s)
    for target, count in sorted((Counter(open_files()) - Counter(files_before)).items()):
        print(f"left open after the session: {target}" + (f" ({count} times)" if count > 1 else ""))
    return [before, *clocks[0].snapshots, after], result.summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0, help="minutes of game time (default 30)")
    parser.add_argument("--levels", default=",".join(DEFAULT_LEVELS * 20), help="the session's plan, in order")
    args = parser.parse_args()
    if not HAND_VIDEO.is_file():
        print(f"skipped: {HAND_VIDEO} not found (the real test media, expected beside the repo)")
        return 0
    if args.minutes < 2:
        parser.error("--minutes: at least 2 (the first minute is the reference)")
    print(f"soak: {args.minutes:g} min of game time, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        recording = build_recording(folder, args.minutes)
        print(f"recording: {recording.stat().st_size / 2**20:.0f} MiB")
        snapshots, summary = soak(recording, folder, args.minutes, tuple(args.levels.split(",")))
    print(f"session: {summary}")
    print(f"{'game min':>9s}{'wall s':>9s}{'RSS MiB':>10s}{'threads':>9s}{'files':>7s}")
    for shot in snapshots:
        print(f"{shot.game_s / 60:9.1f}{shot.wall_s:9.1f}{shot.rss_mib:10.1f}{shot.threads:9d}{shot.open_files:7d}")
    before, first, end, after = snapshots[0], snapshots[1], snapshots[-2], snapshots[-1]
    growth = end.rss_mib / first.rss_mib - 1.0
    print(f"resident memory from minute 1 to the end: {growth * 100:+.1f}% (target <= "
          f"{MEMORY_GROWTH_LIMIT * 100:.0f}%); threads {first.threads} -> {end.threads} (after the session "
          f"{after.threads}, before {before.threads}); open files {first.open_files} -> {end.open_files} (after "
          f"{after.open_files}, before {before.open_files}); load average at end {os.getloadavg()[0]:.1f}")
    if after.open_files > before.open_files:
        print("left behind by the session: more open files after it than before it")
    if after.threads > before.threads:
        print("threads after the session: native pools that libraries start once and keep (a second session in the "
              "same process adds none: tests/integration/test_session_resources.py)")
    assert growth <= MEMORY_GROWTH_LIMIT, f"resident memory grew {growth * 100:.1f}% after the first minute"
    assert end.threads <= first.threads, f"threads: {first.threads} at minute 1, {end.threads} at the end"
    assert end.open_files <= first.open_files, f"open files: {first.open_files} at minute 1, {end.open_files} at end"
    return 0


if __name__ == "__main__":
    sys.exit(main())
