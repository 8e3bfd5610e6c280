"""Alembic's environment: migrate over the connection that :mod:`clinic.records.migrate` passes in (no URL here)."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from clinic.records.models import Base


def run_migrations() -> None:
    """Run the migrations Alembic selected over the connection that :mod:`clinic.records.migrate` passed in."""
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("clinic.migrations runs through clinic.records.migrate, which passes a connection")
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
