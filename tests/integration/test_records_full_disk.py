"""A full disk or a read-only data folder while a session is recorded (small tmpfs mounts; they need root, as in CI,
and skip otherwise): a clear message, the session goes on, nothing half-written, and what could not be saved is
kept in memory and saved once there is room again.

A data folder read-only from the start is a read-only bind mount of prepared data. One that turns read-only in the
middle of a session (a tmpfs cannot be remounted while the game holds its database open: EBUSY) is a session played
in a child process without ``CAP_DAC_OVERRIDE`` (``setpriv``), whose data folder loses its write permissions after
the first trial: as root ``chmod`` alone would stop nothing (``tests/support/read_only_session.py``)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clinic.records.errors import RecordsError, RecordsWriteError
from clinic.records.location import DATABASE_FILE_NAME
from clinic.records.store import open_store
from clinic.records.types import TrialOutcome, TrialRecord, WriteOutcome
from game.session_results import SessionJournal
from levels.feedback import TrialFeedback
from levels.trial import TrialResult
from tests.support.mounts import ext4_image, fill, tmpfs
from tests.support.paths import REPO_ROOT
from tests.support.read_only_session import set_writable
from tests.support.session_flows import MouseClock, play_with_mouse, reach_level_file

PATIENT = "P-D15C00"
DISK_KIB = 512  # the records (about 130 KB) and room for a few trials


@pytest.fixture(autouse=True)
def _no_records_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTORPLAY_DB", raising=False)
    monkeypatch.delenv("MOTORPLAY_DATA_DIR", raising=False)


def _trial(index: int) -> TrialRecord:
    return TrialRecord(index=index, outcome=TrialOutcome.SUCCESS, time_s=1.0 + index, params={"note": "x" * 2000})


def _integrity(database: Path) -> str:
    connection = sqlite3.connect(database)
    try:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        connection.close()


def test_a_full_disk_is_said_and_what_waits_is_saved_when_there_is_room(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", size_kib=DISK_KIB) as disk:
        data_dir = disk / "data"
        trials = [_trial(index) for index in range(4)]
        with open_store(data_dir=data_dir, environ={}) as store:
            store.add_patient(PATIENT)
            session = store.start_session(PATIENT)
            run = store.start_level_run(session.uuid, "reach", "reach")
            assert store.add_trial(run.uuid, trials[0]) is WriteOutcome.WRITTEN
            fill(disk, leave_bytes=0)
            for index, kept in [(1, "1 record of it is"), (2, "2 records of it are")]:
                with pytest.raises(RecordsWriteError) as caught:
                    store.add_trial(run.uuid, trials[index])
                message = str(caught.value)
                assert "the disk is full: free some space" in message and str(data_dir) in message
                assert f"The session goes on: {kept} kept in memory" in message
            assert store.unsaved_writes == 2
            (disk / "filler").unlink()
            # Room again: the next write saves the two kept in memory first, in order (in the local queue while
            # the database waits out its retry interval), then itself.
            assert store.add_trial(run.uuid, trials[3]) in (WriteOutcome.WRITTEN, WriteOutcome.QUEUED)
            assert store.unsaved_writes == 0
            store.end_session(session.uuid, complete=True)
        with open_store(data_dir=data_dir, environ={}) as store:  # the next start writes what waits in the queue
            assert store.queued_writes() == 0 and store.queue_failures() == []
            assert store.trials(run.uuid) == trials
            [summary] = store.sessions(PATIENT)
            assert summary.session.complete
        assert _integrity(data_dir / DATABASE_FILE_NAME) == "ok"


def test_a_session_goes_on_while_the_disk_is_full_and_keeps_every_trial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Played headless: the disk fills after the first trial and has room again after the second."""
    level = reach_level_file(tmp_path, "first", trials=3)
    original = SessionJournal.add_trial
    kept: list[int] = []

    with tmpfs(tmp_path / "disk", size_kib=DISK_KIB) as disk:
        data_dir = disk / "data"
        with open_store(data_dir=data_dir, environ={}) as store:
            store.add_patient(PATIENT)

        def add_trial(journal: SessionJournal, result: TrialResult, feedback: TrialFeedback | None, **kw: Any) -> None:
            original(journal, result, feedback, **kw)
            kept.append(journal.trial_count)
            if journal.trial_count == 1:
                fill(disk, leave_bytes=0)
            elif journal.trial_count == 2:
                (disk / "filler").unlink()

        monkeypatch.setattr(SessionJournal, "add_trial", add_trial)
        result = play_with_mouse(
            [level], lambda: MouseClock(), data_dir=data_dir, max_seconds=20.0,
            patient=PATIENT, results_json=tmp_path / "session.json", offer_choices=False,
        )  # fmt: skip
        assert kept == [1, 2, 3] and result.session_complete  # the session went on to its end
        [error] = result.errors  # said once, plainly
        assert isinstance(error, RecordsError) and "the disk is full: free some space" in str(error)
        with open_store(data_dir=data_dir, environ={}) as store:
            [summary] = store.sessions(PATIENT)
            assert summary.trials == 3 and summary.session.complete
        assert _integrity(data_dir / DATABASE_FILE_NAME) == "ok"
    data = json.loads((tmp_path / "session.json").read_text(encoding="utf-8"))
    assert len(data["levels"][0]["trials"]) == 3 and data["complete"] is True


