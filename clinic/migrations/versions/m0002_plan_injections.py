"""The plan (versioned text), difficulty changes with their reasons, botulinum toxin injections; sessions record
the process that wrote them (a session without an end is abandoned once that process is gone).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CODE = 64
NAME = 255
NOTE = 2000


def upgrade() -> None:
    # Sessions recorded before this migration have no process: nothing runs them any more.
    op.add_column("sessions", sa.Column("process_id", sa.Integer(), nullable=True))
    op.create_table(
        "plan_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(CODE), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(NAME), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_versions")),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_plan_versions_patient_id_patients"), ondelete="CASCADE"
        ),
        sa.UniqueConstraint("patient_id", "version", name=op.f("uq_plan_versions_patient_id")),
        sa.CheckConstraint("format IN ('toml', 'json')", name=op.f("ck_plan_versions_format")),
    )
    op.create_table(
        "difficulty_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("level_run_id", sa.Integer(), nullable=False),
        sa.Column("trial_id", sa.Integer(), nullable=True),
        sa.Column("from_value", sa.JSON(), nullable=False),
        sa.Column("to_value", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(NOTE), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_difficulty_changes")),
        sa.ForeignKeyConstraint(
            ["level_run_id"],
            ["level_runs.id"],
            name=op.f("fk_difficulty_changes_level_run_id_level_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["trial_id"], ["trials.id"], name=op.f("fk_difficulty_changes_trial_id_trials"), ondelete="CASCADE"
        ),
        sa.UniqueConstraint("uuid", name=op.f("uq_difficulty_changes_uuid")),
    )
    op.create_index(op.f("ix_difficulty_changes_level_run_id"), "difficulty_changes", ["level_run_id"])
    op.create_table(
        "injections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("injected_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(NOTE), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_injections")),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_injections_patient_id_patients"), ondelete="CASCADE"
        ),
        sa.UniqueConstraint("patient_id", "injected_on", name=op.f("uq_injections_patient_id")),
    )


def downgrade() -> None:
    op.drop_table("injections")
    op.drop_table("difficulty_changes")
    op.drop_table("plan_versions")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("process_id")
