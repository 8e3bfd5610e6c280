"""Alembic migrations of the records database, shipped inside the package.

:mod:`clinic.records.migrate` runs them when a store opens (there is no alembic.ini: the configuration is made in
code). The tables' shared shapes are built by :mod:`clinic.migrations.tables`.

A new migration: ``versions/mNNNN_what.py`` with ``revision = "NNNN"`` and ``down_revision`` the previous one,
written by hand (or started with Alembic's autogenerate against a database at head), and a change of
:mod:`clinic.records.models` to match; ``tests/unit/clinic/test_records_migrations.py`` checks that both agree.
"""