@pytest.fixture
def read_only_data(tmp_path: Path) -> Iterator[Path]:
    """A data folder with the records and the patient in it, mounted read-only."""
    with tmpfs(tmp_path / "disk", size_kib=DISK_KIB) as disk:
        with open_store(data_dir=disk, environ={}) as store:
            store.add_patient(PATIENT)
        view = tmp_path / "view"
        view.mkdir()
        done = subprocess.run(["mount", "--bind", "-o", "ro", str(disk), str(view)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot bind-mount read-only (needs root): {done.stderr.strip()}")
        try:
            assert not os.access(view, os.W_OK) or subprocess.run(["touch", str(view / "probe")]).returncode != 0
            yield view
        finally:
            subprocess.run(["umount", "-l", str(view)], capture_output=True, check=False)


def test_a_read_only_data_folder_is_said_and_the_session_is_played(tmp_path: Path, read_only_data: Path) -> None:
    level = reach_level_file(tmp_path, "first", trials=2)
    before = {path.name: path.read_bytes() for path in read_only_data.iterdir()}
    result = play_with_mouse(
        [level], lambda: MouseClock(), data_dir=read_only_data, max_seconds=20.0,
        patient=PATIENT, results_json=tmp_path / "session.json", offer_choices=False,
    )  # fmt: skip
    assert result.session_complete
    [error] = result.errors
    assert f"the folder {read_only_data} is read-only" in str(error), error
    assert {path.name: path.read_bytes() for path in read_only_data.iterdir()} == before  # nothing half-written
    data = json.loads((tmp_path / "session.json").read_text(encoding="utf-8"))
    assert len(data["levels"][0]["trials"]) == 2



def _leftovers(folder: Path) -> list[str]:
    """Files that a write cut short would leave: temporary files, SQLite rollback journals."""
    return sorted(path.name for path in folder.rglob("*") if path.name.endswith("-journal") or ".tmp" in path.name)


def test_a_data_folder_whose_permissions_go_mid_session_loses_nothing_and_the_next_start_says_so(
    tmp_path: Path,
) -> None:
    """The data folder and its files lose their write permission after the first trial. The database is open
    (WAL, its files open too): the session's trials and its end are still written, so nothing is lost and nothing is
    said. The next session, in the folder as it is, is played and is told that the folder is read-only."""
    setpriv = shutil.which("setpriv")
    if setpriv is None or os.geteuid() != 0:
        pytest.skip("needs root and setpriv (util-linux) to drop CAP_DAC_OVERRIDE for the child only")
    data_dir = tmp_path / "data"
    with open_store(data_dir=data_dir, environ={}) as store:
        store.add_patient(PATIENT)
    level = reach_level_file(tmp_path, "first", trials=3)
    command = [
        setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", "--",
        sys.executable, "-m", "tests.support.read_only_session", str(data_dir), str(level),
        str(tmp_path / "session.json"), PATIENT,
    ]  # fmt: skip
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert not (data_dir / DATABASE_FILE_NAME).stat().st_mode & 0o222 or done.returncode != 0  # it did lose them
    set_writable(data_dir, writable=True)  # for the checks below and the clean-up
    assert done.returncode == 0, done.stderr[-3000:]
    first, second = (json.loads(line) for line in done.stdout.strip().splitlines()[-2:])
    assert first == {"complete": True, "errors": [], "played": [1, 2, 3]}
    assert second["complete"] and second["played"] == [1, 2, 3]  # played all the same
    [message] = second["errors"]
    assert f"the folder {data_dir} is read-only" in message, message
    with open_store(data_dir=data_dir, environ={}) as store:
        [summary] = store.sessions(PATIENT)  # the first session, whole; the second could be saved nowhere
        assert summary.trials == 3 and summary.session.complete
    assert _integrity(data_dir / DATABASE_FILE_NAME) == "ok"
    assert _leftovers(data_dir) == []
    for session in (1, 2):
        data = json.loads((tmp_path / f"session-{session}.json").read_text(encoding="utf-8"))
        assert len(data["levels"][0]["trials"]) == 3 and data["complete"] is True


def test_a_data_disk_that_turns_read_only_mid_session_keeps_what_was_saved_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The data folder's file system fails after the first trial: ext4 turns it read-only at once, the open records
    included (``tests/support/mounts.ext4_image``). The session is played to its end and says once, plainly, that its
    trials could not be saved; after a repair and a restart the first trial is there, whole, and nothing half-written.
    """
    level = reach_level_file(tmp_path, "first", trials=3)
    original = SessionJournal.add_trial
    kept: list[int] = []
    with ext4_image(tmp_path / "disk") as disk:
        data_dir = disk.folder / "data"
        with open_store(data_dir=data_dir, environ={}) as store:
            store.add_patient(PATIENT)

        def add_trial(journal: SessionJournal, result: TrialResult, feedback: TrialFeedback | None, **kw: Any) -> None:
            original(journal, result, feedback, **kw)
            kept.append(journal.trial_count)
            if journal.trial_count == 1:
                disk.turn_read_only()

        monkeypatch.setattr(SessionJournal, "add_trial", add_trial)
        result = play_with_mouse(
            [level], lambda: MouseClock(), data_dir=data_dir, max_seconds=20.0,
            patient=PATIENT, results_json=tmp_path / "session.json", offer_choices=False,
        )  # fmt: skip
        monkeypatch.undo()
        assert kept == [1, 2, 3] and result.session_complete  # the session went on to its end
        [error] = result.errors  # said once
        assert isinstance(error, RecordsError), error
        assert f"the folder {data_dir} is read-only" in str(error), error
        disk.remount_repaired()
        assert _integrity(data_dir / DATABASE_FILE_NAME) == "ok"
        with open_store(data_dir=data_dir, environ={}) as store:
            [summary] = store.sessions(PATIENT)
            assert summary.trials == 1 and not summary.session.complete  # closed at its last saved trial
        assert _leftovers(data_dir) == []
    data = json.loads((tmp_path / "session.json").read_text(encoding="utf-8"))
    assert len(data["levels"][0]["trials"]) == 3 and data["complete"] is True
