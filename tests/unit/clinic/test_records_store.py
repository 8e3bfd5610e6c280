"""The records store on SQLite and on a real PostgreSQL server: the same API, the same answers."""

from __future__ import annotations

import math
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pydantic import ValidationError

from clinic.errors import PatientNameError
from clinic.records import models
from clinic.records.errors import DuplicatePatientError, RecordValueError, UnknownPatientError
from clinic.records.store import RecordsStore, open_store
from clinic.records.types import (
    BreakRecord,
    DifficultyChangeRecord,
    PlanFormat,
    TrialOutcome,
    TrialRecord,
    WriteOutcome,
)
from tests.support import postgres
from tests.support.postgres import PostgresServer, RecordsDb
from tracking.quality_types import BreakKind
from tracking.types import Effector

postgres_server = postgres.postgres_server  # fixtures, shared with the other records tests
records_db = postgres.records_db

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)


@pytest.fixture
def store(records_db: RecordsDb) -> Iterator[RecordsStore]:
    with open_store(data_dir=records_db.data_dir, db=records_db.url, environ={}, station="station-1") as opened:
        yield opened


def _trial(index: int, **changes: object) -> TrialRecord:
    values: dict[str, object] = {
        "index": index,
        "outcome": TrialOutcome.SUCCESS,
        "time_s": 2.0 + index,
        "start_s": 1.0 + 3.5 * index,
        "points": 100,
        "params": {"target_radius_norm": 0.09, "position": [0.25, 0.75]},
        "sparc": -1.7,
        "ldlj": -6.1,
        "stars": 2,
        "sensory_trick_s": 0.0,
        "measures": {"peak_speed_units_per_s": 410.5, "breaks_per_minute": 3.0},
        "breaks": (BreakRecord(t_s=0.8, kind=BreakKind.JERK, effector=Effector.HAND, severity=1.4),),
        "ended_at": T0 + timedelta(seconds=10 * (index + 1)),
    }
    values.update(changes)
    return TrialRecord.model_validate(values)


def test_patients_added_listed_and_shown(store: RecordsStore) -> None:
    given = store.add_patient("anna-07", "Anna Example")
    generated = store.add_patient(display_name="  Ben  ")
    assert given.code == "anna-07" and given.display_name == "Anna Example"
    assert generated.code.startswith("P-") and len(generated.code) == 8
    int(generated.code[2:], 16)  # six hex digits
    assert generated.display_name == "Ben"
    assert [patient.code for patient in store.patients()] == sorted([given.code, generated.code])
    assert store.patient("anna-07") == given
    with pytest.raises(DuplicatePatientError, match="'anna-07' already exists"):
        store.add_patient("anna-07")
    with pytest.raises(UnknownPatientError, match="'nobody' not found"):
        store.patient("nobody")
    with pytest.raises(PatientNameError, match="'../x'"):
        store.add_patient("../x")
    with pytest.raises(RecordValueError, match="display name"):
        store.add_patient("carl", "line\nbreak")


def test_a_session_is_stored_trial_by_trial_and_read_back(store: RecordsStore) -> None:
    store.add_patient("anna")
    session = store.start_session("anna", started_at=T0)
    run = store.start_level_run(session.uuid, "reach", "reach", started_at=T0)
    second_run = store.start_level_run(session.uuid, "grasp-easy", "grasp", started_at=T0 + timedelta(minutes=2))
    trials = [
        _trial(0),
        _trial(1, outcome=TrialOutcome.MISS, sparc=None, ldlj=None, breaks=(), points=0),
        _trial(2),
        _trial(3, outcome=TrialOutcome.UNFINISHED, start_s=None),
    ]
    for trial in trials:
        assert store.add_trial(run.uuid, trial) is WriteOutcome.WRITTEN
        # committed at once: a second store (another process, a report) sees it before the session ends
        with open_store(data_dir=store.location.data_dir, db=_db(store), environ={}, station="other") as reader:
            assert reader.trials(run.uuid)[-1] == trial
    store.add_trial(second_run.uuid, _trial(0, outcome=TrialOutcome.SKIPPED))
    assert store.end_session(session.uuid, complete=True, ended_at=T0 + timedelta(minutes=5)) is WriteOutcome.WRITTEN

    assert store.trials(run.uuid) == trials
    assert [(r.level_name, r.family, r.position) for r in store.level_runs(session.uuid)] == [
        ("reach", "reach", 0),
        ("grasp-easy", "grasp", 1),
    ]
    [summary] = store.sessions("anna")
    assert summary.session.uuid == session.uuid and summary.session.station == "station-1"
    assert summary.session.started_at == T0 and summary.session.ended_at == T0 + timedelta(minutes=5)
    assert summary.session.complete
    assert (summary.level_runs, summary.trials, summary.successes) == (2, 5, 2)


