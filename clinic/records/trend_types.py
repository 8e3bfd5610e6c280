"""The data of a patient's trend on one level, as :mod:`clinic.records.trends` reads it.

No database code here, so that the game's results screen and chart can use it without loading SQLAlchemy at start.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from levels.feedback import SMOOTHER_MARGIN

# "Steadier" needs the last session's mean SPARC above the earlier sessions' mean by at least this much: the same
# margin the per-trial feedback uses for "Smoother than your last reach" (levels.feedback.SMOOTHER_MARGIN).
STEADIER_MARGIN = SMOOTHER_MARGIN
# "More goals reached" needs the last session's success rate above the earlier sessions' mean by this much (one goal
# more in ten trials).
MORE_GOALS_MARGIN = 0.1
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
