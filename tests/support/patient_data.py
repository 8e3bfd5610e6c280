"""A patient with something in every table of the records and every kind of file motorplay writes in the data folder,
written through the real commands and the store's API: the input of the deletion tests.

Also snapshots of everything stored (every row of every table, reflected from the database; every entry of the local
queue; every file of the data folder but the database's own), to compare before and after a deletion.
"""

from __future__ import annotations

import io
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import MetaData, create_engine, select

from clinic.calibration_store import CalibrationStore
from clinic.records.location import DATABASE_FILE_NAME, QUEUE_FILE_NAME, resolve_location
from clinic.records.queue import LocalQueue
from clinic.records.store import open_store
from clinic.records.types import (
    BreakRecord,
    DifficultyChangeRecord,
    LevelRunRecord,
    PlanFormat,
    SessionRecord,
    TrialOutcome,
    TrialRecord,
)
from clinic.records.writes import AddTrial, StartLevelRun, StartSession
from levels.assessment.record import Assessment, StepRecord, save_assessment
from tracking.calibration import Calibration, ReachRange
from tracking.quality_types import BreakKind
from tracking.types import HeadAngles

# A clinic server this station also wrote to once, unreachable now: its queued writes stay in the queue.
OTHER_SERVER = "postgresql+psycopg://postgres@127.0.0.1:1/other_clinic"
PLAN_TEXT = 'levels = ["reach"]\nsessions_per_week = 3\n'
START = datetime(2026, 2, 2, 9, 0, tzinfo=timezone.utc)


@dataclass
class WrittenPatient:
    """What was written for a patient: the words and IDs that must not be found anywhere once it is deleted."""

    code: str
    display_name: str
    ids: list[UUID] = field(default_factory=list)

    def needles(self) -> list[bytes]:
        """Return every byte string that names the patient or one of their records."""
        texts = [self.code, self.display_name] + [str(uid) for uid in self.ids] + [uid.hex for uid in self.ids]
        return [text.encode("utf-8") for text in texts]


def _calibration(shift: float) -> Calibration:
    reach = ReachRange(x_min_norm=0.1 + shift, x_max_norm=0.8, y_min_norm=0.2, y_max_norm=0.9 - shift)
    return Calibration(reach=reach, head_neutral=HeadAngles(yaw_deg=2.0 + shift, pitch_deg=-1.0, roll_deg=0.5))


def _trial(index: int, ended_at: datetime) -> TrialRecord:
    return TrialRecord(
        index=index,
        outcome=TrialOutcome.SUCCESS if index % 2 else TrialOutcome.MISS,
        time_s=1.5 + index,
        params={"target": index},
        sparc=-1.7,
        breaks=(BreakRecord(t_s=0.4, kind=BreakKind.ARREST),),
        ended_at=ended_at,
    )


