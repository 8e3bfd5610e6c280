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
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

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
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"a time without a time zone cannot be stored: {value.isoformat()}")
        utc = value.astimezone(timezone.utc)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # float as Float (SQLAlchemy 2.1 would make it Double): the type the migrations created.
    type_annotation_map = {datetime: UtcDateTime(), dict[str, Any]: JSON(), Any: JSON(), float: Float()}


class Patient(Base):
    __tablename__ = "patients"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(CODE_CHARS), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(MAX_DISPLAY_NAME_CHARS))
    created_at: Mapped[datetime]


class CalibrationVersion(Base):
    __tablename__ = "calibration_versions"
    __table_args__ = (UniqueConstraint("patient_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    version: Mapped[int]
    saved_at: Mapped[datetime]
    payload: Mapped[dict[str, Any]]
    source: Mapped[str] = mapped_column(String(MAX_NAME_CHARS))


class CalibrationImport(Base):
    """A calibration file already imported: the same content for the same patient is not imported twice."""

    __tablename__ = "calibration_imports"
    __table_args__ = (UniqueConstraint("patient_id", "content_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    content_sha256: Mapped[str] = mapped_column(String(SHA256_HEX_CHARS))
    path: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime]
    calibration_version_id: Mapped[int] = mapped_column(ForeignKey("calibration_versions.id", ondelete="CASCADE"))


class AssessmentVersion(Base):
    __tablename__ = "assessment_versions"
    __table_args__ = (UniqueConstraint("patient_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    version: Mapped[int]
    recorded_at: Mapped[datetime]
    payload: Mapped[dict[str, Any]]


class Session(Base):
    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_patient_started", "patient_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid.UUID] = mapped_column(unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    complete: Mapped[bool] = mapped_column(default=False)
    station: Mapped[str] = mapped_column(String(MAX_NAME_CHARS))
    # The process that recorded it: a session without an end is abandoned once that process is gone.
    process_id: Mapped[int | None]


class LevelRun(Base):
    __tablename__ = "level_runs"
    __table_args__ = (UniqueConstraint("session_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid.UUID] = mapped_column(unique=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    level_name: Mapped[str] = mapped_column(String(MAX_NAME_CHARS))
    family: Mapped[str] = mapped_column(String(MAX_NAME_CHARS))
    position: Mapped[int]
    started_at: Mapped[datetime]


class Trial(Base):
    __tablename__ = "trials"
    __table_args__ = (
        UniqueConstraint("level_run_id", "trial_index"),
        CheckConstraint("outcome IN ('success', 'miss', 'skipped', 'unfinished')", name="outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid.UUID] = mapped_column(unique=True)
    level_run_id: Mapped[int] = mapped_column(ForeignKey("level_runs.id", ondelete="CASCADE"))
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
    __tablename__ = "break_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    trial_id: Mapped[int] = mapped_column(ForeignKey("trials.id", ondelete="CASCADE"), index=True)
    t_s: Mapped[float]
    kind: Mapped[str] = mapped_column(String(CODE_CHARS))
    effector: Mapped[str | None] = mapped_column(String(CODE_CHARS))
    severity: Mapped[float | None]


# Added by the second migration (0002): the plan, difficulty changes and injections.


class PlanVersion(Base):
    __tablename__ = "plan_versions"
    __table_args__ = (
        UniqueConstraint("patient_id", "version"),
        CheckConstraint("format IN ('toml', 'json')", name="format"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    version: Mapped[int]
    format: Mapped[str] = mapped_column(String(CODE_CHARS))
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(MAX_NAME_CHARS))
    created_at: Mapped[datetime]


class DifficultyChange(Base):
    __tablename__ = "difficulty_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid.UUID] = mapped_column(unique=True)
    level_run_id: Mapped[int] = mapped_column(ForeignKey("level_runs.id", ondelete="CASCADE"), index=True)
    trial_id: Mapped[int | None] = mapped_column(ForeignKey("trials.id", ondelete="CASCADE"))
    from_value: Mapped[Any]
    to_value: Mapped[Any]
    reason: Mapped[str] = mapped_column(String(MAX_NOTE_CHARS))
    changed_at: Mapped[datetime]


class Injection(Base):
    __tablename__ = "injections"
    __table_args__ = (UniqueConstraint("patient_id", "injected_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    injected_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(String(MAX_NOTE_CHARS))
