"""Where the records are, and the errors a person can cause in naming them: each one message naming the value."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from clinic.calibration_store import default_data_dir
from clinic.records.errors import DatabaseLocationError, DatabaseUnreachableError, NotADatabaseError
from clinic.records.location import DATABASE_FILE_NAME, resolve_location
from clinic.records.store import open_store
from tests.support.postgres import free_port


def test_the_data_folder_and_database_come_from_options_then_environment_then_defaults(tmp_path: Path) -> None:
    option, env = tmp_path / "option", tmp_path / "env"
    environ = {"MOTORPLAY_DATA_DIR": str(env)}
    assert resolve_location(data_dir=option, environ=environ).data_dir == option
    assert resolve_location(environ=environ).data_dir == env
    assert resolve_location(environ={}).data_dir == default_data_dir({})
    default = resolve_location(environ=environ)
    assert default.database_file == env / DATABASE_FILE_NAME and default.named_as == "the default database"

    server = "postgresql+psycopg://therapist:secret@db.clinic.example:5432/motorplay"
    from_env = resolve_location(environ={**environ, "MOTORPLAY_DB": server})
    assert from_env.database_file is None and from_env.named_as == "$MOTORPLAY_DB"
    assert from_env.describe() == "postgresql+psycopg://therapist:***@db.clinic.example:5432/motorplay"
    assert resolve_location(db="postgres://u@h/records", environ={"MOTORPLAY_DB": server}).url.database == "records"
    assert resolve_location(db="postgresql://u@h/x", environ={}).url.drivername == "postgresql+psycopg"
    named = resolve_location(db=f"sqlite:///{tmp_path / 'clinic.sqlite3'}", environ={})
    assert named.database_file == tmp_path / "clinic.sqlite3" and named.named_as == "--db"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a url", r"--db 'not a url': not a database URL; expected postgresql\+psycopg://"),
        ("mysql://me:secret@host/db", r"--db 'mysql://me:\*\*\*@host/db': unsupported database 'mysql'"),
        ("postgresql+psycopg://me@host", r"no database name"),
    ],
)
def test_a_bad_database_url_is_named(url: str, expected: str, tmp_path: Path) -> None:
    with pytest.raises(DatabaseLocationError, match=expected) as caught:
        open_store(data_dir=tmp_path, db=url, environ={})
    assert "secret" not in str(caught.value)


def test_an_unreachable_server_is_named_quickly(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://therapist:secret@127.0.0.1:{free_port()}/motorplay"
    started = time.monotonic()
    expected = r"--db postgresql\+psycopg://therapist:\*\*\*@127\.0\.0\.1"
    with pytest.raises(DatabaseUnreachableError, match=expected) as caught:
        open_store(data_dir=tmp_path, db=url, environ={}, queue_if_unreachable=False)
    assert "cannot reach the database" in str(caught.value) and "secret" not in str(caught.value)
    assert time.monotonic() - started < 10  # refused at once on loopback; never the driver's default minutes


def test_a_file_that_is_not_a_database_is_named_and_kept(tmp_path: Path) -> None:
    database = tmp_path / DATABASE_FILE_NAME
    content = "these are my notes, not a database\n" * 200
    database.write_text(content, encoding="utf-8")
    with pytest.raises(NotADatabaseError, match=rf"{database}: is not a motorplay database \(file is not a database\)"):
        open_store(data_dir=tmp_path, environ={})
    assert database.read_text(encoding="utf-8") == content


def test_a_data_folder_that_is_a_file_is_named(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("x", encoding="utf-8")
    with pytest.raises(DatabaseLocationError, match=rf"data folder {not_a_folder}"):
        open_store(data_dir=not_a_folder, environ={})
    with pytest.raises(DatabaseLocationError, match=rf"database file {tmp_path}: is a folder"):
        open_store(data_dir=tmp_path, db=f"sqlite:///{tmp_path}", environ={})


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_named_pipe_or_a_device_in_place_of_the_database_is_named_for_what_it_is(tmp_path: Path) -> None:
    pipe = tmp_path / DATABASE_FILE_NAME
    os.mkfifo(pipe)
    expected = "; expected a motorplay database file"
    with pytest.raises(DatabaseLocationError) as caught:
        open_store(data_dir=tmp_path, environ={})  # SQLite called it a disk I/O error
    assert str(caught.value) == f"database file {pipe}: is a named pipe (FIFO), not a regular file{expected}"
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)  # left as it was
    with pytest.raises(DatabaseLocationError) as caught:
        open_store(data_dir=tmp_path, db=f"sqlite:///{os.devnull}", environ={})
    assert str(caught.value) == f"database file {os.devnull}: is a device, not a regular file{expected}"


def test_a_symbolic_link_to_a_database_is_still_opened(tmp_path: Path) -> None:
    real = tmp_path / "real" / DATABASE_FILE_NAME
    open_store(data_dir=real.parent, environ={}).close()
    link = tmp_path / "linked" / DATABASE_FILE_NAME
    link.parent.mkdir()
    link.symlink_to(real)
    open_store(data_dir=link.parent, environ={}).close()
    assert link.is_symlink() and real.stat().st_size > 0