def write_patient(
    data_dir: Path,
    url: str | None,
    code: str,
    display_name: str,
    *,
    cli: Callable[..., int],
    monkeypatch: pytest.MonkeyPatch,
) -> WrittenPatient:
    """Write ``code``'s data everywhere motorplay keeps it; ``cli(*argv)`` runs a motorplay command (exit status)."""
    where = ["--data-dir", str(data_dir)] + ([] if url is None else ["--db", url])
    written = WrittenPatient(code, display_name)
    assert cli("patients", "add", "--id", code, "--name", display_name, *where) == 0
    assert cli("patients", "injection", code, "2026-01-20", "--note", f"cervical, {display_name}", *where) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("4711\n"))
    assert cli("plan", "pin", "--patient", code, "--pin-stdin", *where) == 0
    calibrations = CalibrationStore(data_dir)
    calibrations.save(code, _calibration(0.0), now=START)
    calibrations.save(code, _calibration(0.05), now=START + timedelta(days=1))  # keeps the first as .bak
    assessment = Assessment(
        "assessment", START, (StepRecord("head_range", "success", 10.0, {"turn_left_max_deg": 50.0}),)
    )
    save_assessment(data_dir, code, assessment)
    with open_store(data_dir=data_dir, db=url, environ={}, station="deletion-test") as store:  # imports calibrations
        assert store.calibrations(code), "the calibration file was imported"
        store.add_assessment(code, assessment.as_dict(), recorded_at=START)
        store.add_plan(code, PLAN_TEXT, plan_format=PlanFormat.TOML, author=f"therapist of {code}")
        session = store.start_session(code, started_at=START)
        run = store.start_level_run(session.uuid, "reach", "reach", started_at=START)
        trials = [_trial(index, START + timedelta(seconds=10 * (index + 1))) for index in range(3)]
        for trial in trials:
            store.add_trial(run.uuid, trial)
        change = DifficultyChangeRecord(level_run=run.uuid, trial=trials[-1].uuid, from_value=1, to_value=2,
                                        reason=f"three hits in a row for {code}")
        store.add_difficulty_change(change)
        store.end_session(session.uuid, complete=True, ended_at=START + timedelta(minutes=5))
        written.ids += [session.uuid, run.uuid, change.uuid] + [trial.uuid for trial in trials]
        # Waiting in the local queue: a write the database refused (a second trial claiming a taken index) ...
        failures = len(store.queue_failures())
        queue = LocalQueue(store.location.queue_file, store.location.queue_target)
        refused = _trial(0, START + timedelta(minutes=1))
        queue.push(AddTrial(level_run=run.uuid, trial=refused))
        queue.close()
        store.flush_queue()
        assert len(store.queue_failures()) == failures + 1 and store.queued_writes() == 0
        written.ids.append(refused.uuid)
    # ... and a whole session for a clinic server that cannot be reached now.
    other = LocalQueue(data_dir / QUEUE_FILE_NAME, resolve_location(data_dir=data_dir, db=OTHER_SERVER).queue_target)
    away = SessionRecord(uuid=uuid4(), patient=code, started_at=START + timedelta(days=3), station="deletion-test")
    away_run = LevelRunRecord(uuid=uuid4(), session=away.uuid, level_name="reach", family="reach", position=0,
                              started_at=away.started_at)
    away_trial = _trial(0, away.started_at + timedelta(seconds=5))
    for write in (StartSession(session=away, process_id=None), StartLevelRun(level_run=away_run),
                  AddTrial(level_run=away_run.uuid, trial=away_trial)):
        other.push(write)
    other.close()
    written.ids += [away.uuid, away_run.uuid, away_trial.uuid]
    return written


@dataclass(frozen=True)
class Snapshot:
    """Everything stored: rows per table, local-queue entries, data-folder files (path -> bytes)."""

    tables: dict[str, list[tuple[object, ...]]]
    queue: list[tuple[object, ...]]
    files: dict[str, bytes]


def database_rows(data_dir: Path, url: str | None) -> dict[str, list[tuple[object, ...]]]:
    """Return every row of every table in the database (reflected, not taken from the models), sorted."""
    location = resolve_location(data_dir=data_dir, db=url, environ={})
    engine = create_engine(location.url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            return {
                name: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
                for name, table in metadata.tables.items()
            }
    finally:
        engine.dispose()


def queue_rows(data_dir: Path) -> list[tuple[object, ...]]:
    """Return every entry of the local queue (any database, failed ones too)."""
    path = data_dir / QUEUE_FILE_NAME
    if not path.exists():
        return []
    connection = sqlite3.connect(path)
    try:
        return list(connection.execute("SELECT seq, target, payload, error FROM pending_writes ORDER BY seq"))
    finally:
        connection.close()


def data_files(data_dir: Path) -> dict[str, bytes]:
    """Return every file of the data folder but the SQLite files (whose pages change with any write)."""
    files: dict[str, bytes] = {}
    for folder, _, names in os.walk(data_dir):
        for name in names:
            path = Path(folder) / name
            if not name.startswith((DATABASE_FILE_NAME, QUEUE_FILE_NAME)):
                files[str(path.relative_to(data_dir))] = path.read_bytes()
    return files


def snapshot(data_dir: Path, url: str | None) -> Snapshot:
    """Return everything stored in the records, the local queue and the data folder."""
    return Snapshot(database_rows(data_dir, url), queue_rows(data_dir), data_files(data_dir))


def traces(data_dir: Path, written: WrittenPatient) -> list[str]:
    """Return every file (SQLite files included) in ``data_dir`` whose name or bytes name ``written``."""
    found = []
    needles = written.needles()
    for folder, names, files in os.walk(data_dir):
        for name in names + files:
            path = Path(folder) / name
            if any(needle.decode() in name for needle in needles):
                found.append(f"{path}: the name")
            elif path.is_file():
                content = path.read_bytes()
                found += [f"{path}: {needle.decode()}" for needle in needles if needle in content]
    return found



