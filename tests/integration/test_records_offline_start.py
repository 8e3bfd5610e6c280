"""A session started while the clinic's PostgreSQL server is down (a real server, stopped before the start): the game
plays and records it in the local queue, with no error for the patient; it is written, once, when the server is
back, by the next start or by the next write of a store opened while it was down."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic.records.errors import DatabaseUnreachableError
from clinic.records.store import open_store
from clinic.records.types import TrialOutcome, TrialRecord, WriteOutcome
from tests.support import postgres
from tests.support.postgres import PostgresServer, stopped
from tests.support.session_flows import MouseClock, play_with_mouse, reach_level_file

postgres_server = postgres.postgres_server  # fixture, shared with the other records tests
PATIENT = "P-0FF11E"


@pytest.fixture(autouse=True)
def _no_records_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTORPLAY_DB", raising=False)
    monkeypatch.delenv("MOTORPLAY_DATA_DIR", raising=False)


def test_play_with_the_server_down_at_the_start_is_recorded_when_it_is_back(
    tmp_path: Path, postgres_server: PostgresServer
) -> None:
    url = postgres_server.create_database()
    data_dir = tmp_path / "data"
    with open_store(data_dir=data_dir, db=url, environ={}) as store:
        store.add_patient(PATIENT)
    first = reach_level_file(tmp_path, "first", trials=2)
    second = reach_level_file(tmp_path, "second", trials=1)
    with stopped(postgres_server):
        result = play_with_mouse(
            [first, second],
            lambda: MouseClock(),
            data_dir=data_dir,
            max_seconds=20.0,
            db=url,
            patient=PATIENT,
            results_json=tmp_path / "session.json",
            offer_choices=False,
        )
        assert result.errors == ()  # nothing for the patient to worry about: no error, no traceback
        assert result.session_complete and result.session_document is not None
        with open_store(data_dir=data_dir, db=url, environ={}) as offline:
            assert offline.unreachable is not None and offline.offline_notice is not None
            # The session, its two level runs, three trials and its end wait in the queue.
            assert offline.queued_writes() == 7
            with pytest.raises(DatabaseUnreachableError, match="cannot reach the database"):
                offline.sessions(PATIENT)
    for _ in range(2):  # the next start writes them; a start after that finds nothing more to write
        with open_store(data_dir=data_dir, db=url, environ={}) as store:
            assert store.unreachable is None and store.queued_writes() == 0 and store.queue_failures() == []
            [summary] = store.sessions(PATIENT)
            assert summary.session.complete and summary.level_runs == 2 and summary.trials == 3
            runs = store.level_runs(summary.session.uuid)
            stored = [[trial.index for trial in store.trials(run.uuid)] for run in runs]
    assert stored == [[0, 1], [0]]
    played = [[trial["trial"] - 1 for trial in level["trials"]] for level in result.session_document["levels"]]
    assert stored == played


def _trial(index: int) -> TrialRecord:
    return TrialRecord(index=index, outcome=TrialOutcome.SUCCESS, time_s=1.0 + index)


def test_a_store_opened_while_the_server_is_down_writes_everything_at_its_first_write_once_it_is_back(
    tmp_path: Path, postgres_server: PostgresServer
) -> None:
    url = postgres_server.create_database()
    with open_store(data_dir=tmp_path, db=url, environ={}) as store:
        store.add_patient(PATIENT)
    postgres_server.stop()
    try:
        store = open_store(data_dir=tmp_path, db=url, environ={}, retry_interval_s=0.0)
        assert store.unreachable is not None and "cannot reach the database" in str(store.unreachable)
        session = store.start_session(PATIENT)
        run = store.start_level_run(session.uuid, "reach", "reach")
        assert [store.add_trial(run.uuid, _trial(i)) for i in range(5)] == [WriteOutcome.QUEUED] * 5
        assert store.flush_queue() == 0 and store.queued_writes() == 7
    finally:
        postgres_server.start()
    with store:
        # The server is back: the next write migrates nothing new, writes the 7 waiting, then itself, in order.
        assert store.add_trial(run.uuid, _trial(5)) is WriteOutcome.WRITTEN
        assert store.unreachable is None and store.queued_writes() == 0
        assert store.end_session(session.uuid, complete=True) is WriteOutcome.WRITTEN
        assert [trial.index for trial in store.trials(run.uuid)] == list(range(6))
        [summary] = store.sessions(PATIENT)
        assert summary.session.complete and summary.trials == 6


def test_a_database_never_reached_is_migrated_when_it_answers(tmp_path: Path, postgres_server: PostgresServer) -> None:
    """A new clinic database, down at the first start: its tables are made when it answers, then the queue goes."""
    url = postgres_server.create_database()
    with stopped(postgres_server):
        store = open_store(data_dir=tmp_path, db=url, environ={}, retry_interval_s=0.0)
    with store:
        assert store.unreachable is not None  # not tried again until a read or a write
        store.add_patient(PATIENT)  # the first use opens it: migrations run
        session = store.start_session(PATIENT)
        assert store.end_session(session.uuid, complete=False) is WriteOutcome.WRITTEN
        assert [summary.session.uuid for summary in store.sessions(PATIENT)] == [session.uuid]
