"""A headless game for the live view's tests: the reach level played from a landmark recording of a real hand
whose first reach stops halfway (an arrest: a break the level marks live), then reaches the other targets; and the
same game played by ``motorplay play`` in a new process (:func:`play`, :func:`live_game_args`, :func:`read_url`)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from clinic.calibration_store import CalibrationStore
from game.session import DEFAULT_WINDOW_PX, HEADLESS_READING_S
from tests.support.game_flows import Waypoints, image_point, level_targets, write_hand_recording
from tracking.calibration import Calibration, ReachRange

FPS = 30.0
REACH = ReachRange(0.25, 0.75, 0.2, 0.8)
PATIENT = "live-patient"
LEVEL_TOML = """\
schema_version = 1
name = "live"
title = "Live reach"
kind = "reach"
trials = 2
target_radius_norm = 0.09
dwell_time_s = 0.6
trial_timeout_s = 20.0
inter_trial_pause_s = 1.0
models = ["hands"]
seed = 7
"""
FIRST_MOVE_S = 1.5  # after the level's 1 s rest: the first target is surely shown
HALF_MOVE_S = 0.5  # each half of the first reach
ARREST_S = 0.6  # the hand stops this long halfway to the first target
MOVE_S = 0.8
HOLD_S = 3.0  # longer than the dwell, the feedback's reading time and the level's rest
# How long a headless run of it lasts (game time): the menu's reading time, the reaches, a little more.
# The command's own start (imports, window) before the game clock's first frame, at most.
START_ALLOWANCE_S = 15.0
PLAY_S = HEADLESS_READING_S + FIRST_MOVE_S + 2 * HALF_MOVE_S + ARREST_S + HOLD_S + MOVE_S + HOLD_S + 1.0


@dataclass(frozen=True)
class LiveGame:
    """The files of the game: level, recording, data folder (with the patient's calibration)."""

    level: Path
    recording: Path
    data_dir: Path
    patient: str = PATIENT


def arrest_waypoints(targets: list[tuple[float, float]]) -> Waypoints:
    """Rest, reach halfway to the first target, stop :data:`ARREST_S`, go on to it and hold; then the next."""
    rest = image_point(REACH, (0.5, 0.5))
    first = image_point(REACH, targets[0])
    half = ((rest[0] + first[0]) / 2, (rest[1] + first[1]) / 2)
    t_s = FIRST_MOVE_S
    waypoints: Waypoints = [(0.0, rest), (t_s, rest), (t_s + HALF_MOVE_S, half), (t_s + HALF_MOVE_S + ARREST_S, half)]
    t_s += HALF_MOVE_S + ARREST_S
    waypoints += [(t_s + HALF_MOVE_S, first), (t_s + HALF_MOVE_S + HOLD_S, first)]
    t_s += HALF_MOVE_S + HOLD_S
    for target in targets[1:]:
        goal = image_point(REACH, target)
        waypoints += [(t_s + MOVE_S, goal), (t_s + MOVE_S + HOLD_S, goal)]
        t_s += MOVE_S + HOLD_S
    return waypoints


def make_live_game(folder: Path) -> LiveGame:
    """Write the level, the recording and the patient's calibration into ``folder``."""
    level = folder / "live.toml"
    level.write_text(LEVEL_TOML, encoding="utf-8")
    targets = level_targets(level, DEFAULT_WINDOW_PX)
    recording = write_hand_recording(folder / "live.jsonl", arrest_waypoints(targets), fps=FPS)
    data_dir = folder / "data"
    CalibrationStore(data_dir).save(PATIENT, Calibration(REACH))
    return LiveGame(level, recording, data_dir)


def play(args: list[str]) -> subprocess.Popen[str]:
    """Start ``motorplay play ARGS`` headless in a new process, its output read as text."""
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    command = [sys.executable, "-m", "game.cli", "play", *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def live_game_args(tmp_path: Path) -> list[str]:
    """The command-line options of the live game: played headless from its recording."""
    game = make_live_game(tmp_path)
    return [
        "--level", str(game.level), "--source", str(game.recording), "--patient", game.patient,
        "--data-dir", str(game.data_dir), "--headless", "--max-seconds", str(PLAY_S + START_ALLOWANCE_S),
    ]


def read_url(process: subprocess.Popen[str]) -> str:
    """The live view's URL, from the command's first line."""
    assert process.stdout is not None
    line = process.stdout.readline()
    prefix = "Live view for the therapist: "
    assert line.startswith(prefix), line
    return line.removeprefix(prefix).strip()
