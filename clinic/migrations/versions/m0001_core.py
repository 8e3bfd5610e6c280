"""The core tables: patients, calibration and assessment versions, calibration imports, sessions, level runs,
trials and break events.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# The same lengths as clinic.records.models at the time of this migration (a migration is a frozen snapshot).
CODE = 64
NAME = 255
DISPLAY_NAME = 200
SHA256_HEX = 64


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), nullable=False)


def _time(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _patient_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["patient_id"], ["patients.id"], name=op.f(f"fk_{table}_patient_id_patients"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "patients",
        _id(),
        sa.Column("code", sa.String(CODE), nullable=False),
        sa.Column("display_name", sa.String(DISPLAY_NAME), nullable=True),
        _time("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patients")),
        sa.UniqueConstraint("code", name=op.f("uq_patients_code")),
    )
    op.create_table(
        "calibration_versions",
        _id(),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _time("saved_at"),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(NAME), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_versions")),
        _patient_fk("calibration_versions"),
        sa.UniqueConstraint("patient_id", "version", name=op.f("uq_calibration_versions_patient_id")),
    )
    op.create_table(
        "calibration_imports",
        _id(),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("content_sha256", sa.String(SHA256_HEX), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        _time("imported_at"),
        sa.Column("calibration_version_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_imports")),
        _patient_fk("calibration_imports"),
        sa.ForeignKeyConstraint(
            ["calibration_version_id"],
            ["calibration_versions.id"],
            name=op.f("fk_calibration_imports_calibration_version_id_calibration_versions"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("patient_id", "content_sha256", name=op.f("uq_calibration_imports_patient_id")),
    )
    op.create_table(
        "assessment_versions",
        _id(),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _time("recorded_at"),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_versions")),
        _patient_fk("assessment_versions"),
        sa.UniqueConstraint("patient_id", "version", name=op.f("uq_assessment_versions_patient_id")),
    )
    _create_session_tables()


def _create_session_tables() -> None:
    op.create_table(
        "sessions",
        _id(),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        _time("started_at"),
        _time("ended_at", nullable=True),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("station", sa.String(NAME), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
        _patient_fk("sessions"),
        sa.UniqueConstraint("uuid", name=op.f("uq_sessions_uuid")),
    )
    op.create_index("ix_sessions_patient_started", "sessions", ["patient_id", "started_at"])
    op.create_table(
        "level_runs",
        _id(),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("level_name", sa.String(NAME), nullable=False),
        sa.Column("family", sa.String(NAME), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _time("started_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_level_runs")),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_level_runs_session_id_sessions"), ondelete="CASCADE"
        ),
        sa.UniqueConstraint("uuid", name=op.f("uq_level_runs_uuid")),
        sa.UniqueConstraint("session_id", "position", name=op.f("uq_level_runs_session_id")),
    )
    op.create_table(
        "trials",
        _id(),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("level_run_id", sa.Integer(), nullable=False),
        sa.Column("trial_index", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(CODE), nullable=False),
        sa.Column("time_s", sa.Float(), nullable=False),
        sa.Column("start_s", sa.Float(), nullable=True),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("sparc", sa.Float(), nullable=True),
        sa.Column("ldlj", sa.Float(), nullable=True),
        sa.Column("stars", sa.Integer(), nullable=True),
        sa.Column("sensory_trick_s", sa.Float(), nullable=True),
        sa.Column("measures", sa.JSON(), nullable=False),
        _time("ended_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trials")),
        sa.ForeignKeyConstraint(
            ["level_run_id"], ["level_runs.id"], name=op.f("fk_trials_level_run_id_level_runs"), ondelete="CASCADE"
        ),
        sa.UniqueConstraint("uuid", name=op.f("uq_trials_uuid")),
        sa.UniqueConstraint("level_run_id", "trial_index", name=op.f("uq_trials_level_run_id")),
        sa.CheckConstraint(
            "outcome IN ('success', 'miss', 'skipped', 'unfinished')", name=op.f("ck_trials_outcome")
        ),
    )
    op.create_table(
        "break_events",
        _id(),
        sa.Column("trial_id", sa.Integer(), nullable=False),
        sa.Column("t_s", sa.Float(), nullable=False),
        sa.Column("kind", sa.String(CODE), nullable=False),
        sa.Column("effector", sa.String(CODE), nullable=True),
        sa.Column("severity", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_break_events")),
        sa.ForeignKeyConstraint(
            ["trial_id"], ["trials.id"], name=op.f("fk_break_events_trial_id_trials"), ondelete="CASCADE"
        ),
    )
    op.create_index(op.f("ix_break_events_trial_id"), "break_events", ["trial_id"])


def downgrade() -> None:
    for table in ("break_events", "trials", "level_runs", "sessions", "assessment_versions", "calibration_imports",
                  "calibration_versions", "patients"):
        op.drop_table(table)
