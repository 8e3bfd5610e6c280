"""The results of movement-quality analysis: movements, their smoothness and the dystonic breaks inside them.

Pure data; the algorithms live in :mod:`tracking.smoothness`, :mod:`tracking.segmentation`, :mod:`tracking.breaks`
and :mod:`tracking.movement_analysis`. These measures are training feedback, not clinical scores.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Effector(enum.Enum):
    """What moves: the hand (palm centre, pixels) or the head (yaw, pitch, roll, degrees)."""

    HAND = "hand"
    HEAD = "head"


class BreakKind(enum.Enum):
    """The operational kinds of dystonic break (definitions and thresholds in the README)."""

    ARREST = "arrest"
    JERK = "jerk"
    REVERSAL = "reversal"
    POSTURE = "posture"
    TREMOR = "tremor"


@dataclass(frozen=True)
class Break:
    """One dystonic break: when (seconds from the start of the input), what, where, and how strong.

    ``severity`` is dimensionless and kind-specific (documented per kind in the README); larger is stronger.
    """

    t_s: float
    kind: BreakKind
    effector: Effector
    severity: float


@dataclass(frozen=True)
class MovementQuality:
    """One movement, from rest to rest, with its smoothness and breaks.

    Units: seconds; hand speeds and lengths in pixels (per second), head in degrees (per second).
    """

    effector: Effector
    start_s: float
    end_s: float
    peak_speed: float
    path_length: float
    sparc: float
    ldlj: float
    velocity_peaks: int
    breaks: tuple[Break, ...]

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class QualityResult:
    """Everything found in one trial or one input: its movements and all breaks (inside movements or not)."""

    effector: Effector
    movements: tuple[MovementQuality, ...]
    breaks: tuple[Break, ...]

    @property
    def mean_sparc(self) -> float | None:
        if not self.movements:
            return None
        return sum(movement.sparc for movement in self.movements) / len(self.movements)
