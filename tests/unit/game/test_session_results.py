"""The session-results document (``--results-json``) and its journal: each trial in the documented shape, the file
rewritten atomically after every trial and at the end, errors kept while play goes on, and sets joined."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest

from clinic.records.types import TrialOutcome
from game.session_results import SessionJournal, trial_entry, trial_record
from levels.feedback import TrialFeedback
from levels.loader import load_level
from levels.trial import LevelProgress, Outcome, TrialClock, TrialResult, join_sets
from tracking.quality_types import BreakKind
from tracking.types import Effector

TRIAL_KEYS = {
    "trial",
    "set",
    "outcome",
    "time_s",
    "params",
    "sparc",
    "ldlj",
    "breaks",
    "stars",
    "sensory_trick_s",
    "measures",
}


def result(index: int = 0, outcome: Outcome = Outcome.HIT, **measures: float | int) -> TrialResult:
    return TrialResult(
        index, outcome, start_s=1.0, end_s=3.5, points=100, params={"target_x_norm": 0.25}, measures=measures
    )


@pytest.mark.parametrize(
    ("outcome", "name", "recorded"),
    [
        (Outcome.HIT, "success", TrialOutcome.SUCCESS),
        (Outcome.MISSED, "miss", TrialOutcome.MISS),
        (Outcome.UNFINISHED, "skipped", TrialOutcome.UNFINISHED),
        (Outcome.SKIPPED, "skipped", TrialOutcome.SKIPPED),
    ],
)
def test_outcomes_map_to_the_session_format_and_the_records(
    outcome: Outcome, name: str, recorded: TrialOutcome
) -> None:
    entry = trial_entry(1, 1, result(outcome=outcome), None)
    assert entry["outcome"] == name
    # the records keep a step passed over apart from one cut short
    assert trial_record(entry, result(outcome=outcome)).outcome is recorded


def test_a_measured_trial_carries_its_smoothness_breaks_and_stars() -> None:
    feedback = TrialFeedback(
        -1.8,
        2,
        break_kinds=(BreakKind.ARREST, BreakKind.REVERSAL),
        mean_ldlj=-7.5,
        stars=1,
        break_fractions=(0.25, 0.75),
    )
    entry = trial_entry(3, 2, result(sensory_trick_s=1.25, transport_drops=1), feedback)
    assert set(entry) == TRIAL_KEYS
    assert entry["trial"] == 3 and entry["set"] == 2
    assert entry["time_s"] == pytest.approx(2.5)
    assert entry["params"] == {"target_x_norm": 0.25}
    assert (entry["sparc"], entry["ldlj"], entry["stars"]) == (-1.8, -7.5, 1)
    assert entry["sensory_trick_s"] == 1.25
    assert entry["measures"] == {"sensory_trick_s": 1.25, "transport_drops": 1}
    assert entry["breaks"] == [
        {"t": None, "kind": "arrest", "at_fraction": 0.25},
        {"t": None, "kind": "reversal", "at_fraction": 0.75},
    ]
    json.dumps(entry, allow_nan=False)  # plain JSON
    record = trial_record(entry, result(sensory_trick_s=1.25, transport_drops=1))
    assert record.index == 2 and record.stars == 1 and record.sparc == -1.8
    assert [(b.kind, b.t_s) for b in record.breaks] == [
        (BreakKind.ARREST, pytest.approx(0.625)),
        (BreakKind.REVERSAL, pytest.approx(1.875)),
    ]


def test_an_unmeasured_trial_has_nulls_not_numbers() -> None:
    entry = trial_entry(1, 1, result(), TrialFeedback(None, None, "the mouse is not analysed"))
    assert (entry["sparc"], entry["ldlj"], entry["stars"], entry["sensory_trick_s"]) == (None, None, None, None)
    assert entry["breaks"] == []
    no_feedback = trial_entry(1, 1, result(), None)
    assert no_feedback["sparc"] is None and no_feedback["breaks"] == []


def test_the_stars_of_a_family_come_from_its_measures_when_the_feedback_has_none() -> None:
    assert trial_entry(1, 1, result(stars=2), None)["stars"] == 2


def test_the_file_is_rewritten_after_each_trial_and_finished_at_the_end(tmp_path: Path) -> None:
    path = tmp_path / "session.json"
    journal = SessionJournal("P-1", path=path)
    journal.begin()
    begun = json.loads(path.read_text(encoding="utf-8"))
    assert begun == {
        "format": "motorplay-session",
        "version": 1,
        "patient": "P-1",
        "started_at": begun["started_at"],
        "ended_at": None,
        "complete": False,
        "levels": [],
    }
    assert datetime.fromisoformat(begun["started_at"]).utcoffset() is not None  # with its time zone
    journal.start_level(load_level("reach"))
    journal.add_trial(result(0), None)
    after_one = json.loads(path.read_text(encoding="utf-8"))
    assert [len(run["trials"]) for run in after_one["levels"]] == [1]
    assert after_one["levels"][0]["level"] == "reach" and after_one["levels"][0]["family"] == "reach"
    journal.add_trial(result(1, Outcome.MISSED), None)
    journal.finish(complete=True)
    done = json.loads(path.read_text(encoding="utf-8"))
    assert done["complete"] is True and done["ended_at"] >= done["started_at"]
    assert [trial["outcome"] for trial in done["levels"][0]["trials"]] == ["success", "miss"]
    assert sorted(os.listdir(tmp_path)) == ["session.json"]  # no temporary file left beside it


def test_a_file_that_cannot_be_written_is_kept_as_an_error_and_play_goes_on(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    journal = SessionJournal("P-1", path=blocked / "session.json")
    journal.begin()
    journal.start_level(load_level("reach"))
    journal.add_trial(result(0), None)
    journal.finish(complete=False)
    assert len(journal.errors) == 1 and "session.json" in str(journal.errors[0])
    assert journal.trial_count == 1


def test_sets_join_into_one_table_numbered_on() -> None:
    clock = TrialClock(Effector.HAND)
    first = LevelProgress(2, clock, (result(0), result(1, Outcome.MISSED)), finished=True)
    second = LevelProgress(2, clock, (result(0, Outcome.MISSED), result(1)), finished=True)
    joined = join_sets([first, second])
    assert joined.trials == 4 and joined.finished
    assert [r.index for r in joined.results] == [0, 1, 2, 3]
    assert [r.outcome for r in joined.results] == [Outcome.HIT, Outcome.MISSED, Outcome.MISSED, Outcome.HIT]
    assert joined.hits == 2 and joined.score == 400
    with pytest.raises(ValueError, match="at least one set"):
        join_sets([])


def test_an_assessment_is_saved_for_the_patient_and_a_write_error_is_kept(tmp_path: Path) -> None:
    steps = (
        TrialResult(0, Outcome.HIT, 0.0, 2.0, params={"step": "setup"}, measures={"checked_with": "camera"}),
        TrialResult(1, Outcome.SKIPPED, 2.0, 2.0, params={"step": "head_range"}, measures={"skipped": True}),
    )
    journal = SessionJournal("anna")
    path = journal.add_assessment("assessment", steps, data_dir=tmp_path)
    assert path is not None and path.parent == tmp_path / "patients" / "anna" / "assessments"
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["steps"]["head_range"] == {"outcome": "skipped", "duration_s": 0.0, "skipped": True}
    assert not journal.errors
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the data folder should be", encoding="utf-8")
    assert journal.add_assessment("assessment", steps, data_dir=blocked) is None
    assert len(journal.errors) == 1 and "assessment" in str(journal.errors[0])
