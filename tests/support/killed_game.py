"""The real ``motorplay play`` process, killed with SIGKILL mid-session (issue 9, "Faults"): its set-up, and reads of
what it left.

A patient is added with ``motorplay patients add`` (so the data folder holds the SQLite records and the session is
recorded), the patient's reach calibration is saved, and the game plays a reach level of :data:`TRIALS` targets,
headless, from a landmark recording of a real hand that reaches each target (no camera, no MediaPipe). The records
are read, while the game runs and after it was killed, through a read-only SQLite connection: the reading neither
closes the session nor changes the file that the next start is to repair.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clinic.calibration_store import CalibrationStore
from clinic.records.location import DATABASE_FILE_NAME
from game.session import DEFAULT_WINDOW_PX
from tests.support.game_flows import FIRST_MOVE_S, MOVE_S, REACH, level_targets, reach_waypoints, write_hand_recording
from tracking.atomic_files import TEMP_SUFFIX
from tracking.calibration import Calibration

PATIENT = "P-K1LL3D"
# Enough targets that the game is still mid-level when it is killed after KILL_AFTER_TRIALS of them (each takes
# MOVE_S + HOLD_S = 3.2 s of the recording).
TRIALS = 8
KILL_AFTER_TRIALS = 2
# The recorded hand holds each target this long. The game plays in real time here, and a slow frame holds the level's
# clock while the recording goes on, so a target can appear late (with the flows' HOLD_S of 1.6 s the second trial
# was timed at exactly the dwell, 0.6 s, on two cores: its target appeared after the hand was there). Held 2.4 s, a
# target is still hit when it appears up to ~3.4 s late (1.8 s when held 1.6 s).
HOLD_S = 2.4
FPS = 30.0
# The console command of the Python that runs the tests (the project's .venv/bin/motorplay in CI).
MOTORPLAY = Path(sys.executable).with_name("motorplay")
# The game stops by itself this long after its start if nobody kills it (a failed test must not leave it running).
PLAY_LIMIT_S = 120.0
# Real-time bound for the first KILL_AFTER_TRIALS trials to be committed: start-up (~3 s), the menu (2 s), the first
# move (1.5 s) and two reaches (6.4 s) take ~13 s; generous for a loaded two-core machine.
COMMIT_BOUND_S = 60.0
POLL_INTERVAL_S = 0.05
# A short command (patients add, sessions list) or a killed process that takes longer than this is stuck.
COMMAND_TIMEOUT_S = 120.0

LEVEL_TOML = f"""\
schema_version = 1
name = "killed"
title = "Reach, killed mid-way"
kind = "reach"
trials = {TRIALS}
target_radius_norm = 0.09
dwell_time_s = 0.6
trial_timeout_s = 20.0
inter_trial_pause_s = 1.0
models = ["hands"]
seed = 91
"""

_TRIALS_QUERY = """
SELECT t.trial_index, t.outcome, t.time_s, t.points, t.uuid, t.ended_at
FROM trials AS t
JOIN level_runs AS r ON r.id = t.level_run_id
JOIN sessions AS s ON s.id = r.session_id
JOIN patients AS p ON p.id = s.patient_id
WHERE p.code = ?
ORDER BY r.position, t.trial_index
"""
_SESSIONS_QUERY = """
SELECT s.uuid, s.ended_at, s.complete, s.process_id
FROM sessions AS s JOIN patients AS p ON p.id = s.patient_id
WHERE p.code = ?
ORDER BY s.started_at
"""


@dataclass(frozen=True)
class KilledGame:
    """The files of a game to be killed: its level, its recording, the data folder and the results file."""

    level: Path
    recording: Path
    data_dir: Path
    results_json: Path

    @property
    def database(self) -> Path:
        return self.data_dir / DATABASE_FILE_NAME


def environment() -> dict[str, str]:
    """The commands' environment: headless SDL, and no records named by the tester's environment."""
    env = {key: value for key, value in os.environ.items() if key not in ("MOTORPLAY_DB", "MOTORPLAY_DATA_DIR")}
    return {**env, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}


def motorplay(*argv: str) -> subprocess.CompletedProcess[str]:
    """Run ``motorplay ARGV`` to its end (a short command)."""
    return subprocess.run(
        [str(MOTORPLAY), *argv], env=environment(), capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S,
        check=False,
    )


def prepare(folder: Path) -> KilledGame:
    """Add the patient to the records in ``folder/data`` (the real command), save the patient's calibration, write the
    level and the recording of a hand reaching each of its targets in turn."""
    game = KilledGame(folder / "killed.toml", folder / "reach.jsonl", folder / "data", folder / "out" / "session.json")
    added = motorplay("patients", "add", "--id", PATIENT, "--data-dir", str(game.data_dir))
    assert added.returncode == 0, added.stderr
    assert game.database.is_file(), list(game.data_dir.iterdir())
    CalibrationStore(game.data_dir).save(PATIENT, Calibration(REACH))
    game.level.write_text(LEVEL_TOML, encoding="utf-8")
    targets = level_targets(game.level, DEFAULT_WINDOW_PX)
    assert len(targets) == TRIALS
    waypoints = reach_waypoints(REACH, targets, first_move_s=FIRST_MOVE_S, move_s=MOVE_S, hold_s=HOLD_S)
    write_hand_recording(game.recording, waypoints, fps=FPS)
    game.results_json.parent.mkdir()
    return game


def start_play(game: KilledGame, logs: Path) -> subprocess.Popen[str]:
    """Start ``motorplay play`` headless on the level from the recording, recorded for :data:`PATIENT`; its output
    goes to ``logs/play.out`` and ``logs/play.err`` (files: a pipe nobody reads could block it)."""
    argv = [
        "play", "--level", str(game.level), "--source", str(game.recording), "--patient", PATIENT,
        "--data-dir", str(game.data_dir), "--record", "--results-json", str(game.results_json),
        "--headless", "--max-seconds", str(PLAY_LIMIT_S),
    ]
    with (logs / "play.out").open("w", encoding="utf-8") as out, (logs / "play.err").open("w", encoding="utf-8") as err:
        return subprocess.Popen([str(MOTORPLAY), *argv], env=environment(), stdout=out, stderr=err, text=True)


def _read(database: Path, query: str) -> list[tuple[Any, ...]]:
    """The rows of ``query`` (for :data:`PATIENT`), read through a read-only connection."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5.0)) as connection:
        return [tuple(row) for row in connection.execute(query, (PATIENT,)).fetchall()]


