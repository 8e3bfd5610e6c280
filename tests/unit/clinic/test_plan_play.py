"""What a level run needs from the records to start adaptively: the plan's entry and the assessment's break rate."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic.plan import baseline_breaks_per_movement, check_plan, plan_entry
from clinic.records.store import RecordsStore
from tests.support import records_stores

PLAN = """\
schema_version = 1
affected_side = "right"
session_limit_min = 20

[[levels]]
name = "reach"
start_difficulty = 0.2

[[levels]]
name = "head"
"""


store = records_stores.store  # the fixture: the records with the patient "P-1"


def test_the_plan_entry_of_a_level_by_name_or_file_stem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = check_plan(PLAN, "plan.toml")
    reach = plan_entry(plan, "reach")
    assert reach is not None and reach.start_difficulty == 0.2
    assert plan_entry(plan, "grasp") is None
    level = tmp_path / "quick.toml"
    level.write_text(
        'schema_version = 1\nname = "quick"\ntitle = "Quick"\ndescription = "d"\nkind = "reach"\ntrials = 2\n'
        "target_radius_norm = [0.12, 0.06]\ndwell_time_s = 0.5\ntrial_timeout_s = 5.0\nseed = 1\n"
        'models = ["hands"]\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)  # a plan's name is at most 64 characters: a file beside it
    with_file = check_plan(PLAN.replace('name = "head"', 'name = "quick.toml"'), "plan.toml")
    found = plan_entry(with_file, "quick")
    assert found is not None and found.name == "quick.toml"


def test_the_baseline_is_the_newest_assessment_that_measured_breaks(store: RecordsStore) -> None:
    assert baseline_breaks_per_movement(store, "P-1") is None
    store.add_assessment("P-1", {"steps": {"reaches": {"breaks_per_reach": 0.4}}})
    store.add_assessment("P-1", {"steps": {"reaches": {"measured": False}}})  # the mouse: nothing measured
    assert baseline_breaks_per_movement(store, "P-1") == 0.4
    store.add_assessment("P-1", {"steps": {"reaches": {"breaks_per_reach": 1}}})
    assert baseline_breaks_per_movement(store, "P-1") == 1.0
