"""Make the README's screenshots: the reach level played headless from a replayed landmark recording.

The recording is a real hand's landmarks (tests/fixtures/hand_landmarks_open.json) reaching each target of a
3-target level along minimum-jerk paths; the second reach stops half-way for 0.35 s (an arrest), so the results
screen shows a break. Run from the repository root:

    .venv/bin/python -m docs.make_screenshots [OUT_DIR]     # default: docs/screenshots
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from clinic.calibration_store import CalibrationStore  # noqa: E402
from game.session import DEFAULT_WINDOW_PX, SessionOptions, run_session  # noqa: E402
from tests.support.game_flows import (  # noqa: E402
    REPLAY_WAIT_PER_FRAME_S,
    ScriptedClock,
    Waypoints,
    image_point,
    level_targets,
    write_hand_recording,
)
from tracking.atomic_files import write_bytes_atomic  # noqa: E402
from tracking.calibration import Calibration, ReachRange  # noqa: E402
from tracking.errors import UserFacingError  # noqa: E402

DEFAULT_OUT_DIR = Path("docs/screenshots")
FPS = 30.0
REACH = ReachRange(0.25, 0.75, 0.2, 0.8)
LEVEL_TOML = """\
schema_version = 1
name = "replay"
title = "Replay reach"
kind = "reach"
trials = 3
target_radius_norm = 0.09
dwell_time_s = 0.6
trial_timeout_s = 20.0
inter_trial_pause_s = 1.0
models = ["hands"]
seed = 99
"""
# The recorded hand rests until the first target is surely shown (after the level's 1 s rest), then reaches each
# target in MOVE_S and holds it HOLD_S: longer than the dwell plus the level's rest, so the game always waits for it.
FIRST_MOVE_S = 1.0 + 0.5
MOVE_S = 0.8
HOLD_S = 1.6
ARREST_TRIAL = 1
ARREST_S = 0.35


def waypoints_with_arrest(targets: Sequence[tuple[float, float]]) -> Waypoints:
    """Rest, then reach and hold each target; reach ``ARREST_TRIAL`` stops half-way for ``ARREST_S``."""
    palm = image_point(REACH, (0.5, 0.5))
    points: Waypoints = [(0.0, palm), (FIRST_MOVE_S, palm)]
    t_s = FIRST_MOVE_S
    for index, target in enumerate(targets):
        goal = image_point(REACH, target)
        if index == ARREST_TRIAL:
            start = points[-1][1]
            middle = ((start[0] + goal[0]) / 2, (start[1] + goal[1]) / 2)
            points += [(t_s + MOVE_S / 2, middle), (t_s + MOVE_S / 2 + ARREST_S, middle)]
            t_s += ARREST_S
        points += [(t_s + MOVE_S, goal), (t_s + MOVE_S + HOLD_S, goal)]
        t_s += MOVE_S + HOLD_S
    return points


def stepped_clock() -> ScriptedClock:
    """Simulated time, one 1/60 s frame a tick, shared with the live tracker's replay: the run is deterministic."""
    return ScriptedClock(real_wait_s=REPLAY_WAIT_PER_FRAME_S)


def _copy(source: Path, target: Path) -> None:
    write_bytes_atomic(target, source.read_bytes())


def make_screenshots(out_dir: Path) -> list[str]:
    """Play the demonstration and write its screenshots into ``out_dir`` (created); returns the names written.

    Raises ``RuntimeError`` when the run did not reach the results screen.
    """
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        level_path = scratch / "replay.toml"
        level_path.write_text(LEVEL_TOML, encoding="utf-8")
        targets = level_targets(level_path, DEFAULT_WINDOW_PX)
        points = waypoints_with_arrest(targets)
        recording = write_hand_recording(scratch / "reach.jsonl", points, fps=FPS)
        CalibrationStore(scratch / "data").save("demo", Calibration(REACH))
        result = run_session(
            SessionOptions(
                level=str(level_path),
                source=recording,
                patient="demo",
                data_dir=scratch / "data",
                headless=True,
                max_seconds=points[-1][0] + 4.0,
                screenshot_dir=scratch / "shots",
            ),
            clock_factory=stepped_clock,
        )
        level_shots = [path for path in result.screenshots if "_level_" in path.name]
        results_shots = [path for path in result.screenshots if "_results_" in path.name]
        menu_shots = [path for path in result.screenshots if "_menu_" in path.name]
        if not level_shots or not results_shots:
            raise RuntimeError(f"the run did not reach the results screen: scenes {result.scenes}")
        chosen = {
            "level.png": level_shots[len(level_shots) // 3],
            # the run is deterministic (simulated clock): the second-last level frame is the rest after the arrest
            "rest.png": level_shots[-2],
            "results.png": results_shots[-1],
        }
        if menu_shots:
            chosen["menu.png"] = menu_shots[0]
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, shot in chosen.items():
            _copy(shot, out_dir / name)
    return list(chosen)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "out_dir", nargs="?", type=Path, default=DEFAULT_OUT_DIR, help=f"where the PNGs go (default: {DEFAULT_OUT_DIR})"
    )
    args = parser.parse_args(argv)
    if args.out_dir.exists() and not args.out_dir.is_dir():
        parser.error(f"{args.out_dir}: is not a folder")
    try:
        written = make_screenshots(args.out_dir)
    except UserFacingError as error:  # a screenshot that cannot be written: the message names the file
        print(f"error: {error}", file=sys.stderr)
        return 2
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"wrote {', '.join(written)} to {args.out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