def committed_trials(database: Path) -> list[tuple[Any, ...]]:
    """The patient's trials in the records: ``(index, outcome, time_s, points, uuid, ended_at)``, in order."""
    return _read(database, _TRIALS_QUERY)


def session_rows(database: Path) -> list[tuple[Any, ...]]:
    """The patient's sessions in the records: ``(uuid, ended_at, complete, process_id)``, oldest first."""
    return _read(database, _SESSIONS_QUERY)


def wait_for_trials(process: subprocess.Popen[str], game: KilledGame, logs: Path, count: int) -> list[tuple[Any, ...]]:
    """Poll the records until ``count`` trials are committed (at most :data:`COMMIT_BOUND_S` of real time); return
    them. Fails, with the game's output, when the game ends first or the bound passes."""
    deadline_s = time.monotonic() + COMMIT_BOUND_S
    trials: list[tuple[Any, ...]] = []
    while time.monotonic() < deadline_s:
        if process.poll() is not None:
            break
        try:
            trials = committed_trials(game.database)
        except sqlite3.OperationalError:  # the game is migrating or writing: read again at the next poll
            trials = []
        if len(trials) >= count:
            return trials
        time.sleep(POLL_INTERVAL_S)
    raise AssertionError(
        f"{len(trials)} of {count} trials committed after {COMMIT_BOUND_S:g} s (game exit status {process.poll()})\n"
        f"stdout: {(logs / 'play.out').read_text(encoding='utf-8')}\n"
        f"stderr: {(logs / 'play.err').read_text(encoding='utf-8')}"
    )


def integrity(database: Path) -> str:
    """SQLite's ``PRAGMA integrity_check`` of ``database`` ("ok" when sound)."""
    with closing(sqlite3.connect(database)) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def half_written(*folders: Path) -> list[Path]:
    """Files under ``folders`` that an interrupted write leaves: an atomic write's temporary file (``*.part``) or
    any ``*.tmp*``."""
    return sorted(
        path
        for folder in folders
        for path in folder.rglob("*")
        if path.name.endswith(TEMP_SUFFIX) or ".tmp" in path.name
    )


def results_document(path: Path) -> dict[str, Any]:
    """The session-results file as JSON (it fails to parse when half-written)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict), document
    return document