def _db(store: RecordsStore) -> str | None:
    url = store.location.url
    return None if url.get_backend_name() == "sqlite" else url.render_as_string(hide_password=False)


def test_the_same_trial_written_twice_is_stored_once(store: RecordsStore) -> None:
    store.add_patient("anna")
    run = store.start_level_run(store.start_session("anna").uuid, "reach", "reach")
    trial = _trial(0)
    store.add_trial(run.uuid, trial)
    store.add_trial(run.uuid, trial)
    assert store.trials(run.uuid) == [trial]
    with pytest.raises(RecordValueError, match="add trial"):
        store.add_trial(run.uuid, _trial(0))  # another trial (new UUID) with a taken index


def test_unknown_patient_and_level_run_are_refused(store: RecordsStore) -> None:
    with pytest.raises(UnknownPatientError):
        store.start_session("nobody")
    store.add_patient("anna")
    session = store.start_session("anna")
    with pytest.raises(RecordValueError, match="level run .* not found"):
        store.add_trial(session.uuid, _trial(0))  # a session's UUID is not a level run's


def test_records_refuse_nan_naive_times_and_bad_outcomes() -> None:
    with pytest.raises(ValidationError, match="finite"):
        _trial(0, sparc=math.nan)
    with pytest.raises(ValidationError, match="finite"):
        _trial(0, measures={"x": math.inf})
    with pytest.raises(ValidationError, match="timezone"):
        _trial(0, ended_at=datetime(2026, 1, 1))
    with pytest.raises(ValidationError, match="outcome"):
        _trial(0, outcome="won")


def _dead_process_id() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_abandoned_sessions_of_this_station_are_closed_incomplete(store: RecordsStore) -> None:
    store.add_patient("anna")
    abandoned = store.start_session("anna", started_at=T0)
    run = store.start_level_run(abandoned.uuid, "reach", "reach", started_at=T0)
    store.add_trial(run.uuid, _trial(0))
    store.add_trial(run.uuid, _trial(1))
    empty = store.start_session("anna", started_at=T0 + timedelta(hours=1))
    running = store.start_session("anna", started_at=T0 + timedelta(hours=2))  # this process: still running
    with store.transaction() as orm:
        for row in orm.query(models.Session).filter(models.Session.uuid.in_([abandoned.uuid, empty.uuid])):
            row.process_id = _dead_process_id()
    elsewhere = open_store(data_dir=store.location.data_dir, db=_db(store), environ={}, station="station-2")
    with elsewhere:
        other_station = elsewhere.start_session("anna")
        with elsewhere.transaction() as orm:
            orm.query(models.Session).filter(models.Session.uuid == other_station.uuid).update(
                {"process_id": _dead_process_id()}
            )

    assert store.close_abandoned_sessions() == 2
    by_uuid = {summary.session.uuid: summary.session for summary in store.sessions("anna")}
    assert by_uuid[abandoned.uuid].ended_at == _trial(1).ended_at and not by_uuid[abandoned.uuid].complete
    assert by_uuid[empty.uuid].ended_at == empty.started_at and not by_uuid[empty.uuid].complete
    assert by_uuid[running.uuid].ended_at is None
    assert by_uuid[other_station.uuid].ended_at is None  # another station's session: that station closes it
    assert store.close_abandoned_sessions() == 0


def test_sessions_are_placed_in_the_injection_cycle(store: RecordsStore) -> None:
    store.add_patient("anna")
    assert store.weeks_since_injection("anna", T0) is None
    store.add_injection("anna", date(2026, 1, 5), "cervical, 200 U")
    store.add_injection("anna", date(2026, 3, 30))
    with pytest.raises(RecordValueError, match="2026-03-30 is already recorded"):
        store.add_injection("anna", date(2026, 3, 30))
    assert [shot.injected_on for shot in store.injections("anna")] == [date(2026, 1, 5), date(2026, 3, 30)]
    assert store.injections("anna")[0].note == "cervical, 200 U"

    before = datetime(2026, 1, 1, tzinfo=timezone.utc)
    three_weeks = datetime(2026, 1, 26, 12, tzinfo=timezone.utc)
    after_second = datetime(2026, 4, 6, tzinfo=timezone.utc)
    assert store.weeks_since_injection("anna", three_weeks) == pytest.approx(3.0 + 0.5 / 7)
    assert store.weeks_since_injection("anna", after_second) == pytest.approx(1.0)
    for moment in (before, three_weeks, after_second):
        store.start_session("anna", started_at=moment)
    assert [s.weeks_since_injection for s in store.sessions("anna")] == [None, pytest.approx(3.0714, abs=1e-3), 1.0]


