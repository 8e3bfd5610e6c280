"""Where the records are: the data folder and the database URL, from the options, the environment or the defaults.

- data folder: ``--data-dir DIR``, else ``$MOTORPLAY_DATA_DIR``, else the user's data folder for motorplay
  (:func:`clinic.calibration_store.default_data_dir`, the same folder as the calibration files);
- database: ``--db URL``, else ``$MOTORPLAY_DB``, else the SQLite file ``motorplay.sqlite3`` in the data folder.

A clinic points every station at one PostgreSQL server (``postgresql+psycopg://user@host/dbname``); the rest of the
code never asks which database it is. The SQLite file and the folders made for it are private (0600, 0700).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from clinic.calibration_store import default_data_dir
from clinic.records.errors import DatabaseLocationError
from tracking.atomic_files import create_private_folders, describe_os_error
from tracking.input_files import kind_of_file

DB_ENV = "MOTORPLAY_DB"
DATABASE_FILE_NAME = "motorplay.sqlite3"
# The local queue of records waiting for an unreachable database (beside the data, never on the server).
QUEUE_FILE_NAME = "records-queue.sqlite3"
PRIVATE_FILE_MODE = 0o600
POSTGRESQL_DRIVER = "postgresql+psycopg"
# URL schemes taken to mean PostgreSQL through psycopg 3 (the one PostgreSQL driver motorplay installs).
_POSTGRESQL_NAMES = frozenset({"postgresql", "postgres", POSTGRESQL_DRIVER})
_SQLITE_NAMES = frozenset({"sqlite", "sqlite+pysqlite"})
_EXPECTED_FILE = "expected a motorplay database file"
_URL_EXAMPLES = "postgresql+psycopg://USER@HOST:5432/DBNAME or sqlite:////path/to/records.sqlite3"


@dataclass(frozen=True)
class StoreLocation:
    """A resolved place for the records.

    Attributes
    ----------
    data_dir
        The local data folder (calibration files, the SQLite database by default, the local queue).
    url
        The database URL, with a driver SQLAlchemy can load.
    named_as
        How the person named the database, for messages: ``--db``, ``$MOTORPLAY_DB`` or the default file.
    """

    data_dir: Path
    url: URL
    named_as: str

    @property
    def database_file(self) -> Path | None:
        """The SQLite file, or ``None`` for a server (or an in-memory SQLite database)."""
        if self.url.get_backend_name() != "sqlite" or self.url.database in (None, "", ":memory:"):
            return None
        return Path(self.url.database or "")

    @property
    def queue_file(self) -> Path:
        """The local queue's SQLite file in the data folder, where writes wait while the database is unreachable."""
        return self.data_dir / QUEUE_FILE_NAME

    @property
    def queue_target(self) -> str:
        """The database as the local queue names it: the URL without the password."""
        return self.url.render_as_string(hide_password=True)

    def describe(self) -> str:
        """Return the database for a message: the file, or the URL without its password."""
        file = self.database_file
        if file is not None:
            return str(file)
        return self.url.render_as_string(hide_password=True)


def resolve_location(
    *, data_dir: Path | None = None, db: str | None = None, environ: Mapping[str, str] | None = None
) -> StoreLocation:
    """Return the data folder and database URL from the options, else the environment, else the defaults.

    Raises
    ------
    DatabaseLocationError
        A URL that is not one, or names a database other than PostgreSQL or SQLite (the message names it).
    """
    env = os.environ if environ is None else environ
    folder = (data_dir.expanduser() if data_dir is not None else default_data_dir(env)).absolute()
    if db:
        return StoreLocation(folder, parse_database_url(db, named_as="--db"), "--db")
    if env.get(DB_ENV):
        return StoreLocation(folder, parse_database_url(env[DB_ENV], named_as=f"${DB_ENV}"), f"${DB_ENV}")
    default_file = folder / DATABASE_FILE_NAME
    return StoreLocation(folder, URL.create("sqlite+pysqlite", database=str(default_file)), "the default database")


def parse_database_url(text: str, *, named_as: str) -> URL:
    """``text`` as a database URL: PostgreSQL (through psycopg 3) or SQLite.

    Raises
    ------
    DatabaseLocationError
        Naming the option and the URL (its password hidden) and what was expected.
    """
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):
        raise DatabaseLocationError(
            f"{named_as} {_hide_password(text)!r}: not a database URL; expected {_URL_EXAMPLES}"
        ) from None
    name = url.drivername
    if name in _POSTGRESQL_NAMES:
        if not url.database:
            raise DatabaseLocationError(
                f"{named_as} {url.render_as_string(hide_password=True)!r}: no database name; expected {_URL_EXAMPLES}"
            )
        return url.set(drivername=POSTGRESQL_DRIVER)
    if name in _SQLITE_NAMES:
        return url.set(drivername="sqlite+pysqlite")
    raise DatabaseLocationError(
        f"{named_as} {url.render_as_string(hide_password=True)!r}: unsupported database {name!r}; "
        f"expected PostgreSQL or SQLite: {_URL_EXAMPLES}"
    )


def _hide_password(text: str) -> str:
    """Return a URL that could not be parsed, with anything between ``:`` and ``@`` after the scheme hidden."""
    scheme, separator, rest = text.partition("://")
    if not separator or "@" not in rest:
        return text
    credentials, _, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in credentials else text


def make_private_folders(folder: Path) -> None:
    """Create ``folder`` and its missing parents with mode 0700 (``mkdir(parents=True)`` would use 0777).

    Raises
    ------
    DatabaseLocationError
        Naming the folder that cannot be created and why.
    """
    try:
        create_private_folders(folder)
    except OSError as error:
        raise DatabaseLocationError(
            f"data folder {folder}: cannot create the folder {error.filename} ({describe_os_error(error)})"
        ) from None
    if not folder.is_dir():
        raise DatabaseLocationError(f"data folder {folder}: is not a folder")


def create_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 when it does not exist (its folders 0700).

    SQLite then opens a private file (its ``-wal`` and ``-shm`` files take the same mode).

    Raises
    ------
    DatabaseLocationError
        Naming the file when it cannot be created, or when what is there is not a regular file (a folder, a named
        pipe, a device: SQLite would block on a pipe or call it a disk I/O error).
    """
    make_private_folders(path.parent)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        _check_regular_file(path)
        return  # an existing database (or another file: SQLite says so when it opens it)
    except IsADirectoryError:
        raise DatabaseLocationError(f"database file {path}: is a folder; {_EXPECTED_FILE}") from None
    except OSError as error:
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise DatabaseLocationError(
                f"database file {path}: cannot be created: the folder {path.parent} is read-only "
                f"({describe_os_error(error)}); make it writable or choose another --data-dir"
            ) from None
        raise DatabaseLocationError(f"database file {path}: cannot be created ({describe_os_error(error)})") from None
    os.close(descriptor)


def _check_regular_file(path: Path) -> None:
    """Refuse what is at ``path`` unless it is a regular file (symbolic links followed), naming what it is."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        raise DatabaseLocationError(f"database file {path}: cannot be read ({describe_os_error(error)})") from None
    if not stat.S_ISREG(mode):
        raise DatabaseLocationError(f"database file {path}: {kind_of_file(mode)}; {_EXPECTED_FILE}")
