"""A patient's session measures as a FHIR R4 Bundle (JSON).

The Bundle holds a pseudonymous Patient and one Observation per measure per session.

No standard terminology (LOINC, SNOMED CT) has codes for these game measures (none exists for SPARC), so the codes come
from a local CodeSystem, :data:`CODE_SYSTEM_URL`, which the Bundle also carries as a ``CodeSystem`` resource. Every
``valueQuantity`` has a UCUM unit (``%``, ``/min``, ``s``, ``wk``, ``{trials}``, and ``1`` for the dimensionless
SPARC). Plain dictionaries are built here; the tests validate them with the ``fhir.resources`` package. The codes and
identifiers are documented in docs/reports.md.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from clinic.records.types import SessionSummary, TrialOutcome
from clinic.reports.progress_data import SECONDS_PER_MINUTE, PatientProgress, RunTrials, finite_median
from tracking.atomic_files import write_text_atomic

CODE_SYSTEM_URL = "http://motorplay.example/fhir/CodeSystem/measures"
PATIENT_ID_SYSTEM = "http://motorplay.example/fhir/NamingSystem/patient-code"
SESSION_ID_SYSTEM = "http://motorplay.example/fhir/NamingSystem/session-measure"
UCUM = "http://unitsofmeasure.org"
# A fixed namespace so that exporting the same records twice gives the same resource ids.
ID_NAMESPACE = uuid.UUID("6f1c1d3e-4b8a-5c1e-9a57-2d8f0b7e4c21")
OBSERVATION_CATEGORY = {
    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
    "code": "activity",
    "display": "Activity",
}


@dataclass(frozen=True)
class Measure:
    """A measure of the local CodeSystem: code, display, definition and its UCUM unit (code and human unit)."""

    code: str
    display: str
    definition: str
    ucum: str
    unit: str


MEASURES = (
    Measure("trials", "Trials played", "Trials played in the session, all levels.", "{trials}", "trials"),
    Measure("success-rate", "Success rate", "Successful trials over trials played, all levels.", "%", "%"),
    Measure("sparc-median", "Smoothness (SPARC), median",
            "Median spectral arc length (SPARC, Balasubramanian et al. 2015) of the session's measured trials; "
            "dimensionless, negative, closer to 0 is smoother. Training feedback, not a clinical score.", "1", "1"),
    Measure("breaks-per-minute", "Dystonic breaks per minute",
            "Breaks the game detected (arrest, jerk, reversal, posture, tremor) per minute of play on the level "
            "clock.", "/min", "per minute"),
    Measure("active-time", "Time played", "Sum of the trials' durations on the level clock (pauses excluded).",
            "s", "s"),
    Measure("weeks-since-injection", "Weeks since the last botulinum toxin injection",
            "Weeks from the last recorded injection on or before the session's start.", "wk", "weeks"),
)


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, "/".join(parts)))


def _finite(value: float | None) -> float | None:
    """``value``, or ``None`` when it is not a finite number (JSON, and so FHIR, has no NaN or infinity)."""
    return value if value is None or math.isfinite(value) else None


def _per_minute(count: int, seconds: float) -> float | None:
    """``count`` per minute of ``seconds``; ``None`` when the time is zero, too short to divide by, or infinite."""
    minutes = seconds / SECONDS_PER_MINUTE
    if not 0 < minutes < math.inf:
        return None
    return _finite(count / minutes)


def _session_values(summary: SessionSummary, runs: Sequence[RunTrials]) -> dict[str, float | None]:
    """Return the session's measures by code; ``None`` for a value that is missing or does not fit a float.

    The records hold finite numbers only, but a sum or a ratio of extreme ones (trials of 1e308 s, a time of 5e-324
    s) can overflow: such a value has no Observation rather than an infinite one.
    """
    trials = [trial for run in runs for trial in run.trials]
    active_s = sum(trial.time_s for trial in trials)
    sparcs = [trial.sparc for trial in trials if trial.sparc is not None]
    breaks = sum(len(trial.breaks) for trial in trials)
    successes = sum(1 for trial in trials if trial.outcome is TrialOutcome.SUCCESS)
    return {
        "trials": float(len(trials)),
        "success-rate": 100.0 * successes / len(trials) if trials else None,
        "sparc-median": finite_median(sparcs),
        "breaks-per-minute": _per_minute(breaks, active_s),
        "active-time": _finite(active_s),
        "weeks-since-injection": _finite(summary.weeks_since_injection),
    }


def _code_system() -> dict[str, object]:
    return {
        "resourceType": "CodeSystem",
        "id": "motorplay-measures",
        "url": CODE_SYSTEM_URL,
        "name": "MotorplayMeasures",
        "title": "motorplay training measures (local code system)",
        "status": "active",
        "experimental": True,
        "description": "Local codes of the motorplay game's per-session training measures. Not a standard "
        "terminology: no LOINC or SNOMED CT code exists for SPARC or for these game measures.",
        "caseSensitive": True,
        "content": "complete",
        "concept": [{"code": m.code, "display": m.display, "definition": m.definition} for m in MEASURES],
    }


def _patient(progress: PatientProgress, patient_uuid: str) -> dict[str, object]:
    # Pseudonymous: the code only, never the display name.
    return {
        "resourceType": "Patient",
        "id": patient_uuid,
        "identifier": [{"system": PATIENT_ID_SYSTEM, "value": progress.patient.code}],
    }


def _observation(
    measure: Measure, value: float, summary: SessionSummary, patient_uuid: str, observation_uuid: str
) -> dict[str, object]:
    return {
        "resourceType": "Observation",
        "id": observation_uuid,
        "identifier": [{"system": SESSION_ID_SYSTEM, "value": f"{summary.session.uuid}/{measure.code}"}],
        "status": "final",
        "category": [{"coding": [OBSERVATION_CATEGORY]}],
        "code": {"coding": [{"system": CODE_SYSTEM_URL, "code": measure.code, "display": measure.display}],
                 "text": measure.display},
        "subject": {"reference": f"urn:uuid:{patient_uuid}"},
        "effectiveDateTime": summary.session.started_at.isoformat(),
        "valueQuantity": {"value": value, "unit": measure.unit, "system": UCUM, "code": measure.ucum},
        "note": [{"text": "Training feedback from the motorplay game, not a clinical score."}],
    }


def _entry(resource: dict[str, object]) -> dict[str, object]:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def fhir_bundle(progress: PatientProgress, *, generated_at: datetime) -> dict[str, object]:
    """Return the FHIR R4 ``collection`` Bundle of ``progress``: Patient, CodeSystem, then the Observations.

    A measure without a value in a session (SPARC of mouse play, weeks before the first injection), or whose value
    overflows a float (:func:`_session_values`), has no Observation for that session.
    """
    code = progress.patient.code
    patient_uuid = _uuid("patient", code)
    observations = []
    for summary in progress.sessions:
        runs = [run for run in progress.runs if run.summary.session.uuid == summary.session.uuid]
        values = _session_values(summary, runs)
        for measure in MEASURES:
            value = values[measure.code]
            if value is not None:
                observation_uuid = _uuid("observation", str(summary.session.uuid), measure.code)
                observations.append(_observation(measure, value, summary, patient_uuid, observation_uuid))
    code_system = _code_system()
    return {
        "resourceType": "Bundle",
        "id": _uuid("bundle", code, generated_at.isoformat()),
        "type": "collection",
        "timestamp": generated_at.isoformat(),
        "entry": [
            _entry(_patient(progress, patient_uuid)),
            {"fullUrl": f"urn:uuid:{_uuid('codesystem', CODE_SYSTEM_URL)}", "resource": code_system},
            *(_entry(observation) for observation in observations),
        ],
    }


def export_fhir(progress: PatientProgress, path: str | Path, *, generated_at: datetime) -> None:
    """Write the FHIR Bundle of ``progress`` as JSON at ``path``, atomically."""
    text = json.dumps(
        fhir_bundle(progress, generated_at=generated_at), indent=2, ensure_ascii=False, allow_nan=False
    ) + "\n"
    write_text_atomic(path, text)
