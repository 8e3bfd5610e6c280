"""The session's adaptive parts outside a whole game: the patient's words for the changes, and the journal's
difficulty changes in the results document and the records (a records failure is noted, never raised)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinic.records.errors import RecordsError
from clinic.records.store import RecordsStore
from clinic.records.types import DifficultyChangeRecord
from game.session_flow import change_words
from game.session_results import SessionJournal
from levels.adaptive import BEFORE_FIRST_TRIAL, WARM_UP_REASON, DifficultyChange
from levels.loader import load_level
from levels.trial import Outcome, TrialResult
from tests.support import records_stores


def change(index: int, before: float, after: float, reason: str = "3 successes in a row") -> DifficultyChange:
    return DifficultyChange(index, before, after, reason, rest_suggested=False)


def test_the_patient_reads_plain_words_in_order_never_numbers_or_reasons() -> None:
    assert change_words([], "target") is None
    assert change_words([change(BEFORE_FIRST_TRIAL, 0.5, 0.4, WARM_UP_REASON)], "target") is None
    assert change_words([change(2, 0.3, 0.4)], "target") == "The game made the next targets a little harder."
    words = change_words([change(2, 0.3, 0.4), change(5, 0.4, 0.5), change(6, 0.5, 0.4, "break")], "hold")
    assert words == "The game made the next holds a little harder, then a little easier."
    many = [change(i, 0.3 + (i % 2) * 0.1, 0.4 - (i % 2) * 0.1) for i in range(6)]
    told = change_words(many, "target")
    assert told is not None and told.endswith(", and so on.") and told.count("then") == 3
    for text in (words, told):
        assert not any(character.isdigit() for character in text) and "break" not in text


store = records_stores.store  # the fixture: the records with the patient "P-1"


def hit(index: int) -> TrialResult:
    return TrialResult(index, Outcome.HIT, start_s=0.0, end_s=1.0, params={"target_radius_norm": 0.1})


def test_changes_go_to_the_file_and_the_records_after_their_trial(tmp_path: Path, store: RecordsStore) -> None:
    journal = SessionJournal("P-1", path=tmp_path / "session.json", store=store)
    journal.begin()
    journal.start_level(load_level("reach"), difficulty=0.3)
    journal.add_difficulty_change(change(BEFORE_FIRST_TRIAL, 0.4, 0.3, WARM_UP_REASON))
    for index in range(3):
        journal.add_trial(hit(index), None)
    journal.add_difficulty_change(change(2, 0.3, 0.4))
    run = json.loads((tmp_path / "session.json").read_text(encoding="utf-8"))["levels"][0]
    assert run["difficulty"] == 0.3
    assert [(c["after_trial"], c["from"], c["to"], c["reason"]) for c in run["difficulty_changes"]] == [
        (None, 0.4, 0.3, WARM_UP_REASON),
        (3, 0.3, 0.4, "3 successes in a row"),
    ]
    recorded = store.difficulty_changes("P-1")
    (summary,) = store.sessions("P-1")
    (level_run,) = store.level_runs(summary.session.uuid)
    trials = store.trials(level_run.uuid)
    assert [(c.trial, c.reason) for c in recorded] == [(None, WARM_UP_REASON), (trials[2].uuid, "3 successes in a row")]
    assert recorded[1].to_value == {"level": "reach", "difficulty": 0.4}
    assert not journal.errors


def test_a_records_failure_is_noted_and_play_goes_on(
    tmp_path: Path, store: RecordsStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(change: DifficultyChangeRecord) -> None:
        raise RecordsError("the records database refused the change")

    journal = SessionJournal("P-1", path=tmp_path / "session.json", store=store)
    journal.begin()
    journal.start_level(load_level("reach"), difficulty=0.5)
    monkeypatch.setattr(store, "add_difficulty_change", refuse)
    journal.add_trial(hit(0), None)
    journal.add_difficulty_change(change(0, 0.5, 0.4, "missed"))
    assert [str(error) for error in journal.errors] == ["the records database refused the change"]
    run = json.loads((tmp_path / "session.json").read_text(encoding="utf-8"))["levels"][0]
    assert run["difficulty_changes"][0]["reason"] == "missed"  # the file keeps it all the same


def test_a_level_that_does_not_adapt_has_no_difficulty_in_the_file(tmp_path: Path) -> None:
    journal = SessionJournal("P-1", path=tmp_path / "session.json")
    journal.begin()
    journal.start_level(load_level("grasp"))
    journal.add_trial(hit(0), None)
    run = json.loads((tmp_path / "session.json").read_text(encoding="utf-8"))["levels"][0]
    assert "difficulty" not in run and "difficulty_changes" not in run


def test_a_catalogue_level_chosen_on_the_menu_has_its_ramps_read_when_it_starts(tmp_path: Path) -> None:
    from game.session_flow import AdaptiveSetup
    from levels.loader import load_level_spec

    own = load_level_spec("head")
    setup = AdaptiveSetup(specs={"reach": own})
    assert setup.spec_for("reach") is own  # the session's own file wins over the catalogue's
    grasp = setup.spec_for("grasp")
    assert grasp is not None and grasp.kind == "grasp"
    assert setup.spec_for("no-such-level") is None
