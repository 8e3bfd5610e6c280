"""The progress report (HTML, PDF) and the CSV and FHIR exports, from a store filled through its API."""

from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from clinic.records.store import open_store
from clinic.reports import export_fhir
from clinic.reports.export_csv import BREAK_COLUMNS, SESSION_COLUMNS, TRIAL_COLUMNS, export_csv
from clinic.reports.progress_data import PatientProgress, assessments_from_files, read_progress
from clinic.reports.progress_document import NONE_YET, build_document
from clinic.reports.progress_render import render_html, write_report
from tests.support.progress_records import ASSESSMENT, INJECTIONS, PATIENT, TRIALS_PER_RUN, FilledStore, fill_store

GENERATED_AT = datetime(2026, 2, 1, 12, 0, tzinfo=timezone.utc)
SESSIONS = 6


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> FilledStore:
    return fill_store(tmp_path_factory.mktemp("records"), sessions=SESSIONS)


@pytest.fixture(scope="module")
def progress(filled: FilledStore) -> PatientProgress:
    with open_store(data_dir=filled.data_dir, environ={}) as store:
        return read_progress(store, PATIENT)


@pytest.fixture(scope="module")
def page(progress: PatientProgress) -> str:
    return render_html(build_document(progress, generated_at=GENERATED_AT))


def test_the_page_embeds_one_png_per_level_plus_cycle_and_assessments(page: str, progress: PatientProgress) -> None:
    images = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) == len(progress.levels()) + 2
    import base64

    assert all(base64.b64decode(image).startswith(b"\x89PNG\r\n\x1a\n") for image in images)


def test_the_page_has_its_sections_and_no_network_reference(page: str) -> None:
    for title in ("Overview", "Botulinum toxin injections", "Progress per level", "Level: reach-near",
                  "Level: head-turn", "By week of the injection cycle", "Head range of motion and resting posture",
                  "Current plan", "Difficulty changes"):
        assert f">{title}</h" in page
    assert "not a clinical score" in page
    assert "sessions_per_week = 3" in page  # the current plan's text
    assert "success rate above the plan&#x27;s goal in session 6" in page  # a difficulty change's reason
    assert all(day.isoformat() in page for day in INJECTIONS)
    assert "<td>turn left max (deg)</td><td>52.0</td>" in page  # the stored assessment's head range
    assert "<td>median yaw (deg)</td><td>-12.5</td>" in page  # and its resting posture
    assert not re.search(r"(src|href)=\"(https?:)?//", page)


def test_a_patient_without_records_gets_none_recorded_yet(tmp_path: Path) -> None:
    with open_store(data_dir=tmp_path, environ={}, import_calibrations=False) as store:
        store.add_patient("P-EMPTY1")
        progress = read_progress(store, "P-EMPTY1")
    page = render_html(build_document(progress, generated_at=GENERATED_AT))
    assert page.count(NONE_YET) == 6  # overview, per level, injections, assessments, plan, changes
    assert "<img" not in page


def test_the_level_points_match_the_trials(progress: PatientProgress) -> None:
    run = progress.runs[0]
    point = progress.points[0]
    successes = sum(1 for t in run.trials if t.outcome.value == "success")
    breaks = sum(len(t.breaks) for t in run.trials)
    assert point.trials == TRIALS_PER_RUN and point.success_rate == pytest.approx(successes / TRIALS_PER_RUN)
    assert point.breaks_per_min == pytest.approx(breaks / (sum(t.time_s for t in run.trials) / 60.0))
    assert point.difficulty == 1.0  # the run's difficulty change went from 0 to 1
    assert point.weeks_since_injection == pytest.approx((datetime(2026, 1, 5, 10, tzinfo=timezone.utc)
                                                         - datetime(2025, 12, 29, tzinfo=timezone.utc)).days / 7
                                                        + 10 / 24 / 7)


def test_since_keeps_the_later_sessions_only(filled: FilledStore) -> None:
    with open_store(data_dir=filled.data_dir, environ={}) as store:
        later = read_progress(store, PATIENT, since=date(2026, 1, 10))
    assert [s.session.started_at.day for s in later.sessions] == [11, 14, 17, 20]  # of 5, 8, 11, ... 20
    assert all(c.changed_at >= datetime(2026, 1, 10, tzinfo=timezone.utc) for c in later.difficulty_changes)


def test_assessments_are_read_from_the_files_when_the_store_has_none(tmp_path: Path) -> None:
    folder = tmp_path / "patients" / "P-FILES1" / "assessments"
    folder.mkdir(parents=True)
    (folder / "20260110T090000Z.json").write_text(json.dumps({**ASSESSMENT, "taken_at": "2026-01-10T09:00:00+00:00"}))
    (folder / "notes.json").write_text("not json")
    with open_store(data_dir=tmp_path, environ={}, import_calibrations=False) as store:
        store.add_patient("P-FILES1")
        progress = read_progress(store, "P-FILES1")
    assert [a.source for a in progress.assessments] == ["20260110T090000Z.json"]
    assert progress.assessments[0].head_range_deg["turn_left_max_deg"] == 52.0
    assert progress.assessments[0].rest_posture_deg["median_yaw_deg"] == -12.5
    assert assessments_from_files(tmp_path, "../escape") == []


