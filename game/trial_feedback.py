"""Per-trial movement feedback for the results screen: smoothness (SPARC) and dystonic breaks of the hand.

These are training feedback, not clinical scores. Mouse input is not analysed: the measures describe a hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tracking.analysis import assess_trial  # imported before play starts: scipy takes a while to load
from tracking.quality_types import BreakKind
from tracking.types import Effector, TrackedSample

MOUSE_NOTE = "smoothness needs camera tracking"


@dataclass(frozen=True)
class TrialFeedback:
    """Mean SPARC of the trial's movements (closer to 0 is smoother; dimensionless) and the number of breaks.

    Either is ``None`` with a ``note`` for a person when it could not be measured.
    """

    mean_sparc: float | None
    break_count: int | None
    note: str | None = None
    break_kinds: tuple[BreakKind, ...] = ()

    def biofeedback(self) -> str | None:
        """One calm sentence on the last movement for the rest between targets, or ``None`` when not measured."""
        if self.mean_sparc is None or self.break_count is None:
            return None
        smoothness = f"Smoothness {self.mean_sparc:.1f}"
        if self.break_count == 0:
            return f"{smoothness}, no breaks - a flowing movement."
        kinds = ", ".join(dict.fromkeys(kind.value for kind in self.break_kinds))
        plural = "break" if self.break_count == 1 else "breaks"
        return f"{smoothness}, {self.break_count} {plural} ({kinds}). Take your time and keep the movement flowing."


def analyse_trial(samples: Sequence[TrackedSample], *, width_px: int, height_px: int) -> TrialFeedback:
    """Run :func:`tracking.movement_analysis.assess_trial` on the raw samples of one trial."""
    hand_samples = [sample for sample in samples if sample.signals.cursor_norm is not None]
    if len(hand_samples) < 2:
        return TrialFeedback(None, None, "hand not seen enough to measure")
    try:
        result = assess_trial(samples, effector=Effector.HAND, width_px=width_px, height_px=height_px)
    except ValueError as error:  # too short or too sparse to analyse: say so rather than show a number
        return TrialFeedback(None, None, f"not measured: {error}")
    note = None if result.movements else "no movement found"
    return TrialFeedback(result.mean_sparc, len(result.breaks), note, tuple(b.kind for b in result.breaks))
