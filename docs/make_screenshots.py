"""Make the README's screenshots: the reach level played headless from a replayed landmark recording.

The recording is a real hand's landmarks (tests/fixtures/hand_landmarks_open.json) reaching each target of a
3-target level along minimum-jerk paths; the second reach stops half-way for 0.35 s (an arrest), so the results
screen shows a break. Run from the repository root:

    .venv/bin/python -m docs.make_screenshots [OUT_DIR]     # default: docs/screenshots
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import numpy as np  # noqa: E402
import pygame  # noqa: E402

from clinic.calibration_store import CalibrationStore  # noqa: E402
from game.reach_rules import all_targets  # noqa: E402
from game.scenes.level import reach_params  # noqa: E402
from game.session import DEFAULT_WINDOW_PX, SessionOptions, run_session  # noqa: E402
from game.theme import Theme  # noqa: E402
from levels.loader import load_level  # noqa: E402
from tests.integration.test_play_replay import (  # noqa: E402
    FIRST_MOVE_S,
    FPS,
    HOLD_S,
    LEVEL_TOML,
    MOVE_S,
    REACH,
    SteppedClock,
    image_point,
    position,
)
from tests.unit.game.test_input import hand_at  # noqa: E402
from tracking.calibration import Calibration  # noqa: E402
from tracking.recording import RecordingWriter  # noqa: E402
from tracking.types import LandmarkFrame, SourceInfo  # noqa: E402

ARREST_TRIAL = 1
ARREST_S = 0.35


def waypoints_with_arrest(targets: list[tuple[float, float]]) -> list[tuple[float, tuple[float, float]]]:
    palm = image_point((0.5, 0.5))
    points = [(0.0, palm), (FIRST_MOVE_S, palm)]
    t_s = FIRST_MOVE_S
    for index, target in enumerate(targets):
        goal = image_point(target)
        if index == ARREST_TRIAL:
            start = points[-1][1]
            middle = ((start[0] + goal[0]) / 2, (start[1] + goal[1]) / 2)
            points += [(t_s + MOVE_S / 2, middle), (t_s + MOVE_S / 2 + ARREST_S, middle)]
            t_s += ARREST_S
        points += [(t_s + MOVE_S, goal), (t_s + MOVE_S + HOLD_S, goal)]
        t_s += MOVE_S + HOLD_S
    return points


def main(out_dir: Path) -> int:
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        level_path = scratch / "replay.toml"
        level_path.write_text(LEVEL_TOML, encoding="utf-8")
        level = load_level(level_path)
        pygame.init()
        targets = all_targets(reach_params(level, DEFAULT_WINDOW_PX, Theme.for_height(DEFAULT_WINDOW_PX[1])))
        pygame.quit()
        points = waypoints_with_arrest(targets)
        recording = scratch / "reach.jsonl"
        with RecordingWriter(recording, SourceInfo(FPS, 640, 360, "synthetic reach")) as writer:
            for t_s in np.arange(0.0, points[-1][0] + 1.0, 1.0 / FPS):
                writer.write(LandmarkFrame(float(t_s), (hand_at(position(points, float(t_s))),)))
        CalibrationStore(scratch / "data").save("demo", Calibration(REACH))
        shots = scratch / "shots"
        result = run_session(
            SessionOptions(
                level=str(level_path),
                source=recording,
                patient="demo",
                data_dir=scratch / "data",
                headless=True,
                max_seconds=points[-1][0] + 4.0,
                screenshot_dir=shots,
            ),
            clock_factory=SteppedClock,
        )
        level_shots = [path for path in result.screenshots if "_level_" in path.name]
        results_shots = [path for path in result.screenshots if "_results_" in path.name]
        if not level_shots or not results_shots:
            print(f"the run did not reach the results screen: scenes {result.scenes}", file=sys.stderr)
            return 1
        out_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(level_shots[len(level_shots) // 3], out_dir / "level.png")
        # the run is deterministic (simulated clock): the second-last level frame is the rest after the arrest
        shutil.copy(level_shots[-2], out_dir / "rest.png")
        shutil.copy(results_shots[-1], out_dir / "results.png")
        menu_shots = [path for path in result.screenshots if "_menu_" in path.name]
        if menu_shots:
            shutil.copy(menu_shots[0], out_dir / "menu.png")
    print(f"wrote level.png, rest.png, results.png and menu.png to {out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots")))
