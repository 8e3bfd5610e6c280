"""Create the core tables.

Patients, calibration and assessment versions, calibration imports, sessions, level runs, trials and break events.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clinic.migrations.tables import Ref, create_table, create_versions_table, optional, required, utc_time

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# The same lengths as clinic.records.models at the time of this migration (a migration is a frozen snapshot).
CODE = 64
NAME = 255
DISPLAY_NAME = 200
SHA256_HEX = 64


def upgrade() -> None:
    """Create the core tables (on an empty database)."""
    create_table(
        "patients",
        required("code", sa.String(CODE)),
        optional("display_name", sa.String(DISPLAY_NAME)),
        required("created_at", utc_time()),
        unique=[("code",)],
    )
    create_versions_table(
        "calibration_versions",
        required("saved_at", utc_time()),
        required("payload", sa.JSON()),
        required("source", sa.String(NAME)),
    )
    create_table(
        "calibration_imports",
        Ref("patient_id", "patients"),
        required("content_sha256", sa.String(SHA256_HEX)),
        required("path", sa.Text()),
        required("imported_at", utc_time()),
        Ref("calibration_version_id", "calibration_versions"),
        unique=[("patient_id", "content_sha256")],
    )
    create_versions_table(
        "assessment_versions",
        required("recorded_at", utc_time()),
        required("payload", sa.JSON()),
    )
    _create_session_tables()


def _create_session_tables() -> None:
    create_table(
        "sessions",
        Ref("patient_id", "patients"),
        required("started_at", utc_time()),
        optional("ended_at", utc_time()),
        required("complete", sa.Boolean()),
        required("station", sa.String(NAME)),
        public_id=True,
    )
    op.create_index("ix_sessions_patient_started", "sessions", ["patient_id", "started_at"])
    create_table(
        "level_runs",
        Ref("session_id", "sessions"),
        required("level_name", sa.String(NAME)),
        required("family", sa.String(NAME)),
        required("position", sa.Integer()),
        required("started_at", utc_time()),
        public_id=True,
        unique=[("session_id", "position")],
    )
    create_table(
        "trials",
        Ref("level_run_id", "level_runs"),
        required("trial_index", sa.Integer()),
        required("outcome", sa.String(CODE)),
        required("time_s", sa.Float()),
        optional("start_s", sa.Float()),
        required("points", sa.Integer()),
        required("params", sa.JSON()),
        optional("sparc", sa.Float()),
        optional("ldlj", sa.Float()),
        optional("stars", sa.Integer()),
        optional("sensory_trick_s", sa.Float()),
        required("measures", sa.JSON()),
        required("ended_at", utc_time()),
        public_id=True,
        unique=[("level_run_id", "trial_index")],
        checks={"outcome": "outcome IN ('success', 'miss', 'skipped', 'unfinished')"},
    )
    create_table(
        "break_events",
        Ref("trial_id", "trials"),
        required("t_s", sa.Float()),
        required("kind", sa.String(CODE)),
        optional("effector", sa.String(CODE)),
        optional("severity", sa.Float()),
    )
    op.create_index(op.f("ix_break_events_trial_id"), "break_events", ["trial_id"])


def downgrade() -> None:
    """Drop the core tables, children first."""
    for table in ("break_events", "trials", "level_runs", "sessions", "assessment_versions", "calibration_imports",
                  "calibration_versions", "patients"):
        op.drop_table(table)
