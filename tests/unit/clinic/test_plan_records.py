"""The plan in the records (SQLite): versions with their author, refused when invalid; the last difficulty; PINs."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from clinic.pin import verify_pin
from clinic.plan import current_plan, difficulty_change, last_difficulty, pin_file, save_plan, set_pin
from clinic.records.store import RecordsStore
from levels.plan import PlanFileError
from tests.support import records_stores

PLAN = """\
schema_version = 1
affected_side = "right"
session_limit_min = 20

[[levels]]
name = "reach"
start_difficulty = 0.2
max_difficulty = 0.8
"""


store = records_stores.store  # the fixture: the records with the patient "P-1"


def test_plan_versions_keep_their_history_and_author(store: RecordsStore) -> None:
    assert current_plan(store, "P-1") is None
    save_plan(store, "P-1", PLAN, author="dr-a", source="a.toml")
    save_plan(store, "P-1", PLAN.replace("= 20", "= 25"), author="dr-b", source="b.toml")
    history = store.plan_history("P-1")
    assert [(r.version, r.author) for r in history] == [(1, "dr-a"), (2, "dr-b")]
    found = current_plan(store, "P-1")
    assert found is not None and found[0].version == 2 and found[1].session_limit_min == 25


def test_an_invalid_plan_is_not_stored(store: RecordsStore) -> None:
    with pytest.raises(PlanFileError, match="'levels.0.max_difficulty'"):
        save_plan(store, "P-1", PLAN.replace("0.8", "1.8"), author="dr-a", source="bad.toml")
    assert store.plan_history("P-1") == []


def test_the_last_difficulty_of_a_level_is_read_from_its_changes(store: RecordsStore) -> None:
    assert last_difficulty(store, "P-1", "reach") is None
    session = store.start_session("P-1")
    run = store.start_level_run(session.uuid, "reach", "reach")
    store.add_difficulty_change(difficulty_change(run.uuid, "reach", 0.3, 0.4, "3 successes in a row"))
    store.add_difficulty_change(difficulty_change(run.uuid, "reach", 0.4, 0.3, "break"))
    head = store.start_level_run(session.uuid, "head", "head")
    store.add_difficulty_change(difficulty_change(head.uuid, "head", 0.5, 0.6, "3 successes in a row"))
    assert last_difficulty(store, "P-1", "reach") == 0.3
    assert last_difficulty(store, "P-1", "head") == 0.6
    assert [c.reason for c in store.difficulty_changes("P-1")] == [
        "3 successes in a row",
        "break",
        "3 successes in a row",
    ]


def test_the_pin_file_holds_only_a_hash_readable_by_its_owner(tmp_path: Path) -> None:
    path = set_pin(tmp_path, "P-1", "4826")
    assert path == pin_file(tmp_path, "P-1")
    text = path.read_text(encoding="utf-8")
    assert "4826" not in text.split("$", 4)[4] and verify_pin("4826", text)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
