"""Several processes recording at once (game windows, or stations sharing a clinic server), and a game killed with
SIGKILL mid-session: nothing lost, nothing duplicated, the killed session marked incomplete on the next start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from uuid import UUID

import pytest

from clinic.records.store import RecordsStore, open_store
from clinic.records.types import TrialRecord
from tests.support import postgres
from tests.support.paths import REPO_ROOT
from tests.support.postgres import RecordsDb
from tests.support.records_writer import trial

postgres_server = postgres.postgres_server  # fixtures, shared with the other records tests
records_db = postgres.records_db

WRITERS = 4
TRIALS_EACH = 300
# A writer that takes longer than this is stuck (they take a few seconds on two cores).
WRITER_TIMEOUT_S = 180
STATION = "station-1"


def _writer(records_db: RecordsDb, *extra: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "tests.support.records_writer", "--data-dir", str(records_db.data_dir),
               "--patient", "anna", "--station", STATION, *extra]
    if records_db.url is not None:
        command += ["--db", records_db.url]
    return subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _open(records_db: RecordsDb) -> RecordsStore:
    return open_store(data_dir=records_db.data_dir, db=records_db.url, environ={}, station=STATION)


def _without_times(trials: list[TrialRecord]) -> list[TrialRecord]:
    return [record.model_copy(update={"ended_at": None, "uuid": None}) for record in trials]


def test_four_writers_of_300_trials_lose_and_duplicate_nothing(records_db: RecordsDb) -> None:
    with _open(records_db) as store:
        store.add_patient("anna")
    writers = [_writer(records_db, "--trials", str(TRIALS_EACH)) for _ in range(WRITERS)]
    for writer in writers:
        _, errors = writer.communicate(timeout=WRITER_TIMEOUT_S)
        assert writer.returncode == 0, errors

    with _open(records_db) as store:
        sessions = store.sessions("anna")
        assert len(sessions) == WRITERS
        assert all(s.session.complete and s.trials == TRIALS_EACH for s in sessions)
        expected = _without_times([trial(index) for index in range(TRIALS_EACH)])
        uuids: set[UUID] = set()
        for summary in sessions:
            [run] = store.level_runs(summary.session.uuid)
            stored = store.trials(run.uuid)
            assert _without_times(stored) == expected  # every trial, in order, each value and break as written
            uuids.update(record.uuid for record in stored)
        assert len(uuids) == WRITERS * TRIALS_EACH


def test_a_session_killed_mid_way_keeps_its_trials_and_is_closed_incomplete(records_db: RecordsDb) -> None:
    with _open(records_db) as store:
        store.add_patient("anna")
    killed = _writer(records_db, "--trials", "5", "--hang")
    assert killed.stdout is not None
    lines = []
    for line in killed.stdout:
        lines.append(line.strip())
        if line.strip() == "hanging":
            break
    assert lines[-1] == "hanging", (lines, killed.stderr.read() if killed.stderr else "")
    os.kill(killed.pid, signal.SIGKILL)
    assert killed.wait(timeout=WRITER_TIMEOUT_S) == -signal.SIGKILL
    killed.stdout.close()
    if killed.stderr is not None:
        killed.stderr.close()

    with _open(records_db) as store:  # the next start
        [summary] = store.sessions("anna")
        [run] = store.level_runs(summary.session.uuid)
        trials = store.trials(run.uuid)
        assert [record.index for record in trials] == [0, 1, 2, 3, 4]
        assert not summary.session.complete
        assert summary.session.ended_at == trials[-1].ended_at


@pytest.mark.parametrize("station", ["station-2"])
def test_another_stations_open_session_is_left_to_it(records_db: RecordsDb, station: str) -> None:
    with _open(records_db) as store:
        store.add_patient("anna")
    killed = _writer(records_db, "--trials", "1", "--hang")
    assert killed.stdout is not None
    for line in killed.stdout:
        if line.strip() == "hanging":
            break
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait(timeout=WRITER_TIMEOUT_S)
    killed.stdout.close()
    if killed.stderr is not None:
        killed.stderr.close()
    with open_store(data_dir=records_db.data_dir, db=records_db.url, environ={}, station=station) as other:
        [summary] = other.sessions("anna")
        assert summary.session.ended_at is None  # station-1 closes it when it starts again
    with _open(records_db) as store:
        assert store.sessions("anna")[0].session.ended_at is not None
