"""The records' tables as SQLAlchemy 2 declarative models (typed ``Mapped[...]``), the same on SQLite and PostgreSQL.

The migrations in :mod:`clinic.migrations` create exactly these tables (a test compares them); change both together,
with a new migration. Only :mod:`clinic.records` uses these classes: the API hands out plain records
(:mod:`clinic.records.types`).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedColumn, mapped_column

from clinic.records.types import MAX_DISPLAY_NAME_CHARS, MAX_NAME_CHARS, MAX_NOTE_CHARS

# Constraint names fixed by convention, so that migrations can name what they alter on both databases.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
# Length of the columns holding short codes: a patient ID (at most 64 characters, clinic.calibration_store), a trial
# outcome, a break kind, an effector, a plan format.
CODE_CHARS = 64
SHA256_HEX_CHARS = 64


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware time stored as UTC; read back aware in UTC from either database (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return ``value`` in UTC for storing (naive on SQLite); a naive ``value`` raises :class:`ValueError`."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"a time without a time zone cannot be stored: {value.isoformat()}")
        utc = value.astimezone(timezone.utc)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return the stored time as an aware UTC time."""
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _cascade_to(table: str, *, index: bool = False, sort_order: int = 0) -> MappedColumn[Any]:
    """Return a column holding an ``id`` of ``table``: the row is deleted with that one (``ON DELETE CASCADE``)."""
    return mapped_column(ForeignKey(f"{table}.id", ondelete="CASCADE"), index=index, sort_order=sort_order)


class Base(DeclarativeBase):
    """The declarative base of the records' tables: every table has an integer primary key ``id``."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # float as Float (SQLAlchemy 2.1 would make it Double): the type the migrations created.
    type_annotation_map = {datetime: UtcDateTime(), dict[str, Any]: JSON(), Any: JSON(), float: Float()}

    # sort_order: the mixins' columns come first in CREATE TABLE, as the migrations write them.
    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-4)


class PublicId:
    """Mixin: a client-made UUID (unique) that names the row across stations, the local queue and exports."""

    uuid: Mapped[uuid.UUID] = mapped_column(unique=True, sort_order=-3)


class PatientOwned:
    """Mixin: the row belongs to a patient and goes with them (``ON DELETE CASCADE``)."""

    patient_id: Mapped[int] = _cascade_to("patients", sort_order=-2)


class PatientVersion(PatientOwned):
    """Mixin: one version (1, 2, ...) of something a patient has a history of; unique per patient."""

    version: Mapped[int] = mapped_column(sort_order=-1)


class Patient(Base):
    """A patient, known by a pseudonymous ``code``; the display name is optional."""

    __tablename__ = "patients"

    code: Mapped[str] = mapped_column(String(CODE_CHARS), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(MAX_DISPLAY_NAME_CHARS))
    created_at: Mapped[datetime]


class CalibrationVersion(PatientVersion, Base):
    """One version of a patient's calibration: the calibration file's content as JSON."""

    __tablename__ = "calibration_versions"
    __table_args__ = (UniqueConstraint("patient_id", "version"),)

    saved_at: Mapped[datetime]
    payload: Mapped[dict[str, Any]]
    source: Mapped[str] = mapped_column(String(MAX_NAME_CHARS))


class CalibrationImport(PatientOwned, Base):
    """A calibration file already imported: the same content for the same patient is not imported twice."""

    __tablename__ = "calibration_imports"
    __table_args__ = (UniqueConstraint("patient_id", "content_sha256"),)

    content_sha256: Mapped[str] = mapped_column(String(SHA256_HEX_CHARS))
    path: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime]
    calibration_version_id: Mapped[int] = _cascade_to("calibration_versions")


class AssessmentVersion(PatientVersion, Base):
    """One version of a patient's assessment (range of motion, resting posture, ...) as JSON."""

    __tablename__ = "assessment_versions"
    __table_args__ = (UniqueConstraint("patient_id", "version"),)

    recorded_at: Mapped[datetime]
    payload: Mapped[dict[str, Any]]


class Session(PublicId, PatientOwned, Base):
    """A session of play at one station; ``ended_at`` is empty while it runs."""

    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_patient_started", "patient_id", "started_at"),)

    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    complete: Mapped[bool] = mapped_column(default=False)
    station: Mapped[str] = mapped_column(String(MAX_NAME_CHARS))
    # The process that recorded it: a session without an end is abandoned once that process is gone.
    process_id: Mapped[int | None]


class LevelRun(PublicId, Base):
    """One level played within a session, at its ``position`` (0, 1, ...) in the session."""

    __tablename__ = "level_runs"
    __table_args__ = (UniqueConstraint("session_id", "position"),)

    session_id: Mapped[int] = _cascade_to("sessions")
    level_name: Mapped[str] = mapped_column(String(MAX_NAME_CHARS))
    family: Mapped[str] = mapped_column(String(MAX_NAME_CHARS))
    position: Mapped[int]
    started_at: Mapped[datetime]


class Trial(PublicId, Base):
    """One trial of a level run: its outcome, times in seconds, points and movement-quality measures."""

    __tablename__ = "trials"
    __table_args__ = (
        UniqueConstraint("level_run_id", "trial_index"),
        CheckConstraint("outcome IN ('success', 'miss', 'skipped', 'unfinished')", name="outcome"),
    )

    level_run_id: Mapped[int] = _cascade_to("level_runs")
    trial_index: Mapped[int]
    outcome: Mapped[str] = mapped_column(String(CODE_CHARS))
    time_s: Mapped[float]
    start_s: Mapped[float | None]
    points: Mapped[int]
    params: Mapped[dict[str, Any]]
    sparc: Mapped[float | None]
    ldlj: Mapped[float | None]
    stars: Mapped[int | None]
    sensory_trick_s: Mapped[float | None]
    measures: Mapped[dict[str, Any]]
    ended_at: Mapped[datetime]


class BreakEvent(Base):
    """A movement break within a trial, at ``t_s`` seconds on the trial's clock."""

    __tablename__ = "break_events"

    trial_id: Mapped[int] = _cascade_to("trials", index=True)
    t_s: Mapped[float]
    kind: Mapped[str] = mapped_column(String(CODE_CHARS))
    effector: Mapped[str | None] = mapped_column(String(CODE_CHARS))
    severity: Mapped[float | None]


# Added by the second migration (0002): the plan, difficulty changes and injections.


class PlanVersion(PatientVersion, Base):
    """One version of a patient's plan: the TOML or JSON text as written, its author and time."""

    __tablename__ = "plan_versions"
    __table_args__ = (
        UniqueConstraint("patient_id", "version"),
        CheckConstraint("format IN ('toml', 'json')", name="format"),
    )

    format: Mapped[str] = mapped_column(String(CODE_CHARS))
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(MAX_NAME_CHARS))
    created_at: Mapped[datetime]


class DifficultyChange(PublicId, Base):
    """A change of a level's difficulty during a level run, with the values before and after and the reason."""

    __tablename__ = "difficulty_changes"

    level_run_id: Mapped[int] = _cascade_to("level_runs", index=True)
    trial_id: Mapped[int | None] = _cascade_to("trials")
    from_value: Mapped[Any]
    to_value: Mapped[Any]
    reason: Mapped[str] = mapped_column(String(MAX_NOTE_CHARS))
    changed_at: Mapped[datetime]


class Injection(PatientOwned, Base):
    """A botulinum toxin injection of a patient on a date (one a day)."""

    __tablename__ = "injections"
    __table_args__ = (UniqueConstraint("patient_id", "injected_on"),)

    injected_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(String(MAX_NOTE_CHARS))
