"""The clinic's side of motorplay: patients' calibrations, session records, and reports for the therapist.

- :mod:`clinic.calibration_store`: each patient's calibration file in the data folder (versioned JSON, written
  atomically, private folders);
- :mod:`clinic.records`: the session records (patients, sessions, level runs, trials and breaks, plans, difficulty
  changes, injections) in SQLite or on a clinic's PostgreSQL server, through SQLAlchemy, migrated by Alembic
  (:mod:`clinic.migrations`);
- :mod:`clinic.reports`: pictures of analyses (matplotlib).

Below the game, above the levels and tracking: it never imports pygame.
"""
