"""Session records.

Patients, sessions, level runs, trials and breaks, calibrations, assessments, plans, difficulty changes and injections,
in SQLite by default or on a clinic's PostgreSQL server (the API is the same).

- :mod:`clinic.records.store`: :func:`~clinic.records.store.open_store` and the
  :class:`~clinic.records.store.RecordsStore` API (the game calls ``add_trial`` when each trial ends);
- :mod:`clinic.records.types`: the plain records that cross the API (``TrialRecord``, ``SessionRecord``...);
- :mod:`clinic.records.location`: the data folder and database URL (``--data-dir``, ``--db``, the environment);
- :mod:`clinic.records.models`, :mod:`clinic.migrations`: the tables and their Alembic migrations;
- :mod:`clinic.records.writes`, :mod:`clinic.records.writer`, :mod:`clinic.records.queue`: idempotent session
  writes and the local durable queue for a database that cannot be reached.

Nothing is imported here, so that importing a record type does not load more than it needs.
"""
