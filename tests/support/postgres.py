"""A real PostgreSQL 15 server for the records tests, started on loopback once per test run.

The binaries are Debian's (``/usr/lib/postgresql/15/bin``: initdb, pg_ctl, postgres). PostgreSQL refuses to run as
root, so as root (CI) it runs as the ``postgres`` user (``runuser``) in a folder that user owns; as anyone else it
runs as them. Trust authentication for loopback only, a free port on 127.0.0.1, no TCP anywhere else. In CI
(``CI=true``) a missing binary fails the tests; elsewhere they skip, saying why.

Use from a test module (pytest finds fixtures by name in the module's namespace)::

    from tests.support import postgres

    postgres_server = postgres.postgres_server
    records_db = postgres.records_db

The server is shared by every module that imports the fixture (kept on the pytest config, stopped at the end).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

POSTGRES_BIN_DIR = Path(os.environ.get("MOTORPLAY_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
POSTGRES_USER = "postgres"
# Tests need no crash safety from the server: fsync off makes CREATE DATABASE and commits fast. The benchmark
# starts one with durable=True, as a clinic would run it.
FAST_SETTINGS = ("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
START_ATTEMPTS = 3
PG_CTL_TIMEOUT_S = 60
_SERVER_KEY = pytest.StashKey["PostgresServer"]()


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _runs_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def missing_reason() -> str | None:
    """Why no PostgreSQL server can be started here, or ``None`` when one can."""
    for name in ("initdb", "pg_ctl", "postgres"):
        if not (POSTGRES_BIN_DIR / name).is_file():
            return f"PostgreSQL 15 not found: no {POSTGRES_BIN_DIR / name} (Debian package postgresql-15)"
    if _runs_as_root() and shutil.which("runuser") is None:
        return "running as root needs runuser to start PostgreSQL as the postgres user"
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    """A PostgreSQL cluster in ``folder`` served on 127.0.0.1:``port``; :meth:`stop` and :meth:`start` at will."""

    folder: Path
    port: int
    durable: bool = False
    _names: Iterator[int] = field(default_factory=itertools.count)

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{POSTGRES_USER}@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", POSTGRES_USER, "--"] if _runs_as_root() else []
        return subprocess.run(
            [*prefix, *command], capture_output=True, text=True, check=False, timeout=PG_CTL_TIMEOUT_S
        )

    def init(self) -> None:
        done = self._run(
            str(POSTGRES_BIN_DIR / "initdb"), "-D", str(self.data_dir), "-A", "trust", "-U", POSTGRES_USER,
            "-E", "UTF8", "--no-sync", "--locale=C.UTF-8",
        )
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")

    def start(self) -> None:
        options = ["-h", "127.0.0.1", "-p", str(self.port), "-k", str(self.folder)]
        if not self.durable:
            options += FAST_SETTINGS
        done = self._run(
            str(POSTGRES_BIN_DIR / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.folder / "server.log"),
            "-w", "-t", str(PG_CTL_TIMEOUT_S), "-o", " ".join(options), "start",
        )
        if done.returncode != 0:
            log = (self.folder / "server.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"PostgreSQL did not start on port {self.port}: {done.stderr.strip()}\n{log}")

    def stop(self) -> None:
        done = self._run(
            str(POSTGRES_BIN_DIR / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w",
            "-t", str(PG_CTL_TIMEOUT_S), "stop",
        )
        if done.returncode != 0:
            raise RuntimeError(f"PostgreSQL did not stop: {done.stderr.strip()}")

    def is_running(self) -> bool:
        done = self._run(str(POSTGRES_BIN_DIR / "pg_ctl"), "-D", str(self.data_dir), "status")
        return done.returncode == 0

    def create_database(self, prefix: str = "test") -> str:
        """A new empty database; returns its URL."""
        import psycopg

        name = f"{prefix}_{next(self._names)}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={POSTGRES_USER} dbname=postgres",
                             autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def remove(self) -> None:
        if self.is_running():
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def start_postgres(*, durable: bool = False) -> PostgresServer:
    """Make a cluster in a new folder owned by the server's user and start it on a free loopback port."""
    folder = Path(tempfile.mkdtemp(prefix="motorplay-pg-"))
    if _runs_as_root():
        shutil.chown(folder, user=POSTGRES_USER)
    server = PostgresServer(folder, free_port(), durable=durable)
    try:
        server.init()
        for attempt in range(START_ATTEMPTS):
            try:
                server.start()
                return server
            except RuntimeError:
                if attempt == START_ATTEMPTS - 1:
                    raise
                server.port = free_port()  # taken between the probe and the start
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    raise AssertionError("unreachable")


def _require_postgres() -> None:
    reason = missing_reason()
    if reason is None:
        return
    if _in_ci():
        pytest.fail(f"{reason}; in CI (CI=true) the PostgreSQL tests never skip")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server(request: pytest.FixtureRequest) -> PostgresServer:
    """The test run's PostgreSQL server (started on first use, stopped and removed when the run ends)."""
    config = request.config
    server = config.stash.get(_SERVER_KEY, None)
    if server is None:
        _require_postgres()
        server = start_postgres()
        config.stash[_SERVER_KEY] = server
        config.add_cleanup(server.remove)
    if not server.is_running():  # a test that stopped it failed before starting it again
        server.start()
    return server


@dataclass(frozen=True)
class RecordsDb:
    """Where a test's records go: the data folder, and the database URL (``None``: the default SQLite file)."""

    kind: str
    data_dir: Path
    url: str | None
    server: PostgresServer | None = None


@pytest.fixture(params=["sqlite", "postgresql"])
def records_db(request: pytest.FixtureRequest, tmp_path: Path) -> RecordsDb:
    """A fresh, empty records database of each kind: the SQLite file in a new data folder, and a new database on
    the PostgreSQL server (with its own data folder for the local queue)."""
    if request.param == "sqlite":
        return RecordsDb("sqlite", tmp_path / "data", None)
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return RecordsDb("postgresql", tmp_path / "data", server.create_database(), server)


@contextlib.contextmanager
def stopped(server: PostgresServer) -> Iterator[None]:
    """The server stopped for the block, started again after it (also when the block fails)."""
    server.stop()
    try:
        yield
    finally:
        server.start()
