"""The local durable queue: writes that could not reach the database wait here, in order, until it returns.

An SQLite file beside the data (``<data dir>/records-queue.sqlite3``, mode 0600), in WAL mode with full sync: a
write is on disk before :meth:`LocalQueue.push` returns, so a queued trial survives the process being killed. Each
entry names the database it is for (its URL without the password), so that a queue left for the clinic server is
never flushed into another database. Entries are removed only after the database committed them; one removed late
(the process died in between) is applied again harmlessly, since every write is idempotent
(:mod:`clinic.records.writes`). An entry the database refuses for a reason other than being unreachable is kept,
marked failed with the reason, and no longer blocks the entries after it.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from clinic.records.errors import RecordsWriteError
from clinic.records.location import create_private_file
from clinic.records.types import utc_now
from clinic.records.writes import (
    AddDifficultyChange,
    AddTrial,
    EndSession,
    StartLevelRun,
    StartSession,
    Write,
    write_from_json,
    write_to_json,
)
from tracking.atomic_files import describe_os_error

# Another process (a second game, a command) may be pushing or flushing: wait for its lock this long.
QUEUE_BUSY_TIMEOUT_S = 30.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS pending_writes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    target TEXT NOT NULL,
    payload TEXT NOT NULL,
    queued_at TEXT NOT NULL,
    error TEXT
)
"""
_INDEX = "CREATE INDEX IF NOT EXISTS ix_pending_writes_target ON pending_writes (target, seq)"


@dataclass(frozen=True)
class PatientWrites:
    """A patient, with the sessions and level runs of theirs that the database holds (queued writes may refer to them).

    :meth:`LocalQueue.remove_patient_writes` adds those it finds started in the queue itself.
    """

    patient: str
    sessions: frozenset[UUID] = frozenset()
    level_runs: frozenset[UUID] = frozenset()

    def claims(self, write: Write) -> PatientWrites | None:
        """Return the patient's writes grown by ``write`` when ``write`` is about the patient, else ``None``."""
        if isinstance(write, StartSession):
            if write.session.patient != self.patient:
                return None
            return PatientWrites(self.patient, self.sessions | {write.session.uuid}, self.level_runs)
        if isinstance(write, StartLevelRun):
            if write.level_run.session not in self.sessions:
                return None
            return PatientWrites(self.patient, self.sessions, self.level_runs | {write.level_run.uuid})
        if isinstance(write, EndSession):
            return self if write.session in self.sessions else None
        if isinstance(write, AddTrial):
            return self if write.level_run in self.level_runs else None
        if isinstance(write, AddDifficultyChange):
            return self if write.change.level_run in self.level_runs else None
        return None


@dataclass(frozen=True)
class QueuedWrite:
    """A write waiting in the queue, ``seq`` its place in line."""

    seq: int
    write: Write


