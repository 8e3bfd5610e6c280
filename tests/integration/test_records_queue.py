"""The clinic database unreachable mid-session: a real PostgreSQL server stopped and started again. Trials wait in
the local queue and are written when it returns: counts exact, nothing lost, nothing duplicated."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic.records.errors import DatabaseUnreachableError
from clinic.records.queue import LocalQueue
from clinic.records.store import open_store
from clinic.records.types import TrialOutcome, TrialRecord, WriteOutcome
from clinic.records.writes import AddTrial
from tests.support import postgres
from tests.support.postgres import PostgresServer, stopped

postgres_server = postgres.postgres_server  # fixture, shared with the other records tests


def _trial(index: int) -> TrialRecord:
    return TrialRecord(index=index, outcome=TrialOutcome.SUCCESS, time_s=1.0 + index, sparc=-1.5)


def test_trials_wait_in_the_local_queue_while_the_server_is_down(
    tmp_path: Path, postgres_server: PostgresServer
) -> None:
    url = postgres_server.create_database()
    trials = [_trial(i) for i in range(30)]
    with open_store(data_dir=tmp_path, db=url, environ={}) as store:
        store.add_patient("anna")
        session = store.start_session("anna")
        run = store.start_level_run(session.uuid, "reach", "reach")
        assert [store.add_trial(run.uuid, trial) for trial in trials[:10]] == [WriteOutcome.WRITTEN] * 10

        with stopped(postgres_server):
            assert [store.add_trial(run.uuid, trial) for trial in trials[10:]] == [WriteOutcome.QUEUED] * 20
            assert store.end_session(session.uuid, complete=True) is WriteOutcome.QUEUED
            assert store.queued_writes() == 21
            queue_file = store.location.queue_file
            assert queue_file.parent == tmp_path and oct(queue_file.stat().st_mode & 0o777) == oct(0o600)
            with pytest.raises(DatabaseUnreachableError, match="cannot reach the database"):
                store.sessions("anna")
            assert store.flush_queue() == 0  # still down: everything stays queued
            assert store.queued_writes() == 21

        assert store.flush_queue() == 21
        assert store.queued_writes() == 0 and store.queue_failures() == []
        assert store.trials(run.uuid) == trials
        [summary] = store.sessions("anna")
        assert summary.session.complete and summary.trials == 30

        # A write committed whose removal from the queue was lost (killed in between) is applied again: kept once.
        queue = LocalQueue(store.location.queue_file, store.location.queue_target)
        queue.push(AddTrial(level_run=run.uuid, trial=trials[29]))
        assert store.queued_writes() == 1
        assert store.flush_queue() == 1
        assert store.queued_writes() == 0
        assert store.trials(run.uuid) == trials
        # A different trial claiming a taken index is refused, kept aside with the reason, and blocks nothing.
        queue.push(AddTrial(level_run=run.uuid, trial=_trial(29)))
        queue.close()
        assert store.flush_queue() == 0
        [(_, reason)] = store.queue_failures()
        assert "add trial" in reason and store.queued_writes() == 0
        assert store.add_trial(run.uuid, _trial(30)) is WriteOutcome.WRITTEN


def test_a_session_recorded_while_the_server_was_down_is_written_by_the_next_start(
    tmp_path: Path, postgres_server: PostgresServer
) -> None:
    url = postgres_server.create_database()
    with open_store(data_dir=tmp_path, db=url, environ={}) as store:
        store.add_patient("anna")
    with stopped(postgres_server), pytest.raises(DatabaseUnreachableError):
        open_store(data_dir=tmp_path, db=url, environ={}, queue_if_unreachable=False)
    # A store opened before the outage: the whole session is recorded while the server is down.
    with open_store(data_dir=tmp_path, db=url, environ={}, retry_interval_s=0.0) as store:
        with stopped(postgres_server):
            session = store.start_session("anna")
            run = store.start_level_run(session.uuid, "reach", "reach")
            outcomes = [store.add_trial(run.uuid, _trial(i)) for i in range(12)]
            assert outcomes == [WriteOutcome.QUEUED] * 12
            assert store.queued_writes() == 14  # the session, its level run, 12 trials
        # The game goes on: with the server back, the next trial first writes what waits, then itself.
        assert store.add_trial(run.uuid, _trial(12)) is WriteOutcome.WRITTEN
        assert store.queued_writes() == 0
        with stopped(postgres_server):
            store.add_trial(run.uuid, _trial(13))
            store.end_session(session.uuid, complete=False)
            assert store.queued_writes() == 2
    # Closed (or killed) with writes still queued: the next start writes them.
    with open_store(data_dir=tmp_path, db=url, environ={}) as store:
        assert store.queued_writes() == 0
        [summary] = store.sessions("anna")
        assert summary.session.uuid == session.uuid and not summary.session.complete
        assert [t.index for t in store.trials(run.uuid)] == list(range(14))
