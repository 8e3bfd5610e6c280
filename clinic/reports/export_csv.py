"""A patient's records as three CSV files: ``sessions.csv``, ``trials.csv``, ``breaks.csv``.

The columns and their units are documented in docs/reports.md.

Times are ISO 8601 in UTC; durations in seconds (``_s``); empty cells are values that were not measured. Each file is
written through :mod:`tracking.atomic_files`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import JsonValue

from clinic.reports.progress_data import PatientProgress
from tracking.atomic_files import write_text_atomic

SESSION_COLUMNS = (
    "patient", "session_number", "session_uuid", "started_at_utc", "ended_at_utc", "station", "complete",
    "level_runs", "trials", "successes", "weeks_since_injection",
)
TRIAL_COLUMNS = (
    "patient", "session_uuid", "level_run_uuid", "level_position", "level_name", "family", "trial_index",
    "trial_uuid", "outcome", "start_s", "time_s", "points", "stars", "sparc", "ldlj", "sensory_trick_s", "breaks",
    "ended_at_utc", "params_json", "measures_json",
)
BREAK_COLUMNS = ("patient", "session_uuid", "level_run_uuid", "trial_uuid", "t_s", "kind", "effector", "severity")
SESSIONS_FILE = "sessions.csv"
TRIALS_FILE = "trials.csv"
BREAKS_FILE = "breaks.csv"

Cell = str | int | float | bool | None


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def _json(value: dict[str, JsonValue]) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """Return a CSV file (RFC 4180, CR LF line ends, a header row) of ``rows`` under ``columns``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows([_text(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def session_rows(progress: PatientProgress) -> list[tuple[Cell, ...]]:
    """Return one row of :data:`SESSION_COLUMNS` per session, oldest first."""
    code = progress.patient.code
    return [
        (code, s.number, str(s.session.uuid), s.session.started_at.isoformat(),
         None if s.session.ended_at is None else s.session.ended_at.isoformat(), s.session.station,
         s.session.complete, s.level_runs, s.trials, s.successes, s.weeks_since_injection)
        for s in progress.sessions
    ]


def trial_rows(progress: PatientProgress) -> list[tuple[Cell, ...]]:
    """Return one row of :data:`TRIAL_COLUMNS` per trial, in session, level and trial order."""
    code = progress.patient.code
    return [
        (code, str(r.summary.session.uuid), str(r.run.uuid), r.run.position, r.run.level_name, r.run.family,
         t.index, str(t.uuid), t.outcome.value, t.start_s, t.time_s, t.points, t.stars, t.sparc, t.ldlj,
         t.sensory_trick_s, len(t.breaks), t.ended_at.isoformat(), _json(t.params), _json(t.measures))
        for r in progress.runs
        for t in r.trials
    ]


def break_rows(progress: PatientProgress) -> list[tuple[Cell, ...]]:
    """Return one row of :data:`BREAK_COLUMNS` per break, in trial order then time."""
    code = progress.patient.code
    return [
        (code, str(r.summary.session.uuid), str(r.run.uuid), str(t.uuid), b.t_s, b.kind.value,
         None if b.effector is None else b.effector.value, b.severity)
        for r in progress.runs
        for t in r.trials
        for b in t.breaks
    ]


def export_csv(progress: PatientProgress, folder: Path) -> list[Path]:
    """Write ``sessions.csv``, ``trials.csv`` and ``breaks.csv`` into ``folder`` (which must exist); return them."""
    return [
        write_text_atomic(folder / SESSIONS_FILE, csv_text(SESSION_COLUMNS, session_rows(progress))),
        write_text_atomic(folder / TRIALS_FILE, csv_text(TRIAL_COLUMNS, trial_rows(progress))),
        write_text_atomic(folder / BREAKS_FILE, csv_text(BREAK_COLUMNS, break_rows(progress))),
    ]
