"""Migrations: a database made by the first migration, holding records, is upgraded by the later ones without loss;
the migrated schema is exactly the models'; databases that are not motorplay's, or newer, are refused."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text

from clinic.records.engine import create_records_engine
from clinic.records.errors import NotADatabaseError
from clinic.records.location import resolve_location
from clinic.records.migrate import current_revision, head_revision, upgrade
from clinic.records.models import Base
from clinic.records.store import open_store
from clinic.records.types import PlanFormat, TrialOutcome
from tests.support import postgres
from tests.support.postgres import RecordsDb

postgres_server = postgres.postgres_server  # fixtures, shared with the other records tests
records_db = postgres.records_db

STARTED = datetime(2026, 2, 1, 10, 0, tzinfo=timezone.utc)
TRIAL_ENDS = [datetime(2026, 2, 1, 10, 0, 10 * (i + 1), tzinfo=timezone.utc) for i in range(3)]
SESSION_UUID = uuid.UUID("00000000-0000-4000-8000-000000000001")
RUN_UUID = uuid.UUID("00000000-0000-4000-8000-000000000002")


def _engine(records_db: RecordsDb) -> Engine:
    return create_records_engine(resolve_location(data_dir=records_db.data_dir, db=records_db.url, environ={}))


def _fill_first_schema(engine: Engine) -> None:
    """Records as the first schema holds them (written with plain SQL: today's models have more columns)."""
    stamp = STARTED.replace(tzinfo=None) if engine.dialect.name == "sqlite" else STARTED
    ends = [end.replace(tzinfo=None) if engine.dialect.name == "sqlite" else end for end in TRIAL_ENDS]
    session_uuid = SESSION_UUID.hex if engine.dialect.name == "sqlite" else SESSION_UUID
    run_uuid = RUN_UUID.hex if engine.dialect.name == "sqlite" else RUN_UUID
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO patients (id, code, display_name, created_at) VALUES (1, 'anna', 'Anna', :t)"),
            {"t": stamp},
        )
        connection.execute(
            text(
                "INSERT INTO calibration_versions (id, patient_id, version, saved_at, payload, source) "
                "VALUES (1, 1, 1, :t, :payload, 'game')"
            ),
            {"t": stamp, "payload": '{"reach": {"x_min_norm": 0.2}}'},
        )
        connection.execute(
            text(
                "INSERT INTO sessions (id, uuid, patient_id, started_at, ended_at, complete, station) "
                "VALUES (1, :u, 1, :t, NULL, :complete, 'station-1')"
            ),
            {"u": session_uuid, "t": stamp, "complete": False},
        )
        connection.execute(
            text(
                "INSERT INTO level_runs (id, uuid, session_id, level_name, family, position, started_at) "
                "VALUES (1, :u, 1, 'reach', 'reach', 0, :t)"
            ),
            {"u": run_uuid, "t": stamp},
        )
        for index, end in enumerate(ends):
            connection.execute(
                text(
                    "INSERT INTO trials (id, uuid, level_run_id, trial_index, outcome, time_s, start_s, points, "
                    "params, sparc, ldlj, stars, sensory_trick_s, measures, ended_at) "
                    "VALUES (:id, :u, 1, :i, 'success', :time_s, NULL, 100, '{}', -1.5, NULL, NULL, NULL, '{}', :end)"
                ),
                {
                    "id": index + 1,
                    "u": uuid.uuid4().hex if engine.dialect.name == "sqlite" else uuid.uuid4(),
                    "i": index,
                    "time_s": 2.0 + index,
                    "end": end,
                },
            )
        connection.execute(
            text(
                "INSERT INTO break_events (trial_id, t_s, kind, effector, severity) "
                "VALUES (2, 0.5, 'arrest', 'hand', 1.0)"
            )
        )
        if engine.dialect.name == "postgresql":  # explicit ids above: move the sequences past them
            for table in ("patients", "calibration_versions", "sessions", "level_runs", "trials"):
                connection.execute(text(f"SELECT setval('{table}_id_seq', (SELECT MAX(id) FROM {table}))"))


def test_a_first_schema_database_with_records_is_upgraded_without_loss(records_db: RecordsDb) -> None:
    engine = _engine(records_db)
    try:
        upgrade(engine, "0001", where="test")
        with engine.connect() as connection:
            assert current_revision(connection) == "0001"
        _fill_first_schema(engine)
    finally:
        engine.dispose()

    with open_store(data_dir=records_db.data_dir, db=records_db.url, environ={}, station="station-1") as store:
        with store.transaction() as orm:
            assert current_revision(orm.connection()) == head_revision() == "0002"
        assert store.patient("anna").display_name == "Anna"
        assert [c.payload for c in store.calibrations("anna")] == [{"reach": {"x_min_norm": 0.2}}]
        [summary] = store.sessions("anna")
        # The session had no end and no process (the first schema kept none): closed at its last trial, incomplete.
        assert summary.session.uuid == SESSION_UUID
        assert summary.session.ended_at == TRIAL_ENDS[-1] and not summary.session.complete
        assert (summary.level_runs, summary.trials, summary.successes) == (1, 3, 3)
        trials = store.trials(RUN_UUID)
        assert [(t.index, t.outcome, t.time_s, t.points, t.sparc, t.ended_at) for t in trials] == [
            (i, TrialOutcome.SUCCESS, 2.0 + i, 100, -1.5, TRIAL_ENDS[i]) for i in range(3)
        ]
        assert [len(t.breaks) for t in trials] == [0, 1, 0]
        # What the second migration adds works on the upgraded database, next to the old records.
        store.add_injection("anna", date(2026, 1, 20))
        assert store.sessions("anna")[0].weeks_since_injection == pytest.approx(12 / 7 + 10 / 24 / 7)
        store.add_plan("anna", "levels = ['reach']", plan_format=PlanFormat.TOML, author="Dr Roe")
        new_session = store.start_session("anna")
        new_run = store.start_level_run(new_session.uuid, "reach", "reach")
        assert store.level_runs(SESSION_UUID)[0].uuid == RUN_UUID and new_run.position == 0
        assert [p.code for p in store.patients()] == ["anna"]


def test_the_migrated_schema_is_exactly_the_models(records_db: RecordsDb) -> None:
    with open_store(data_dir=records_db.data_dir, db=records_db.url, environ={}) as store, store.transaction() as orm:
        differences = compare_metadata(MigrationContext.configure(orm.connection()), Base.metadata)
    assert differences == []


def test_opening_twice_migrates_once(records_db: RecordsDb) -> None:
    for _ in range(2):
        with open_store(data_dir=records_db.data_dir, db=records_db.url, environ={}) as store:
            store.patients()
    engine = _engine(records_db)
    try:
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    finally:
        engine.dispose()
    assert versions == ["0002"]


def test_a_newer_database_is_refused(records_db: RecordsDb) -> None:
    with open_store(data_dir=records_db.data_dir, db=records_db.url, environ={}):
        pass
    engine = _engine(records_db)
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    finally:
        engine.dispose()
    with pytest.raises(NotADatabaseError, match="newer motorplay.*'0099'"):
        open_store(data_dir=records_db.data_dir, db=records_db.url, environ={})


def test_a_database_of_something_else_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    engine = create_records_engine(resolve_location(data_dir=tmp_path, db=f"sqlite:///{other}", environ={}))
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    finally:
        engine.dispose()
    with pytest.raises(NotADatabaseError, match=r"other\.sqlite3: holds other tables \(invoices\)"):
        open_store(data_dir=tmp_path, db=f"sqlite:///{other}", environ={})
