"""The plain records that cross the store's API (never ORM objects): validated, frozen pydantic models.

Every number is finite (NaN and infinity are refused: they are neither JSON nor a measure), every time is a
timezone-aware UTC ``datetime``. A record that is written while the game runs carries a UUID made by the client, so
that writing it twice (a retry from the local queue after the clinic database came back) stores it once.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timezone
from typing import Annotated
from uuid import UUID, uuid4

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, JsonValue

from tracking.quality_types import BreakKind
from tracking.types import Effector

# Longest level name, family, station name and plan author stored (a host name is at most 255 characters).
MAX_NAME_CHARS = 255
# Longest display name of a patient and longest injection note: a name or a sentence, not a document.
MAX_DISPLAY_NAME_CHARS = 200
MAX_NOTE_CHARS = 2000
# A plan is a small TOML or JSON file; anything larger is not one.
MAX_PLAN_CHARS = 256 * 1024



def utc_now() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(timezone.utc)


def _as_utc(value: datetime) -> datetime:
    return value.astimezone(timezone.utc)


# A timezone-aware time (a naive one is refused: it could be any zone), stored and returned in UTC.
UtcDatetime = Annotated[AwareDatetime, AfterValidator(_as_utc)]


class TrialOutcome(str, enum.Enum):
    """How a trial ended."""

    SUCCESS = "success"
    MISS = "miss"
    SKIPPED = "skipped"  # passed over (by the patient or the therapist)
    UNFINISHED = "unfinished"  # under way when the level stopped (the source ended, the game was stopped)


class PlanFormat(str, enum.Enum):
    """The text format of a plan version."""

    TOML = "toml"
    JSON = "json"


class WriteOutcome(enum.Enum):
    """Where a write went: into the database, or into the local queue to be written when the database returns."""

    WRITTEN = "written"
    QUEUED = "queued"


class Record(BaseModel):
    """The base of every record: frozen, no unknown fields, every number finite."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class PatientVersionRecord(Record):
    """The base of a patient's numbered history: the patient's code and the version, 1, 2, ... per patient."""

    patient: str
    version: int = Field(ge=1)


class PatientRecord(Record):
    """A patient: a pseudonymous ID (``P-7F3A2C``) and an optional display name."""

    code: str
    display_name: str | None = None
    created_at: UtcDatetime


class BreakRecord(Record):
    """One dystonic break inside a trial, ``t_s`` seconds from the trial's start."""

    t_s: float = Field(ge=0.0)
    kind: BreakKind
    effector: Effector | None = None
    severity: float | None = Field(default=None, ge=0.0)


class TrialRecord(Record):
    """One finished trial, as the game hands it to :meth:`RecordsStore.add_trial`.

    ``index`` counts from 0 within its level run; ``time_s`` is the trial's duration on the level's clock (seconds,
    pauses and lost tracking excluded) and ``start_s`` when it began on that clock; ``sparc`` and ``ldlj`` are
    ``None`` when the movement was not measured (mouse input); ``params`` are the level parameters the trial ran with
    and ``measures`` any further measures (both JSON objects, keys with their units). ``ended_at`` is when it ended
    (now, by default), ``uuid`` identifies it across retries.
    """

    index: int = Field(ge=0)
    outcome: TrialOutcome
    time_s: float = Field(ge=0.0)
    start_s: float | None = Field(default=None, ge=0.0)
    points: int = 0
    params: dict[str, JsonValue] = Field(default_factory=dict)
    sparc: float | None = None
    ldlj: float | None = None
    stars: int | None = Field(default=None, ge=0)
    sensory_trick_s: float | None = Field(default=None, ge=0.0)
    measures: dict[str, JsonValue] = Field(default_factory=dict)
    breaks: tuple[BreakRecord, ...] = ()
    ended_at: UtcDatetime = Field(default_factory=utc_now)
    uuid: UUID = Field(default_factory=uuid4)


class SessionRecord(Record):
    """A session: a patient playing at a station from ``started_at`` to ``ended_at`` (``None`` while it runs)."""

    uuid: UUID
    patient: str
    started_at: UtcDatetime
    station: str = Field(min_length=1, max_length=MAX_NAME_CHARS)
    ended_at: UtcDatetime | None = None
    complete: bool = False


class LevelRunRecord(Record):
    """One level played within a session, the ``position``-th (from 0)."""

    uuid: UUID
    session: UUID
    level_name: str = Field(min_length=1, max_length=MAX_NAME_CHARS)
    family: str = Field(min_length=1, max_length=MAX_NAME_CHARS)
    position: int = Field(ge=0)
    started_at: UtcDatetime


class SessionSummary(Record):
    """A session with its counts and its place in the injection cycle, for listings and reports."""

    number: int
    session: SessionRecord
    level_runs: int
    trials: int
    successes: int
    weeks_since_injection: float | None


class InjectionRecord(Record):
    """A botulinum toxin injection on ``injected_on``."""

    patient: str
    injected_on: date
    note: str | None = Field(default=None, max_length=MAX_NOTE_CHARS)


class CalibrationRecord(PatientVersionRecord):
    """One version of a patient's calibration (the calibration file's content as ``payload``)."""

    saved_at: UtcDatetime
    payload: dict[str, JsonValue]
    source: str = Field(max_length=MAX_NAME_CHARS)


class AssessmentRecord(PatientVersionRecord):
    """One version of a patient's assessment (range of motion, resting posture...) as a JSON ``payload``."""

    recorded_at: UtcDatetime
    payload: dict[str, JsonValue]


class PlanRecord(PatientVersionRecord):
    """One version of a patient's plan: the TOML or JSON text as written, who wrote it and when."""

    format: PlanFormat
    text: str = Field(max_length=MAX_PLAN_CHARS)
    author: str = Field(min_length=1, max_length=MAX_NAME_CHARS)
    created_at: UtcDatetime


class DifficultyChangeRecord(Record):
    """A change of difficulty after a trial or a level run: from what, to what, and why."""

    level_run: UUID
    trial: UUID | None = None
    from_value: JsonValue
    to_value: JsonValue
    reason: str = Field(min_length=1, max_length=MAX_NOTE_CHARS)
    changed_at: UtcDatetime = Field(default_factory=utc_now)
    uuid: UUID = Field(default_factory=uuid4)
