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

from typing import TYPE_CHECKING

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session as OrmSession

from clinic.records import models
from clinic.records.errors import RecordsError
from clinic.records.reads import patient_row
from clinic.records.trend_types import LevelTrend, SessionPoint
from clinic.records.types import TrialOutcome

if TYPE_CHECKING:
    from clinic.records.store import RecordsStore

# How many of the patient's most recent sessions of the level the results screen shows: about three weeks of
# sessions at three or four a week, few enough that each column stays wide enough to see.
RECENT_SESSIONS = 10
# The outcomes counted as played to a result.
_PLAYED = (TrialOutcome.SUCCESS.value, TrialOutcome.MISS.value)



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