def test_calibrations_assessments_and_plans_are_versioned(store: RecordsStore) -> None:
    store.add_patient("anna")
    first = store.add_calibration("anna", {"reach": {"x_min_norm": 0.2}}, saved_at=T0)
    second = store.add_calibration("anna", {"reach": {"x_min_norm": 0.3}})
    assert (first.version, second.version) == (1, 2)
    payloads = [calibration.payload for calibration in store.calibrations("anna")]
    assert payloads == [{"reach": {"x_min_norm": 0.2}}, {"reach": {"x_min_norm": 0.3}}]
    assert store.add_assessment("anna", {"head_range_deg": {"yaw": 60.0}}).version == 1
    assert store.assessments("anna")[0].payload == {"head_range_deg": {"yaw": 60.0}}

    assert store.plan("anna") is None
    store.add_plan("anna", 'levels = ["reach"]\nsession_minutes = 20\n', plan_format=PlanFormat.TOML, author="Dr Roe")
    store.add_plan("anna", '{"levels": ["reach", "grasp"]}', plan_format=PlanFormat.JSON, author="Dr Roe")
    current = store.plan("anna")
    assert current is not None and current.version == 2 and current.format is PlanFormat.JSON
    assert [plan.version for plan in store.plan_history("anna")] == [1, 2]
    with pytest.raises(RecordValueError, match="not valid TOML"):
        store.add_plan("anna", "levels = [", plan_format=PlanFormat.TOML, author="Dr Roe")
    with pytest.raises(UnknownPatientError):
        store.add_calibration("nobody", {})


def test_difficulty_changes_are_kept_with_their_reasons(store: RecordsStore) -> None:
    store.add_patient("anna")
    run = store.start_level_run(store.start_session("anna").uuid, "reach", "reach")
    trial = _trial(0)
    store.add_trial(run.uuid, trial)
    after_trial = DifficultyChangeRecord(
        level_run=run.uuid, trial=trial.uuid, from_value={"target_radius_norm": 0.09},
        to_value={"target_radius_norm": 0.08}, reason="3 smooth successes in a row", changed_at=T0,
    )
    after_run = DifficultyChangeRecord(
        level_run=run.uuid, from_value=2, to_value=1, reason="breaks rose above the plan's limit",
        changed_at=T0 + timedelta(minutes=1),
    )
    assert store.add_difficulty_change(after_trial) is WriteOutcome.WRITTEN
    store.add_difficulty_change(after_run)
    store.add_difficulty_change(after_run)  # written twice: kept once
    assert store.difficulty_changes("anna") == [after_trial, after_run]


def test_the_sqlite_file_is_private_and_in_wal_mode(tmp_path: Path) -> None:
    data_dir = tmp_path / "new" / "data"
    with open_store(data_dir=data_dir, environ={}) as store, store.transaction() as orm:
        assert orm.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert orm.connection().exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert orm.connection().exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000  # ms
        names = sorted(path.name for path in data_dir.iterdir())
        assert names == ["motorplay.sqlite3", "motorplay.sqlite3-shm", "motorplay.sqlite3-wal"]
        for path in data_dir.iterdir():
            assert oct(path.stat().st_mode & 0o777) == oct(0o600), path
    assert oct(data_dir.stat().st_mode & 0o777) == oct(0o700)
    assert oct(data_dir.parent.stat().st_mode & 0o777) == oct(0o700)


def test_environment_and_options_choose_the_database(tmp_path: Path, postgres_server: PostgresServer) -> None:
    url = postgres_server.create_database()
    data_dir = tmp_path / "data"
    environ = {"MOTORPLAY_DATA_DIR": str(data_dir), "MOTORPLAY_DB": url}
    with open_store(environ=environ) as store:
        assert store.location.url.get_backend_name() == "postgresql"
        assert store.location.data_dir == data_dir
        store.add_patient("anna")
    with open_store(db=url, data_dir=data_dir, environ={"MOTORPLAY_DB": "sqlite:///nowhere"}) as store:
        assert [p.code for p in store.patients()] == ["anna"]
    assert not (data_dir / "motorplay.sqlite3").exists()
    with open_store(data_dir=data_dir, environ={"MOTORPLAY_DB": url}) as store:
        assert [p.code for p in store.patients()] == ["anna"]
    with open_store(data_dir=data_dir, environ={}) as store:
        assert store.patients() == []  # the default: the SQLite file in the data folder
    assert (data_dir / "motorplay.sqlite3").is_file()
