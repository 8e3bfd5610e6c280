"""Bring a records database to the newest schema with the Alembic migrations shipped in :mod:`clinic.migrations`.

Run by :func:`clinic.records.store.open_store` every time a store opens: a new database is created, an older one
upgraded (its data kept), a current one left alone. Stations that open one PostgreSQL database at the same moment
take turns (an advisory lock held for the transaction); SQLite's ``BEGIN IMMEDIATE`` does the same for a file.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import Connection

from clinic.records.errors import NotADatabaseError

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
HEAD = "head"
# Any fixed number: the PostgreSQL advisory lock that serialises migrations (the ASCII of "motorpla").
MIGRATION_LOCK_KEY = 0x6D6F746F72706C61
VERSION_TABLE = "alembic_version"


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration in code: the shipped migrations, run over ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """Return the newest migration's revision."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


def current_revision(connection: Connection) -> str | None:
    """Return the database's revision, ``None`` for an empty database."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = HEAD, *, where: str) -> None:
    """Migrate the database to ``revision`` (the newest by default) in one transaction.

    Parameters
    ----------
    where
        The database as a person named it, for messages.

    Raises
    ------
    NotADatabaseError
        The database holds other tables and no motorplay records, or was made by a newer motorplay.
    """
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        current = current_revision(connection)
        if current is None:
            _refuse_foreign_tables(connection, where=where)
        elif current == revision or (revision == HEAD and current == head_revision()):
            return
        try:
            command.upgrade(alembic_config(connection), revision)
        except CommandError as error:
            raise NotADatabaseError(
                f"{where}: records made by a newer motorplay (schema {current!r}; this one knows up to "
                f"{head_revision()!r}): upgrade motorplay ({error})"
            ) from None


def _refuse_foreign_tables(connection: Connection, *, where: str) -> None:
    tables = sorted(inspect(connection).get_table_names())
    if tables:
        shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
        raise NotADatabaseError(
            f"{where}: holds other tables ({shown}) and no motorplay records; choose an empty database or another "
            "--data-dir / --db"
        )
