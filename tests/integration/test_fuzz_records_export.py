"""Fuzzing the records and their exports with hypothesis (issue 9, "Bad input": no NaN in any record or export).

Two ways in:

- the game's: hostile samples (tests/support/fuzz_landmarks.py) analysed at a trial's end
  (:func:`levels.feedback.analyze_trial`), turned into the session-results entry and the trial record
  (:mod:`game.session_results`) and stored;
- any record the store accepts: every number finite, but as large as 1e308 or as small as 5e-324.

Either way the CSV and FHIR exports hold no NaN or infinity, and the FHIR Bundle validates with ``fhir.resources``.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic.records.store import RecordsStore, open_store
from clinic.records.types import BreakRecord, TrialOutcome, TrialRecord
from clinic.reports import export_fhir
from clinic.reports.export_csv import (
    BREAK_COLUMNS,
    SESSION_COLUMNS,
    TRIAL_COLUMNS,
    break_rows,
    csv_text,
    export_csv,
    session_rows,
    trial_rows,
)
from clinic.reports.progress_data import PatientProgress, read_progress
from game.session_results import trial_entry, trial_record
from levels.feedback import analyze_trial
from levels.trial import Outcome, TrialResult
from tests.support.fuzz_landmarks import FuzzedTrack, fuzzed_tracks, non_finite_paths
from tracking.quality_types import BreakKind
from tracking.types import Effector

GENERATED_AT = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)
FIRST_SESSION = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Numbers the records accept: finite, with the extremes of float64.
EXTREMES = (0.0, 5e-324, 1e-310, 1e-300, 1.0, 1e300, 1e308, 1.7976931348623157e308)
non_negative = st.sampled_from(EXTREMES) | st.floats(0.0, allow_nan=False, allow_infinity=False)
finite = st.sampled_from(EXTREMES + tuple(-v for v in EXTREMES)) | st.floats(allow_nan=False, allow_infinity=False)
break_records = st.builds(
    BreakRecord, t_s=non_negative, kind=st.sampled_from(tuple(BreakKind)),
    effector=st.none() | st.sampled_from(tuple(Effector)), severity=st.none() | non_negative,
)
trial_records = st.builds(
    TrialRecord,
    index=st.integers(0, 1000),
    outcome=st.sampled_from(tuple(TrialOutcome)),
    time_s=non_negative,
    start_s=st.none() | non_negative,
    points=st.integers(-(10**6), 10**6),
    sparc=st.none() | finite,
    ldlj=st.none() | finite,
    stars=st.none() | st.integers(0, 3),
    sensory_trick_s=st.none() | non_negative,
    measures=st.dictionaries(st.sampled_from(("peak_speed_norm_per_s", "hold_s")), st.none() | finite, max_size=2),
    breaks=st.lists(break_records, max_size=3).map(tuple),
)
# Sessions of level runs of trials.
sessions_of_trials = st.lists(st.lists(st.lists(trial_records, max_size=4), min_size=1, max_size=2), min_size=1,
                              max_size=3)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RecordsStore]:
    with open_store(data_dir=tmp_path_factory.mktemp("records"), environ={}, station="fuzz",
                    import_calibrations=False) as opened:
        yield opened


_patients = itertools.count()


def _fill(store: RecordsStore, sessions: list[list[list[TrialRecord]]]) -> PatientProgress:
    """A new patient with these sessions, runs and trials in ``store``; return the patient's progress."""
    code = f"P-FZ{next(_patients):04d}"
    store.add_patient(code)
    for number, runs in enumerate(sessions):
        started = FIRST_SESSION + timedelta(days=number)
        session = store.start_session(code, started_at=started)
        for position, trials in enumerate(runs):
            run = store.start_level_run(session.uuid, f"level-{position}", "reach", started_at=started)
            for index, trial in enumerate(trials):  # a run's trials have distinct numbers and ids
                store.add_trial(run.uuid, trial.model_copy(update={"index": index, "uuid": uuid4()}))
        store.end_session(session.uuid, complete=True, ended_at=started + timedelta(hours=1))
    return read_progress(store, code)


def _refuse_constant(name: str) -> float:
    raise AssertionError(f"the JSON holds {name}")


def _check_exports(progress: PatientProgress) -> None:
    """The CSV and FHIR exports of ``progress``: every number finite, the Bundle valid FHIR R4B."""
    for columns, rows in ((SESSION_COLUMNS, session_rows(progress)), (TRIAL_COLUMNS, trial_rows(progress)),
                          (BREAK_COLUMNS, break_rows(progress))):
        table = list(csv.reader(io.StringIO(csv_text(columns, rows))))
        for row in table[1:]:
            for cell in row:
                assert cell.lower() not in ("nan", "inf", "-inf", "infinity", "-infinity"), (columns, row)
                if cell.startswith(("{", "[")):
                    json.loads(cell, parse_constant=_refuse_constant)
    bundle = export_fhir.fhir_bundle(progress, generated_at=GENERATED_AT)
    text = json.dumps(bundle, allow_nan=False)
    data = json.loads(text, parse_constant=_refuse_constant)
    from fhir.resources.R4B.bundle import Bundle

    Bundle.model_validate(data)
    for entry in data["entry"]:
        if entry["resource"]["resourceType"] == "Observation":
            assert math.isfinite(entry["resource"]["valueQuantity"]["value"])


