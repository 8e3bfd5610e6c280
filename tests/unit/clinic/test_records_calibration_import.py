"""Existing calibration.json files are imported into the records once (on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from clinic.calibration_store import CalibrationStore
from clinic.records.store import RecordsStore, open_store
from tests.support import postgres
from tests.support.postgres import RecordsDb
from tracking.calibration import Calibration, ReachRange
from tracking.types import HeadAngles

postgres_server = postgres.postgres_server  # fixtures, shared with the other records tests
records_db = postgres.records_db

FIRST = Calibration(ReachRange(0.2, 0.8, 0.25, 0.75), HeadAngles(2.5, -4.0, 1.0))
SECOND = Calibration(ReachRange(0.3, 0.7, 0.3, 0.7))
SAVED = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)


def test_calibration_files_are_imported_once(records_db: RecordsDb) -> None:
    files = CalibrationStore(records_db.data_dir)
    anna_file = files.save("anna", FIRST, now=SAVED)
    files.save("ben", SECOND, now=SAVED)

    def open_records(station: str = "station-1") -> RecordsStore:
        return open_store(data_dir=records_db.data_dir, db=records_db.url, environ={}, station=station)

    with open_records() as store:
        assert store.last_import is not None
        assert sorted(path.parent.name for path in store.last_import.imported) == ["anna", "ben"]
        [anna] = store.calibrations("anna")
        assert anna.version == 1 and anna.saved_at == SAVED
        assert anna.payload == json.loads(anna_file.read_text(encoding="utf-8"))
        assert store.patient("ben").display_name is None
    with open_records() as store, open_records("station-2") as other:
        assert store.last_import is not None and store.last_import.imported == []
        assert other.last_import is not None and other.last_import.imported == []  # another station: same files
        assert [c.version for c in store.calibrations("anna")] == [1]

    files.save("anna", SECOND, now=datetime(2026, 11, 27, tzinfo=timezone.utc))  # calibrated again: a new version
    with open_records() as store:
        assert store.last_import is not None and store.last_import.imported == [anna_file]
        versions = store.calibrations("anna")
        assert [c.version for c in versions] == [1, 2]
        assert versions[1].payload["reach"] == {"x_min_norm": 0.3, "x_max_norm": 0.7, "y_min_norm": 0.3,
                                                "y_max_norm": 0.7}
        assert [c.version for c in store.calibrations("ben")] == [1]


def test_an_unreadable_calibration_file_is_reported_not_imported(records_db: RecordsDb) -> None:
    CalibrationStore(records_db.data_dir).save("anna", FIRST, now=SAVED)
    broken = records_db.data_dir / "patients" / "ben" / "calibration.json"
    broken.parent.mkdir(parents=True)
    broken.write_text('{"version": 1, "patient": "ben"', encoding="utf-8")
    with open_store(data_dir=records_db.data_dir, db=records_db.url, environ={}) as store:
        assert store.last_import is not None
        assert [path.parent.name for path in store.last_import.imported] == ["anna"]
        [(path, reason)] = store.last_import.unreadable
        assert path == broken and str(broken) in reason
        assert [p.code for p in store.patients()] == ["anna"]
    assert broken.read_text(encoding="utf-8") == '{"version": 1, "patient": "ben"'