def test_the_pdf_is_written_atomically_with_its_pictures(progress: PatientProgress, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    write_report(build_document(progress, generated_at=GENERATED_AT), out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert data.count(b"/Subtype /Image") >= len(progress.levels()) + 2
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]  # no temporary file left


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _cell(value: object) -> str:
    return "" if value is None else repr(value) if isinstance(value, float) else str(value)


def test_the_csv_rows_equal_the_trials_in_the_store(filled: FilledStore, progress: PatientProgress,
                                                    tmp_path: Path) -> None:
    export_csv(progress, tmp_path)
    trials = _read_csv(tmp_path / "trials.csv")
    assert tuple(trials[0]) == TRIAL_COLUMNS
    expected = []
    with open_store(data_dir=filled.data_dir, environ={}) as store:
        for summary in store.sessions(PATIENT):
            for run in store.level_runs(summary.session.uuid):
                expected += [(str(run.uuid), run.level_name, t) for t in store.trials(run.uuid)]
    assert len(trials) == len(expected) == filled.trials
    for row, (run_uuid, level, trial) in zip(trials, expected, strict=True):
        assert (row["level_run_uuid"], row["level_name"], row["trial_uuid"], row["outcome"]) == (
            run_uuid, level, str(trial.uuid), trial.outcome.value)
        assert (row["time_s"], row["start_s"], row["sparc"], row["ldlj"], row["breaks"]) == (
            _cell(trial.time_s), _cell(trial.start_s), _cell(trial.sparc), _cell(trial.ldlj), str(len(trial.breaks)))
        assert json.loads(row["params_json"]) == trial.params
        assert datetime.fromisoformat(row["ended_at_utc"]) == trial.ended_at
    breaks = _read_csv(tmp_path / "breaks.csv")
    assert tuple(breaks[0]) == BREAK_COLUMNS and len(breaks) == filled.breaks
    sessions = _read_csv(tmp_path / "sessions.csv")
    assert tuple(sessions[0]) == SESSION_COLUMNS and len(sessions) == filled.sessions
    assert sum(int(s["trials"]) for s in sessions) == filled.trials


def test_the_fhir_bundle_validates_and_has_one_observation_per_measure_per_session(progress: PatientProgress,
                                                                                   tmp_path: Path) -> None:
    from fhir.resources.R4B import get_fhir_model_class
    from fhir.resources.R4B.bundle import Bundle

    out = tmp_path / "bundle.json"
    export_fhir.export_fhir(progress, out, generated_at=GENERATED_AT)
    data = json.loads(out.read_text(encoding="utf-8"))
    bundle = Bundle.model_validate(data)
    assert bundle.type == "collection"
    for entry in data["entry"]:
        get_fhir_model_class(entry["resource"]["resourceType"]).model_validate(entry["resource"])
    resources = [entry["resource"] for entry in data["entry"]]
    patients = [r for r in resources if r["resourceType"] == "Patient"]
    assert len(patients) == 1 and patients[0]["identifier"][0]["value"] == PATIENT
    assert "Report Test" not in out.read_text(encoding="utf-8")  # pseudonymous: no display name
    observations = [r for r in resources if r["resourceType"] == "Observation"]
    codes = {m.code for m in export_fhir.MEASURES}
    # Every session of the fixture has trials, SPARC (the reach level) and a past injection: all six measures.
    per_session: dict[str, list[str]] = {}
    for observation in observations:
        coding = observation["code"]["coding"][0]
        assert coding["system"] == export_fhir.CODE_SYSTEM_URL and coding["code"] in codes
        quantity = observation["valueQuantity"]
        assert quantity["system"] == "http://unitsofmeasure.org" and quantity["code"]
        assert observation["subject"]["reference"] == f"urn:uuid:{patients[0]['id']}"
        per_session.setdefault(observation["effectiveDateTime"], []).append(coding["code"])
    assert sorted(per_session) == sorted(s.session.started_at.isoformat() for s in progress.sessions)
    assert all(sorted(found) == sorted(codes) for found in per_session.values())
    units = {o["code"]["coding"][0]["code"]: o["valueQuantity"]["code"] for o in observations}
    assert units == {"trials": "{trials}", "success-rate": "%", "sparc-median": "1", "breaks-per-minute": "/min",
                     "active-time": "s", "weeks-since-injection": "wk"}


def test_a_session_without_a_value_has_no_observation_for_it(tmp_path: Path) -> None:
    filled = fill_store(tmp_path, sessions=1)
    with open_store(data_dir=filled.data_dir, environ={}) as store:
        store.add_patient("P-NOSHOT")
        store.start_session("P-NOSHOT", started_at=GENERATED_AT)
        progress = read_progress(store, "P-NOSHOT")
    bundle = export_fhir.fhir_bundle(progress, generated_at=GENERATED_AT)
    codes = [e["resource"]["code"]["coding"][0]["code"] for e in bundle["entry"]  # type: ignore[attr-defined]
             if e["resource"]["resourceType"] == "Observation"]
    assert codes == ["trials", "active-time"]  # no trials: no rate, SPARC or breaks; no injection: no weeks
