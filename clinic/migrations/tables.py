"""Build the tables of the records' migrations from the shapes they share.

Those shapes: an integer ``id`` key, an optional public UUID, columns that refer to another table's row and go with
it, a patient's numbered versions, named constraints.

Migrations are frozen snapshots of the schema, and these helpers are part of what they run: a change here changes
what every earlier migration creates. Add new helpers; never change what an existing one builds (the test
``tests/unit/clinic/test_records_migrations.py`` compares the migrated schema with :mod:`clinic.records.models`).

The constraint names follow :data:`clinic.records.models.NAMING_CONVENTION` (``pk_<table>``, ``uq_<table>_<first
column>``, ``fk_<table>_<column>_<parent>``, ``ck_<table>_<name>``), so that later migrations can name what they alter
on both databases.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import sqlalchemy as sa
from alembic import op


class Ref(NamedTuple):
    """A column holding the ``id`` of a row of ``parent``; the row is deleted with that one (``ON DELETE CASCADE``).

    Attributes
    ----------
    column : str
        The column's name, such as ``"patient_id"``.
    parent : str
        The table referred to.
    nullable : bool
        Whether the column may be empty (NULL).
    """

    column: str
    parent: str
    nullable: bool = False


def required(name: str, kind: sa.types.TypeEngine[Any]) -> sa.Column[Any]:
    """Return a column ``name`` of type ``kind`` that must hold a value (NOT NULL)."""
    return sa.Column(name, kind, nullable=False)


def optional(name: str, kind: sa.types.TypeEngine[Any]) -> sa.Column[Any]:
    """Return a column ``name`` of type ``kind`` that may be empty (NULL)."""
    return sa.Column(name, kind, nullable=True)


def utc_time() -> sa.DateTime:
    """Return the type of the records' times: timezone-aware (``clinic.records.models.UtcDateTime`` stores UTC)."""
    return sa.DateTime(timezone=True)


def create_table(
    table: str,
    *columns: sa.Column[Any] | Ref,
    public_id: bool = False,
    unique: Sequence[Sequence[str]] = (),
    checks: Mapping[str, str] | None = None,
) -> None:
    """Create ``table`` with an integer primary key ``id`` first, then ``columns`` in order.

    Parameters
    ----------
    table : str
        The table's name.
    *columns : sqlalchemy.Column or Ref
        The columns after ``id`` (and ``uuid``); a :class:`Ref` becomes an integer column and its foreign key.
    public_id : bool
        Add a unique ``uuid`` column after ``id``: the client-made UUID that names the row across stations.
    unique : sequence of sequences of str
        The column sets that are unique together, each named after its first column.
    checks : mapping of str to str, optional
        Check constraints: name to SQL condition.
    """
    items: list[sa.schema.SchemaItem] = [required("id", sa.Integer())]
    if public_id:
        items.append(required("uuid", sa.Uuid()))
    items += [_column(table, column) for column in columns]
    items.append(sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")))
    if public_id:
        items.append(sa.UniqueConstraint("uuid", name=op.f(f"uq_{table}_uuid")))
    items += [sa.UniqueConstraint(*names, name=op.f(f"uq_{table}_{names[0]}")) for names in unique]
    items += [sa.CheckConstraint(sql, name=op.f(f"ck_{table}_{name}")) for name, sql in (checks or {}).items()]
    op.create_table(table, *items)


def create_versions_table(table: str, *columns: sa.Column[Any] | Ref, checks: Mapping[str, str] | None = None) -> None:
    """Create ``table`` of a patient's numbered versions: ``patient_id`` and ``version`` (unique together) first.

    The versions are numbered 1, 2, ... per patient (``clinic.records.models.PatientVersion``); ``columns`` and
    ``checks`` are as for :func:`create_table`.
    """
    create_table(
        table,
        Ref("patient_id", "patients"),
        required("version", sa.Integer()),
        *columns,
        unique=[("patient_id", "version")],
        checks=checks,
    )


def _column(table: str, column: sa.Column[Any] | Ref) -> sa.Column[Any]:
    if not isinstance(column, Ref):
        return column
    key = sa.ForeignKey(
        f"{column.parent}.id", name=op.f(f"fk_{table}_{column.column}_{column.parent}"), ondelete="CASCADE"
    )
    return sa.Column(column.column, sa.Integer(), key, nullable=column.nullable)