@FUZZ
@given(sessions=sessions_of_trials)
def test_the_exports_of_any_stored_records_are_finite_and_valid(
    store: RecordsStore, sessions: list[list[list[TrialRecord]]]
) -> None:
    _check_exports(_fill(store, sessions))


@FUZZ
@given(
    tracks=st.lists(fuzzed_tracks(max_frames=150), min_size=1, max_size=3),
    effector=st.sampled_from(tuple(Effector)),
    durations_s=st.lists(st.floats(0.0, 1e7), min_size=3, max_size=3),
)
def test_trials_of_hostile_samples_are_recorded_and_exported_without_nan(
    store: RecordsStore, tracks: list[FuzzedTrack], effector: Effector, durations_s: list[float]
) -> None:
    records = []
    for index, (track, duration_s) in enumerate(zip(tracks, durations_s, strict=False)):
        feedback = analyze_trial(track.samples(), effector=effector, width_px=track.width_px,
                                 height_px=track.height_px)
        result = TrialResult(index=index, outcome=Outcome.HIT, start_s=0.0, end_s=duration_s, points=10,
                             params={"target_radius_norm": 0.09}, measures={"peak_speed_norm_per_s": 0.8})
        entry = trial_entry(index + 1, 1, result, feedback)
        assert non_finite_paths(entry) == []
        json.dumps(entry, allow_nan=False)  # the session-results file refuses NaN
        record = trial_record(entry, result)
        assert non_finite_paths(record) == []
        records.append(record)
    _check_exports(_fill(store, [[records]]))


def test_the_csv_files_of_extreme_records_are_written(store: RecordsStore, tmp_path: Path) -> None:
    trial = TrialRecord(index=0, outcome=TrialOutcome.SUCCESS, time_s=1.7976931348623157e308, sparc=-1e308,
                        breaks=(BreakRecord(t_s=5e-324, kind=BreakKind.JERK, severity=1e308),))
    progress = _fill(store, [[[trial, trial]]])
    written = export_csv(progress, tmp_path)
    trials = written[1].read_text(encoding="utf-8")
    assert "1.7976931348623157e+308" in trials and "-1e+308" in trials
    assert "5e-324" in written[2].read_text(encoding="utf-8")


# Regression tests: the smallest examples the fuzzing found, each a crash or an infinity before its fix.


def _observations(progress: PatientProgress) -> dict[str, float]:
    bundle = export_fhir.fhir_bundle(progress, generated_at=GENERATED_AT)
    entries = bundle["entry"]
    assert isinstance(entries, list)
    return {e["resource"]["code"]["coding"][0]["code"]: e["resource"]["valueQuantity"]["value"]
            for e in entries if e["resource"]["resourceType"] == "Observation"}


def test_a_break_in_a_trial_too_short_to_divide_by_has_no_rate(store: RecordsStore) -> None:
    # breaks / (5e-324 s / 60) divided by zero
    trial = TrialRecord(index=0, outcome=TrialOutcome.SUCCESS, time_s=5e-324,
                        breaks=(BreakRecord(t_s=0.0, kind=BreakKind.ARREST),))
    values = _observations(_fill(store, [[[trial]]]))
    assert "breaks-per-minute" not in values and values["active-time"] == 5e-324


def test_sums_and_medians_of_extreme_trials_do_not_overflow(store: RecordsStore, tmp_path: Path) -> None:
    # two trials of 1.8e308 s each summed to an infinite time played, and the median of two SPARCs of -1e308 was
    # infinite: both were written as "Infinity", which is not JSON
    longest = 1.7976931348623157e308
    trial = TrialRecord(index=0, outcome=TrialOutcome.SUCCESS, time_s=longest, sparc=-1e308,
                        breaks=(BreakRecord(t_s=1.0, kind=BreakKind.JERK),))
    progress = _fill(store, [[[trial, trial]]])
    values = _observations(progress)
    assert "active-time" not in values and "breaks-per-minute" not in values
    assert values["sparc-median"] == -1e308 and values["trials"] == 2.0
    out = tmp_path / "bundle.json"
    export_fhir.export_fhir(progress, out, generated_at=GENERATED_AT)
    json.loads(out.read_text(encoding="utf-8"), parse_constant=_refuse_constant)