class LocalQueue:
    """The queue file at ``path`` for the database ``target`` (its URL without the password).

    The file is made on the first :meth:`push`; until then every read answers "nothing waiting" without making it.
    Safe to use from several threads (one connection behind a lock) and from several processes (SQLite locks).
    """

    def __init__(self, path: Path, target: str) -> None:
        self.path = path
        self.target = target
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None

    def close(self) -> None:
        """Close the queue file's connection (opened again by the next use)."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def push(self, write: Write) -> None:
        """Append ``write``, durably.

        Raises
        ------
        RecordsWriteError
            The queue file cannot be written (a full disk, a read-only folder): the message names it.
        """
        self._execute(
            "INSERT INTO pending_writes (target, payload, queued_at) VALUES (?, ?, ?)",
            (self.target, write_to_json(write), utc_now().isoformat()),
            create=True,
        )

    def pending(self, *, limit: int = 1000) -> list[QueuedWrite]:
        """Return the oldest waiting writes for this database (failed ones left out), in order."""
        rows = self._execute(
            "SELECT seq, payload FROM pending_writes WHERE target = ? AND error IS NULL ORDER BY seq LIMIT ?",
            (self.target, limit),
        )
        return [QueuedWrite(int(seq), write_from_json(str(payload))) for seq, payload in rows]

    def count(self) -> int:
        """How many writes wait for this database (failed ones left out)."""
        rows = self._execute("SELECT COUNT(*) FROM pending_writes WHERE target = ? AND error IS NULL", (self.target,))
        return int(rows[0][0]) if rows else 0

    def remove(self, seq: int) -> None:
        """Forget a write the database has committed."""
        self._execute("DELETE FROM pending_writes WHERE seq = ?", (seq,))

    def mark_failed(self, seq: int, reason: str) -> None:
        """Keep a write the database refused, with the reason, out of the line."""
        self._execute("UPDATE pending_writes SET error = ? WHERE seq = ?", (reason, seq))

    def failures(self) -> list[tuple[int, str]]:
        """Return the writes the database refused: (seq, reason)."""
        rows = self._execute(
            "SELECT seq, error FROM pending_writes WHERE target = ? AND error IS NOT NULL ORDER BY seq",
            (self.target,),
        )
        return [(int(seq), str(error)) for seq, error in rows]

    def count_patient_writes(self, patient: PatientWrites) -> int:
        """How many queued writes (for any database, failed ones too) are about ``patient``."""
        return len(self._patient_entries(patient))

    def remove_patient_writes(self, patient: PatientWrites) -> int:
        """Remove every queued write about ``patient`` (for any database, failed ones too); return how many.

        Their content is overwritten on disk (``secure_delete``) and the write-ahead log emptied.
        """
        entries = self._patient_entries(patient)
        for seq in entries:
            self._execute("DELETE FROM pending_writes WHERE seq = ?", (seq,))
        if entries:
            self._execute("PRAGMA wal_checkpoint(TRUNCATE)", ())
        return len(entries)

    def _patient_entries(self, patient: PatientWrites) -> list[int]:
        """Return the seq of every entry about ``patient``, following sessions and level runs queued."""
        rows = self._execute("SELECT seq, payload FROM pending_writes ORDER BY seq", ())
        found: list[int] = []
        for seq, payload in rows:
            try:
                write = write_from_json(str(payload))
            except ValidationError:
                continue  # not a write this motorplay knows: not readable as anybody's
            grown = patient.claims(write)
            if grown is not None:
                patient = grown
                found.append(int(seq))
        return found

    def _execute(self, sql: str, parameters: tuple[object, ...], *, create: bool = False) -> list[tuple[Any, ...]]:
        """One statement (its own transaction); no rows, without making the file, when there is no queue yet."""
        with self._lock:
            if self._connection is None:
                if not create and not os.path.exists(self.path):
                    return []
                self._connection = self._connect()
            try:
                return self._connection.execute(sql, parameters).fetchall()
            except sqlite3.Error as error:
                raise RecordsWriteError(
                    f"local queue {self.path}: cannot be used ({storage_problem(error)}); the records waiting in it "
                    "are kept"
                ) from None

    def _connect(self) -> sqlite3.Connection:
        try:
            create_private_file(self.path)
            # isolation_level None: each statement is its own transaction, committed when it returns.
            connection = sqlite3.connect(
                self.path, timeout=QUEUE_BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as error:
            reason = describe_os_error(error) if isinstance(error, OSError) else str(error)
            raise RecordsWriteError(f"local queue {self.path}: cannot be opened ({reason})") from None
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")  # a queued trial is on disk before push returns
            connection.execute("PRAGMA secure_delete=ON")  # a written or deleted entry leaves no trace in the file
            connection.execute(_SCHEMA)
            connection.execute(_INDEX)
        except sqlite3.Error as error:
            connection.close()
            problem = storage_problem(error)
            if problem != str(error):  # the disk, not the file: it may be a good queue
                raise RecordsWriteError(f"local queue {self.path}: cannot be written ({problem})") from None
            raise RecordsWriteError(f"local queue {self.path}: is not a motorplay queue ({error})") from None
        return connection


# SQLite's words for a disk it cannot write to, and what they mean for a person.
_STORAGE_PROBLEMS = (
    ("disk is full", "the disk is full: free some space"),
    ("readonly database", "the data folder is read-only"),
    ("unable to open database file", "the data folder cannot be written"),
    ("disk i/o error", "the disk reported an error"),
)


def storage_problem(error: BaseException | str) -> str:
    """Return SQLite's ``error`` in a person's words when it is about the disk (full, read-only), else as it is."""
    text = str(error)
    lowered = text.lower()
    for words, meaning in _STORAGE_PROBLEMS:
        if words in lowered:
            return f"{meaning}; {text}"
    return text
