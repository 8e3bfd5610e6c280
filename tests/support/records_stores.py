"""A clinic records store for tests, as a fixture: assign it in a test module (``store = records_stores.store``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from clinic.records.store import RecordsStore, open_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RecordsStore]:
    """The records (SQLite, under the test's folder, no environment read) with the one patient "P-1"."""
    with open_store(data_dir=tmp_path / "data", environ={}) as opened:
        opened.add_patient("P-1")
        yield opened
