"""Add the plan, difficulty changes and injections; sessions record their process.

The plan is versioned text; difficulty changes carry their reasons; injections are botulinum toxin injections.
Sessions record the process that wrote them (a session without an end is abandoned once that process is gone).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clinic.migrations.tables import Ref, create_table, create_versions_table, optional, required, utc_time

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CODE = 64
NAME = 255
NOTE = 2000


def upgrade() -> None:
    """Add the plan, difficulty change and injection tables, and the sessions' process."""
    # Sessions recorded before this migration have no process: nothing runs them any more.
    op.add_column("sessions", optional("process_id", sa.Integer()))
    create_versions_table(
        "plan_versions",
        required("format", sa.String(CODE)),
        required("text", sa.Text()),
        required("author", sa.String(NAME)),
        required("created_at", utc_time()),
        checks={"format": "format IN ('toml', 'json')"},
    )
    create_table(
        "difficulty_changes",
        Ref("level_run_id", "level_runs"),
        Ref("trial_id", "trials", nullable=True),
        required("from_value", sa.JSON()),
        required("to_value", sa.JSON()),
        required("reason", sa.String(NOTE)),
        required("changed_at", utc_time()),
        public_id=True,
    )
    op.create_index(op.f("ix_difficulty_changes_level_run_id"), "difficulty_changes", ["level_run_id"])
    create_table(
        "injections",
        Ref("patient_id", "patients"),
        required("injected_on", sa.Date()),
        optional("note", sa.String(NOTE)),
        unique=[("patient_id", "injected_on")],
    )


def downgrade() -> None:
    """Drop the tables of 0002 and the sessions' process."""
    op.drop_table("injections")
    op.drop_table("difficulty_changes")
    op.drop_table("plan_versions")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("process_id")
