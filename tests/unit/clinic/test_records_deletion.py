"""The parts of a patient's deletion: which queued writes are theirs, which files in the data folder are theirs, and
how SQLite's words for a disk that cannot be written reach a person."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from uuid import uuid4

from clinic.records.deletion import patient_files
from clinic.records.queue import LocalQueue, PatientWrites, storage_problem
from clinic.records.types import LevelRunRecord, SessionRecord, TrialOutcome, TrialRecord
from clinic.records.writes import AddTrial, EndSession, StartLevelRun, StartSession, Write
from tracking.atomic_files import AtomicFile

START = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def _session_writes(patient: str) -> list[Write]:
    session = SessionRecord(uuid=uuid4(), patient=patient, started_at=START, station="s")
    run = LevelRunRecord(uuid=uuid4(), session=session.uuid, level_name="reach", family="reach", position=0,
                         started_at=START)
    trial = TrialRecord(index=0, outcome=TrialOutcome.SUCCESS, time_s=1.0)
    return [
        StartSession(session=session, process_id=None),
        StartLevelRun(level_run=run),
        AddTrial(level_run=run.uuid, trial=trial),
        EndSession(session=session.uuid, ended_at=START, complete=True),
    ]


def test_the_queued_writes_of_a_patient_follow_their_sessions_and_runs(tmp_path: Path) -> None:
    queue = LocalQueue(tmp_path / "queue.sqlite3", "sqlite:///records")
    anna, bert = _session_writes("anna"), _session_writes("bert")
    # A trial of a level run only the database knows (its session started before the queue).
    known_run = uuid4()
    earlier = AddTrial(level_run=known_run, trial=TrialRecord(index=3, outcome=TrialOutcome.MISS, time_s=2.0))
    for write in [anna[0], bert[0], anna[1], bert[1], anna[2], earlier, bert[2], anna[3], bert[3]]:
        queue.push(write)
    assert queue.count_patient_writes(PatientWrites("anna")) == 4
    assert queue.count_patient_writes(PatientWrites("anna", level_runs=frozenset({known_run}))) == 5
    assert queue.remove_patient_writes(PatientWrites("anna", level_runs=frozenset({known_run}))) == 5
    assert [queued.write for queued in queue.pending()] == bert
    queue.close()


def test_the_files_of_a_patient_are_theirs_only(tmp_path: Path) -> None:
    for patient in ("anna", "anna.pin", "anna-2"):
        (tmp_path / "patients" / patient).mkdir(parents=True)
        (tmp_path / "pins").mkdir(exist_ok=True)
        (tmp_path / "pins" / f"{patient}.pin").write_text("hash\n", encoding="utf-8")
    # A PIN write cut short leaves its temporary file beside the PIN (tracking.atomic_files).
    cut_short = AtomicFile(tmp_path / "pins" / "anna.pin")
    cut_short.write("half")
    other_cut_short = AtomicFile(tmp_path / "pins" / "anna.pin.pin")
    other_cut_short.write("half")
    try:
        found = [path.relative_to(tmp_path).as_posix() for path in patient_files(tmp_path, "anna")]
        assert found == ["patients/anna", f"pins/{cut_short.temp_path.name}", "pins/anna.pin"]
        assert other_cut_short.temp_path.name.startswith(".anna.pin.")  # alike, but another patient's
    finally:
        cut_short.discard()
        other_cut_short.discard()


def test_a_disk_that_cannot_be_written_is_said_plainly() -> None:
    assert storage_problem(sqlite3.OperationalError("database or disk is full")).startswith(
        "the disk is full: free some space; "
    )
    assert storage_problem("attempt to write a readonly database").startswith("the data folder is read-only; ")
    assert storage_problem("no such table: x") == "no such table: x"
