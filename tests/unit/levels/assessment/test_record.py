"""The assessment saved per patient: plain data from the level's results, JSON files versioned per patient."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from levels.assessment import rules
from levels.assessment.record import (
    ASSESSMENT_FORMAT_VERSION,
    assessment_from_results,
    assessments_folder,
    save_assessment,
)
from levels.assessment.rules import STEPS
from levels.assessment.schema import AssessmentLevel
from levels.loader import load_level
from levels.screen import ScreenShape
from levels.trial import TrialResult
from tests.support.assessment_inputs import BOTH, MOUSE, play
from tracking.errors import OutputFileError

TAKEN_AT = datetime(2026, 11, 26, 14, 30, 5, tzinfo=timezone.utc)


def played() -> list[TrialResult]:
    level = load_level("assessment")
    assert isinstance(level, AssessmentLevel)
    state = play(rules.start(level, ScreenShape(16 / 9, 0.08), BOTH), MOUSE)
    return list(state.progress.results)


def test_the_results_become_one_assessment_with_every_step() -> None:
    assessment = assessment_from_results("assessment", played(), taken_at=TAKEN_AT)
    assert [record.step for record in assessment.steps] == [step.value for step in STEPS]
    head = assessment.step("head_range")
    assert head is not None and head.outcome == "hit" and head.measures["turn_left_max_deg"] == pytest.approx(30.0)
    payload = assessment.as_dict()
    assert payload["format_version"] == ASSESSMENT_FORMAT_VERSION and payload["taken_at"] == "2026-11-26T14:30:05+00:00"
    json.dumps(payload)  # plain data: JSON as it is (also the records store's payload)


def test_each_assessment_is_a_new_versioned_file_of_the_patient(tmp_path: Path) -> None:
    assessment = assessment_from_results("assessment", played(), taken_at=TAKEN_AT)
    first = save_assessment(tmp_path, "anna", assessment)
    second = save_assessment(tmp_path, "anna", assessment)  # the same second: kept beside the first
    assert first == tmp_path / "patients" / "anna" / "assessments" / "20261126T143005Z.json"
    assert second != first and second.parent == first.parent
    versions = [json.loads(path.read_text(encoding="utf-8"))["assessment_version"] for path in (first, second)]
    assert versions == [1, 2]
    saved = json.loads(first.read_text(encoding="utf-8"))
    assert saved["steps"]["rest_posture"]["turn_deg"] == pytest.approx(28.0)
    assert saved["steps"]["rest_hand"]["measured"] is False


def test_a_patient_name_cannot_lead_outside_the_patients_folder(tmp_path: Path) -> None:
    for name in ("../eve", "a/b", "", ".."):
        with pytest.raises(ValueError, match="a folder name"):
            assessments_folder(tmp_path, name)


def test_a_folder_that_cannot_be_made_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "patients"
    blocker.write_text("a file where the patients folder should be", encoding="utf-8")
    assessment = assessment_from_results("assessment", [], taken_at=TAKEN_AT)
    with pytest.raises(OutputFileError, match="assessment folder .*anna/assessments: cannot create it"):
        save_assessment(tmp_path, "anna", assessment)
