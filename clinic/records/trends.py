"""A patient's own trend on one level across their recent sessions, for the results screen after a level (issue 7).

A pure read of the records: per session in which the patient played the level (every run of it in the session
pooled), the trials played to a result (success or miss: a skipped or unfinished trial says nothing about the
movement), the share that reached their goal, the mean stars and the mean SPARC of the measured trials. The
patient sees words and shapes drawn from these (``game/trend_chart.py``), never a raw SPARC.

:func:`read_level_trend` runs the query in a transaction of a :class:`~clinic.records.store.RecordsStore`;
:func:`recent_level_trend` is the game's guarded form: no records, an unknown patient or a database that cannot be
reached give ``None`` (the results screen then shows no trend), never an error during play.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session as OrmSession

from clinic.records import models
from clinic.records.errors import RecordsError
from clinic.records.reads import patient_row
from clinic.records.types import TrialOutcome
from levels.feedback import SMOOTHER_MARGIN

if TYPE_CHECKING:
    from clinic.records.store import RecordsStore

# How many of the patient's most recent sessions of the level the results screen shows: about three weeks of
# sessions at three or four a week, few enough that each column stays wide enough to see.
RECENT_SESSIONS = 10
# "Steadier" needs the last session's mean SPARC above the earlier sessions' mean by at least this much: the same
# margin the per-trial feedback uses for "Smoother than your last reach" (levels.feedback.SMOOTHER_MARGIN).
STEADIER_MARGIN = SMOOTHER_MARGIN
# "More goals reached" needs the last session's success rate above the earlier sessions' mean by this much (one goal
# more in ten trials).
MORE_GOALS_MARGIN = 0.1
# The outcomes counted as played to a result.
_PLAYED = (TrialOutcome.SUCCESS.value, TrialOutcome.MISS.value)


class Direction(enum.Enum):
    """How the last session compares with the earlier ones shown."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


@dataclass(frozen=True)
class SessionPoint:
    """One session's play of the level.

    Attributes
    ----------
    session : UUID
        The session.
    started_at : datetime
        When the session started (UTC).
    trials : int
        Trials played to a result (success or miss), at least 1.
    successes : int
        Of those, the trials that reached their goal.
    mean_stars : float | None
        Mean stars (0-3) of the trials that have stars; ``None`` when none has.
    mean_sparc : float | None
        Mean SPARC (dimensionless, closer to 0 is smoother) of the measured trials; ``None`` when none was measured
        (mouse input, a level without a movement to measure).
    """

    session: UUID
    started_at: datetime
    trials: int
    successes: int
    mean_stars: float | None
    mean_sparc: float | None

    @property
    def success_rate(self) -> float:
        """Return the share of the trials that reached their goal, 0 to 1."""
        return self.successes / self.trials


@dataclass(frozen=True)
class LevelTrend:
    """A patient's recent sessions of one level, oldest first (the last is the most recent, often today's)."""

    patient: str
    level: str
    points: tuple[SessionPoint, ...]

    @property
    def comparable(self) -> bool:
        """Return whether there is a trend to show: at least two sessions."""
        return len(self.points) >= 2

    def smoothness_direction(self) -> Direction | None:
        """Return how the last session's smoothness compares with the earlier sessions' mean.

        ``None`` when the last session or every earlier one has no SPARC. Better means steadier (a SPARC higher by
        :data:`STEADIER_MARGIN`).
        """
        earlier = [point.mean_sparc for point in self.points[:-1] if point.mean_sparc is not None]
        last = self.points[-1].mean_sparc if self.points else None
        if last is None or not earlier:
            return None
        return _direction(last - sum(earlier) / len(earlier), STEADIER_MARGIN)

    def success_direction(self) -> Direction | None:
        """Return how the last session's success rate compares with the earlier sessions' mean.

        ``None`` when there is no earlier session.
        """
        if not self.comparable:
            return None
        earlier = [point.success_rate for point in self.points[:-1]]
        return _direction(self.points[-1].success_rate - sum(earlier) / len(earlier), MORE_GOALS_MARGIN)


def _direction(difference: float, margin: float) -> Direction:
    if difference >= margin:
        return Direction.BETTER
    return Direction.WORSE if difference <= -margin else Direction.SAME


def level_trend(orm: OrmSession, patient: str, level: str, *, sessions: int = RECENT_SESSIONS) -> LevelTrend:
    """Return the patient's last ``sessions`` sessions of ``level`` (a level name), oldest first.

    Parameters
    ----------
    orm
        An ORM session on the records.
    patient
        The patient's code.
    level
        The level's name as recorded for its runs.
    sessions
        At most this many sessions, the most recent ones (at least 1).

    Raises
    ------
    UnknownPatientError
        There is no such patient.
    ValueError
        ``sessions`` is below 1.
    """
    if sessions < 1:
        raise ValueError(f"sessions must be at least 1, got {sessions}")
    row = patient_row(orm, patient)
    trial = models.Trial
    successes = func.sum(case((trial.outcome == TrialOutcome.SUCCESS.value, 1), else_=0))
    statement = (
        select(
            models.Session.uuid,
            models.Session.started_at,
            func.count(trial.id),
            successes,
            func.avg(trial.stars),
            func.avg(trial.sparc),
        )
        .join(models.LevelRun, models.LevelRun.session_id == models.Session.id)
        .join(trial, trial.level_run_id == models.LevelRun.id)
        .where(models.Session.patient_id == row.id, models.LevelRun.level_name == level, trial.outcome.in_(_PLAYED))
        .group_by(models.Session.id, models.Session.uuid, models.Session.started_at)
        .order_by(models.Session.started_at.desc(), models.Session.id.desc())
        .limit(sessions)
    )
    points = [
        SessionPoint(
            session=uuid,
            started_at=started_at,
            trials=int(count),
            successes=int(hits or 0),
            mean_stars=None if stars is None else float(stars),
            mean_sparc=None if sparc is None else float(sparc),
        )
        for uuid, started_at, count, hits, stars, sparc in orm.execute(statement).all()
    ]
    return LevelTrend(patient=patient, level=level, points=tuple(reversed(points)))


def read_level_trend(store: RecordsStore, patient: str, level: str, *, sessions: int = RECENT_SESSIONS) -> LevelTrend:
    """Return :func:`level_trend` read from ``store`` (its errors raised, as the store's reads raise them)."""
    with store.transaction() as orm:
        return level_trend(orm, patient, level, sessions=sessions)


def recent_level_trend(
    store: RecordsStore | None, patient: str, level: str, *, sessions: int = RECENT_SESSIONS
) -> LevelTrend | None:
    """Return the trend for the results screen, or ``None`` when there is none to read.

    ``None`` without records (``store`` is ``None``), for a patient not in them, or while the database cannot be
    reached: the patient's play never stops for a chart.
    """
    if store is None:
        return None
    try:
        return read_level_trend(store, patient, level, sessions=sessions)
    except RecordsError:  # unknown patient, unreachable database: no chart, the results show as before
        return None
