"""What a session did, kept as it happens: the session-results JSON (``--results-json``) and the clinic records.

:class:`SessionJournal` is told of each level run and each finished trial by the session's flow
(:mod:`game.session_flow`). After every trial it rewrites the results file atomically
(:mod:`tracking.atomic_files`) and commits the trial to the records (:mod:`clinic.records`), so a session that
stops early, or is killed, keeps what was done. At the end it writes the file once more with ``ended_at`` and
``complete``, also when no trial finished. A file or store error never stops play: it is kept for the screen and
for the end of the command (exit status 2).

The file's format (README, "Session results"): ``{"format": "motorplay-session", "version": 1, "patient",
"started_at", "ended_at", "complete", "levels": [{"level", "family", "trials": [...], "difficulty_changes":
[...]}]}``. A level played adaptively (:mod:`levels.adaptive`) also has its ``difficulty`` at the start, each
trial's ``difficulty`` (the index it was played at), and every change of it, each with its reason, in
``difficulty_changes``: ``{"after_trial": N or null (the warm-up), "from",
"to", "reason", "rest_suggested"}``; the records get the same change (:func:`clinic.plan.difficulty_change`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from clinic.errors import ClinicError
from clinic.plan import difficulty_change
from clinic.records.errors import RecordValueError
from clinic.records.types import BreakRecord, TrialOutcome, TrialRecord
from levels.adaptive import DifficultyChange
from levels.assessment.record import assessment_from_results, save_assessment
from levels.feedback import TrialFeedback
from levels.schema import LevelFile
from levels.trial import Outcome, TrialResult
from tracking.atomic_files import write_text_atomic
from tracking.errors import OutputFileError, UserFacingError
from tracking.quality_types import BreakKind

if TYPE_CHECKING:
    from clinic.records.store import RecordsStore  # annotations only: SQLAlchemy loads when records open

FORMAT = "motorplay-session"
VERSION = 1
# A level's outcome in the session format: a trial under way when the level stopped counts as skipped there too
# (the format's words are "success", "miss" and "skipped").
OUTCOME_NAMES: Mapping[Outcome, str] = {
    Outcome.HIT: "success",
    Outcome.MISSED: "miss",
    Outcome.UNFINISHED: "skipped",
    Outcome.SKIPPED: "skipped",
}
# The records keep "unfinished" apart from "skipped" (issue 7): a trial cut short is not one passed over.
RECORD_OUTCOMES: Mapping[Outcome, TrialOutcome] = {
    Outcome.HIT: TrialOutcome.SUCCESS,
    Outcome.MISSED: TrialOutcome.MISS,
    Outcome.UNFINISHED: TrialOutcome.UNFINISHED,
    Outcome.SKIPPED: TrialOutcome.SKIPPED,
}
# Measures a family may provide under these names (the trial feedback's stars and LDLJ come first); null else.
STARS_KEY = "stars"
SENSORY_TRICK_KEY = "sensory_trick_s"
LDLJ_KEY = "ldlj"
# The patient's answers to "why did you pause?" (the level scene's pause screen), kept in a trial's measures.
PAUSE_REASONS_KEY = "pause_reasons"


def iso_utc(moment: datetime) -> str:
    """``moment`` as ISO 8601 in UTC with its offset, e.g. ``2026-11-26T14:30:00.123456+00:00``."""
    return moment.astimezone(timezone.utc).isoformat()


def _finite(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _measure(name: str, result: TrialResult) -> object:
    return result.measures.get(name)


def _breaks(feedback: TrialFeedback | None) -> list[dict[str, Any]]:
    """The trial's breaks: their kind and where they fell.

    The movement analysis places a break as a fraction of the span of the trial's movements (``at_fraction``,
    0 their start, 1 their end); ``t`` (seconds from the trial's start) stays ``null`` until it gives times.
    """
    if feedback is None:
        return []
    fractions = feedback.break_fractions
    return [
        {
            "t": None,
            "kind": kind.value,
            "at_fraction": _finite(fractions[index]) if index < len(fractions) else None,
        }
        for index, kind in enumerate(feedback.break_kinds)
    ]


def _json_safe(values: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``values`` with every non-finite number as ``None`` (the file and the records hold no NaN)."""
    return {
        key: None if isinstance(value, float) and not math.isfinite(value) else value for key, value in values.items()
    }


def trial_entry(
    number: int,
    set_number: int,
    result: TrialResult,
    feedback: TrialFeedback | None,
    pause_reasons: Sequence[str] = (),
) -> dict[str, Any]:
    """One trial of the session-results file; ``number`` counts from 1 within its level run (across sets).

    ``pause_reasons``: what the patient answered when pausing during the trial (or the rest before it): "break",
    "pain", "tired"; kept in the trial's measures for the therapist.
    """
    measures = _json_safe(result.measures)
    if pause_reasons:
        measures[PAUSE_REASONS_KEY] = list(pause_reasons)
    stars = feedback.stars if feedback is not None and feedback.stars is not None else _measure(STARS_KEY, result)
    ldlj = feedback.mean_ldlj if feedback is not None and feedback.mean_ldlj is not None else _measure(LDLJ_KEY, result)
    trick_s = _finite(_measure(SENSORY_TRICK_KEY, result))
    return {
        "trial": number,
        "set": set_number,
        "outcome": OUTCOME_NAMES[result.outcome],
        "time_s": _finite(result.duration_s),
        "params": _json_safe(result.params),
        "sparc": None if feedback is None else _finite(feedback.mean_sparc),
        "ldlj": _finite(ldlj),
        "breaks": _breaks(feedback),
        "stars": stars if isinstance(stars, int) and not isinstance(stars, bool) else None,
        "sensory_trick_s": trick_s,
        "measures": measures,
    }


def _break_time_s(item: Mapping[str, Any], duration_s: float) -> float:
    """A break's time for the records: ``t`` when known, else its place in the movements across the trial's time (an
    estimate: the movements span most of a trial, not all of it)."""
    if item["t"] is not None:
        return max(float(item["t"]), 0.0)
    fraction = item.get("at_fraction")
    return 0.0 if fraction is None else max(float(fraction) * duration_s, 0.0)


def _difficulty_of(entry: Mapping[str, Any]) -> dict[str, float]:
    """The difficulty an adaptive trial was played at, as a record's measure (nothing for a fixed level)."""
    return {} if entry.get("difficulty") is None else {"difficulty": float(entry["difficulty"])}


def trial_record(entry: Mapping[str, Any], result: TrialResult) -> TrialRecord:
    """The records' form of a trial ``entry`` (:func:`trial_entry`) of ``result``."""
    breaks = tuple(
        BreakRecord(t_s=_break_time_s(item, result.duration_s), kind=BreakKind(item["kind"]))
        for item in entry["breaks"]
    )
    return TrialRecord(
        index=entry["trial"] - 1,
        outcome=RECORD_OUTCOMES[result.outcome],
        time_s=max(result.duration_s, 0.0),
        start_s=max(result.start_s, 0.0),
        points=result.points,
        params=dict(entry["params"]),
        sparc=entry["sparc"],
        ldlj=entry["ldlj"],
        stars=entry["stars"],
        sensory_trick_s=entry["sensory_trick_s"],
        measures={**entry["measures"], "set": entry["set"], **_difficulty_of(entry)},
        breaks=breaks,
    )


def change_entry(change: DifficultyChange, after_trial: int | None) -> dict[str, Any]:
    """One difficulty change of the session-results file; ``after_trial`` numbers the trial within its level run."""
    return {
        "after_trial": after_trial,
        "from": change.from_index,
        "to": change.to_index,
        "reason": change.reason,
        "rest_suggested": change.rest_suggested,
    }


@dataclass
class _LevelRun:
    level: LevelFile
    trials: list[dict[str, Any]] = field(default_factory=list)
    record: UUID | None = None
    difficulty: float | None = None  # where an adaptive run started
    changes: list[dict[str, Any]] = field(default_factory=list)
    last_trial: UUID | None = None  # the records' uuid of the run's last trial


@dataclass
class SessionJournal:
    """The session's results as they happen, written to ``path`` (if any) and to ``store`` (if any).

    ``errors`` holds what went wrong writing them, once per distinct message, in order; play goes on.
    """

    patient: str
    path: Path | None = None
    store: RecordsStore | None = None
    started_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    ended_at: datetime | None = None
    complete: bool = False
    errors: list[UserFacingError] = field(default_factory=list)
    _runs: list[_LevelRun] = field(default_factory=list)
    _session: UUID | None = None

    def begin(self) -> None:
        """Start the session in the records and write the (empty) results file."""
        if self.store is not None:
            store = self.store
            session = self._guard(lambda: store.start_session(self.patient, started_at=self.started_at))
            self._session = None if session is None else session.uuid
        self._write()

    def start_level(self, level: LevelFile, *, difficulty: float | None = None) -> None:
        """A new run of ``level`` begins (a level played again is a new run), adaptive from ``difficulty`` if given."""
        run = _LevelRun(level, difficulty=difficulty)
        self._runs.append(run)
        if self.store is not None and self._session is not None:
            store, session = self.store, self._session
            record = self._guard(lambda: store.start_level_run(session, level.name, level.kind))
            run.record = None if record is None else record.uuid

    def add_trial(
        self,
        result: TrialResult,
        feedback: TrialFeedback | None,
        *,
        set_number: int = 1,
        difficulty: float | None = None,
        pause_reasons: Sequence[str] = (),
    ) -> None:
        """A trial of the current level run ended: keep it, rewrite the file, commit it to the records.

        ``difficulty``: the index the trial was played at, in an adaptive run (the entry's ``difficulty``; the
        record's measure ``difficulty``). ``pause_reasons``: the patient's answers to "why did you pause?" since the
        trial before (the measure ``pause_reasons``).
        """
        if not self._runs:
            raise RuntimeError("add_trial before start_level")
        run = self._runs[-1]
        entry = trial_entry(len(run.trials) + 1, set_number, result, feedback, pause_reasons)
        if difficulty is not None:
            entry["difficulty"] = difficulty
        run.trials.append(entry)
        self._write()
        if self.store is not None and run.record is not None:
            store, record, kept = self.store, run.record, trial_record(entry, result)
            written = self._guard(lambda: store.add_trial(record, kept))
            run.last_trial = None if written is None else kept.uuid  # a change names only a trial that is there

    def add_difficulty_change(self, change: DifficultyChange) -> None:
        """The current level run's difficulty changed: keep it with its reason, rewrite the file, record it.

        A change made after a trial follows that trial (the last one given to :meth:`add_trial`); the warm-up
        (:data:`levels.adaptive.BEFORE_FIRST_TRIAL`) comes before any. A records error is kept, never raised.
        """
        if not self._runs:
            raise RuntimeError("add_difficulty_change before start_level")
        run = self._runs[-1]
        before_first = change.trial_index < 0
        run.changes.append(change_entry(change, None if before_first else len(run.trials)))
        self._write()
        if self.store is not None and run.record is not None:
            store = self.store
            record = difficulty_change(
                run.record,
                run.level.name,
                change.from_index,
                change.to_index,
                change.reason,
                trial=None if before_first else run.last_trial,
            )
            self._guard(lambda: store.add_difficulty_change(record))

    def add_assessment(
        self, level: str, results: Sequence[TrialResult], *, data_dir: Path, taken_at: datetime | None = None
    ) -> Path | None:
        """An assessment level was played to its end: save it as the patient's new assessment.

        The file under ``data_dir`` (:func:`levels.assessment.record.save_assessment`), and the same payload in the
        records when they are open (``RecordsStore.add_assessment``, which numbers its own versions). Return the file
        written, or ``None`` when it could not be (the error is kept, as every write error of the session).
        """
        assessment = assessment_from_results(level, results, taken_at=taken_at or datetime.now(timezone.utc))
        path = None
        try:
            path = save_assessment(data_dir, self.patient, assessment)
        except OutputFileError as error:
            self._note(error)
        if self.store is not None:
            store, payload = self.store, json.loads(json.dumps(assessment.as_dict()))  # plain JSON values
            self._guard(lambda: store.add_assessment(self.patient, payload, recorded_at=assessment.taken_at))
        return path

    def finish(self, *, complete: bool) -> None:
        """The session ended: write the file a last time and mark the session complete or not in the records."""
        self.ended_at = datetime.now(timezone.utc)
        self.complete = complete
        self._write()
        if self.store is not None and self._session is not None:
            store, session, ended_at = self.store, self._session, self.ended_at
            self._guard(lambda: store.end_session(session, complete=complete, ended_at=ended_at))

    @property
    def trial_count(self) -> int:
        """Trials kept so far, in every level run."""
        return sum(len(run.trials) for run in self._runs)

    def document(self) -> dict[str, Any]:
        """The session-results document as it stands."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "patient": self.patient,
            "started_at": iso_utc(self.started_at),
            "ended_at": None if self.ended_at is None else iso_utc(self.ended_at),
            "complete": self.complete,
            "levels": [self._run_document(run) for run in self._runs],
        }

    @staticmethod
    def _run_document(run: _LevelRun) -> dict[str, Any]:
        document: dict[str, Any] = {"level": run.level.name, "family": run.level.kind, "trials": list(run.trials)}
        if run.difficulty is not None:
            document["difficulty"] = run.difficulty
            document["difficulty_changes"] = list(run.changes)
        return document

    def _write(self) -> None:
        if self.path is None:
            return
        try:
            write_text_atomic(self.path, json.dumps(self.document(), indent=2, allow_nan=False) + "\n")
        except OutputFileError as error:
            self._note(error)

    def _guard(self, write: Any) -> Any:
        """``write()``, or ``None`` with the error kept when the records refuse it."""
        try:
            return write()
        except ClinicError as error:
            self._note(error)
        except ValueError as error:  # a record the store's types refuse (pydantic's ValidationError)
            self._note(RecordValueError(f"a trial could not be recorded: {error}"))
        return None

    def _note(self, error: UserFacingError) -> None:
        if all(str(error) != str(seen) for seen in self.errors):
            self.errors.append(error)
