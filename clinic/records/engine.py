"""The SQLAlchemy engine for a :class:`~clinic.records.location.StoreLocation`, and database errors for a person.

SQLite: WAL mode (readers never block the writer and a killed process loses no committed trial), foreign keys on,
and every transaction taken with ``BEGIN IMMEDIATE`` after a busy timeout, so that several processes (the game and
``motorplay sessions list``, or several games) wait for each other instead of failing. PostgreSQL: connections
checked before use (a server restarted mid-session is reconnected to) and a short connect timeout (an unreachable
server is known quickly, and the trial goes to the local queue).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DatabaseError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from clinic.records.errors import (
    DatabaseLocationError,
    DatabaseUnreachableError,
    NotADatabaseError,
    RecordsError,
)
from clinic.records.location import StoreLocation, create_private_file
from clinic.records.queue import storage_problem

# Several processes write to one SQLite file (a game per window, the commands): a writer waits this long for the
# lock before giving up. A trial's commit holds it for milliseconds; 30 s covers a slow disk's checkpoint.
SQLITE_BUSY_TIMEOUT_S = 30.0
# A clinic server that does not answer within this time is taken as unreachable (the trial goes to the local queue
# and the game goes on); on a local network a live server answers in milliseconds.
POSTGRESQL_CONNECT_TIMEOUT_S = 3
# The longest reason quoted from a database driver's message (they can run to several paragraphs).
MAX_REASON_CHARS = 300


def _dumps(value: Any) -> str:
    # NaN and infinity are not JSON (PostgreSQL refuses them): never store them.
    return json.dumps(value, allow_nan=False, separators=(",", ":"))


def create_records_engine(location: StoreLocation) -> Engine:
    """Return an engine for the location; the SQLite file (and its folders) created private when missing.

    Raises
    ------
    DatabaseLocationError
        The SQLite file cannot be created.
    """
    database_file = location.database_file
    if location.url.get_backend_name() == "sqlite":
        if database_file is not None:
            create_private_file(database_file)
        engine = create_engine(
            location.url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S}, json_serializer=_dumps
        )
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(
        location.url,
        pool_pre_ping=True,
        connect_args={"connect_timeout": POSTGRESQL_CONNECT_TIMEOUT_S},
        json_serializer=_dumps,
    )


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, record: ConnectionPoolEntry) -> None:
    # Transactions are begun by _sqlite_begin, not by the sqlite3 module (which begins them late, as deferred).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Deleted content (a patient deleted, motorplay patients delete) is overwritten with zeros, not left on free
        # pages of the file: a deleted patient leaves no trace in the data folder.
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # IMMEDIATE takes the write lock at once, waiting up to the busy timeout: a deferred transaction that reads and
    # then writes can fail at once with "database is locked" when another process wrote in between.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def empty_write_ahead_log(engine: Engine) -> None:
    """Copy SQLite's write-ahead log into the database file and empty it (nothing to do for a server).

    After a deletion the log still holds the pages as they were before it; this leaves them nowhere on disk. A
    reader in another process can keep the log from being emptied: it is then emptied by a later checkpoint.
    """
    if engine.dialect.name != "sqlite":
        return
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        try:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            cursor.close()
    finally:
        connection.close()


def is_connection_problem(error: BaseException) -> bool:
    """Return ``True`` for errors that mean the database cannot be reached now.

    The server is down, the connection was lost, or the SQLite file stays locked: the write can wait in the local queue
    and be tried again.
    """
    if isinstance(error, OperationalError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def driver_reason(error: BaseException) -> str:
    """Return the database driver's own words, first line, cut short."""
    original = getattr(error, "orig", None) or error
    text = str(original).strip().splitlines()
    reason = text[0] if text else type(original).__name__
    return reason if len(reason) <= MAX_REASON_CHARS else reason[: MAX_REASON_CHARS - 3] + "..."


def _read_only(folder: Path) -> bool:
    """Return ``True`` when ``folder`` is on a read-only file system or this process may not write in it."""
    try:
        read_only_mount = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False  # gone or unreadable: the driver's reason says what
    return read_only_mount or not os.access(folder, os.W_OK)


def user_error(location: StoreLocation, error: DBAPIError) -> RecordsError:
    """Return a person's error for a database error met while opening or reading, naming the database."""
    reason = driver_reason(error)
    where = f"{location.named_as} {location.describe()}" if location.database_file is None else location.describe()
    lowered = reason.lower()
    if location.database_file is not None:
        if "not a database" in lowered or "malformed" in lowered:
            return NotADatabaseError(
                f"{where}: is not a motorplay database ({reason}); move it away or choose another --data-dir / --db"
            )
        folder = location.database_file.parent
        if _read_only(folder):
            return DatabaseLocationError(
                f"{where}: cannot be written: the folder {folder} is read-only ({reason}); make it writable or "
                "choose another --data-dir"
            )
        return DatabaseLocationError(f"{where}: cannot use this database file ({storage_problem(reason)})")
    if isinstance(error, OperationalError) or error.connection_invalidated:
        return DatabaseUnreachableError(
            f"{where}: cannot reach the database ({reason}); check the server, the address and the user name"
        )
    if isinstance(error, DatabaseError):
        return NotADatabaseError(f"{where}: the database refused the request ({reason})")
    return DatabaseUnreachableError(f"{where}: database error ({reason})")


@contextmanager
def database_errors(location: StoreLocation) -> Iterator[None]:
    """Turn the driver's errors into :class:`RecordsError` messages that name the database.

    Constraint violations (:class:`~sqlalchemy.exc.IntegrityError`) pass through.
    """
    try:
        yield
    except IntegrityError:
        raise  # a constraint: the caller knows what it means (a taken ID, a write already made)
    except DBAPIError as error:
        raise user_error(location, error) from error
