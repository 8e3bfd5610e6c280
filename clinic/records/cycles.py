"""Botulinum toxin injection cycles: where a moment falls between a patient's injections.

Dystonia symptoms wax and wane over a cycle of roughly 12 weeks after each injection, so every session is placed
by the weeks since the last injection before it. Pure functions of the injection dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone

DAYS_PER_WEEK = 7.0


def last_injection_before(injections: Iterable[date], at: datetime) -> date | None:
    """Return the latest injection on or before the (UTC) day of ``at``, or ``None`` when there is none."""
    day = at.astimezone(timezone.utc).date()
    earlier = [injected_on for injected_on in injections if injected_on <= day]
    return max(earlier) if earlier else None


def weeks_since_injection(injections: Iterable[date], at: datetime) -> float | None:
    """Weeks (fractional) from the start of the day of the last injection on or before ``at`` to ``at``.

    Parameters
    ----------
    injections
        The patient's injection dates (a date carries no time: the injection counts from 00:00 UTC that day).
    at
        A timezone-aware moment, such as a session's start.

    Returns
    -------
    float or None
        0 on the day of an injection, 1.0 a week later; ``None`` before the first injection.
    """
    last = last_injection_before(injections, at)
    if last is None:
        return None
    since = at.astimezone(timezone.utc) - datetime.combine(last, time(0), tzinfo=timezone.utc)
    return since / timedelta(days=DAYS_PER_WEEK)
