"""The therapist's plan in the records: versions with their author, the PIN file, and where a level ended last time.

A plan is stored as the TOML text the therapist wrote (:meth:`RecordsStore.add_plan`: a new version each time,
with its author and time, so its history is kept). A difficulty change is recorded with ``from_value`` and
``to_value`` as ``{"level": NAME, "difficulty": INDEX}`` so that the next session finds where the patient ended.
The PIN's hash is kept in a file of the data folder, ``pins/<patient>.pin``, never the PIN itself.

What a level run needs to start adaptively (:func:`levels.adaptive.begin`) comes from here too: the plan's entry for
a level (:func:`plan_entry`), where the level ended last time (:func:`last_difficulty`) and the patient's baseline
break rate from the newest assessment (:func:`baseline_breaks_per_movement`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from uuid import UUID

from clinic.pin import hash_pin
from clinic.records.types import DifficultyChangeRecord, PlanFormat, PlanRecord
from clinic.records.values import check_patient_code
from levels.loader import load_level_spec
from levels.plan import Plan, PlanLevel, parse_plan
from tracking.atomic_files import create_private_folders, write_text_atomic

if TYPE_CHECKING:
    from clinic.records.store import RecordsStore  # annotations only: SQLAlchemy loads when records open

# Where the assessment's payload keeps the baseline break rate: its reaches step's mean breaks per reach
# (levels/assessment/measures.py: reach_measures).
ASSESSMENT_REACHES_STEP = "reaches"
ASSESSMENT_BREAK_RATE = "breaks_per_reach"
PIN_FOLDER = "pins"
PIN_SUFFIX = ".pin"


def check_plan(text: str, source: str) -> Plan:
    """Return the plan in ``text`` (``source`` names it in errors); :class:`levels.plan.PlanFileError` when bad."""
    return parse_plan(text, source=source, load_spec=load_level_spec)


def save_plan(store: RecordsStore, patient: str, text: str, *, author: str, source: str) -> PlanRecord:
    """Validate the plan's text, then store it as the patient's newest version (by ``author``)."""
    check_plan(text, source)
    return store.add_plan(patient, text, plan_format=PlanFormat.TOML, author=author)


def current_plan(store: RecordsStore, patient: str) -> tuple[PlanRecord, Plan] | None:
    """Return the patient's newest plan version and its parsed plan, ``None`` when there is none."""
    record = store.plan(patient)
    if record is None:
        return None
    return record, check_plan(record.text, f"the plan of {patient}, version {record.version}")


def difficulty_change(
    level_run: UUID, level: str, from_index: float, to_index: float, reason: str, trial: UUID | None = None
) -> DifficultyChangeRecord:
    """Return the record of a change of ``level``'s difficulty, with its reason."""
    return DifficultyChangeRecord(
        level_run=level_run,
        trial=trial,
        from_value={"level": level, "difficulty": from_index},
        to_value={"level": level, "difficulty": to_index},
        reason=reason,
    )


def last_difficulty(store: RecordsStore, patient: str, level: str) -> float | None:
    """Return the difficulty ``level`` ended at in the patient's records (the newest change), ``None`` if never."""
    for change in reversed(store.difficulty_changes(patient)):
        value = change.to_value
        if isinstance(value, dict) and value.get("level") == level:
            index = value.get("difficulty")
            if isinstance(index, (int, float)) and not isinstance(index, bool):
                return float(index)
    return None


def plan_entry(plan: Plan, level: str) -> PlanLevel | None:
    """Return the plan's entry for the level named ``level`` (a catalogue name, or a file's stem), ``None`` if none."""
    for entry in plan.levels:
        if entry.name == level or (entry.name.endswith(".toml") and Path(entry.name).stem == level):
            return entry
    return None


def baseline_breaks_per_movement(store: RecordsStore, patient: str) -> float | None:
    """Return the breaks per reach of the patient's newest assessment that measured them, ``None`` if none did."""
    for record in reversed(store.assessments(patient)):
        steps = record.payload.get("steps")
        step = steps.get(ASSESSMENT_REACHES_STEP) if isinstance(steps, dict) else None
        rate = step.get(ASSESSMENT_BREAK_RATE) if isinstance(step, dict) else None
        if isinstance(rate, (int, float)) and not isinstance(rate, bool) and rate >= 0:
            return float(rate)
    return None


def pin_file(data_dir: Path, patient: str) -> Path:
    """Return where the hash of ``patient``'s therapist PIN is kept."""
    return data_dir / PIN_FOLDER / f"{check_patient_code(patient)}{PIN_SUFFIX}"


def set_pin(data_dir: Path, patient: str, pin: str) -> Path:
    """Store the salted hash of ``pin`` for ``patient`` (written atomically); return the file."""
    path = pin_file(data_dir, patient)
    create_private_folders(path.parent)
    write_text_atomic(path, hash_pin(pin) + "\n")
    path.chmod(0o600)
    return path
