"""Per-trial movement feedback for the rest between trials and the results: smoothness (SPARC) and dystonic breaks.

Pure (no pygame): the game calls :func:`analyze_trial` with the raw tracked samples of one trial when the rules
record its result. These are training feedback, not clinical scores. Mouse input is not analysed (the game says so
instead): the measures describe a hand or a head, not a mouse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tracking.analysis import assess_trial  # imported before play starts: scipy takes a while to load
from tracking.quality_types import BreakKind
from tracking.types import Effector, TrackedSample


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
        """One calm sentence on the last movement for the rest between trials, or ``None`` when not measured."""
        if self.mean_sparc is None or self.break_count is None:
            return None
        smoothness = f"Smoothness {self.mean_sparc:.1f}"
        if self.break_count == 0:
            return f"{smoothness}, no breaks - a flowing movement."
        kinds = ", ".join(dict.fromkeys(kind.value for kind in self.break_kinds))
        plural = "break" if self.break_count == 1 else "breaks"
        return f"{smoothness}, {self.break_count} {plural} ({kinds}). Take your time and keep the movement flowing."


def _seen_in(sample: TrackedSample, effector: Effector) -> bool:
    signals = sample.signals
    return signals.cursor_norm is not None if effector is Effector.HAND else signals.head is not None


def analyze_trial(
    samples: Sequence[TrackedSample], *, effector: Effector, width_px: int, height_px: int
) -> TrialFeedback:
    """Run :func:`tracking.analysis.assess_trial` on the raw samples of one trial.

    Parameters
    ----------
    samples
        Every tracked frame of the trial, in order (tracked or not).
    effector
        What the level moves: the hand (palm centre, pixels of a ``width_px`` x ``height_px`` image) or the head.
    """
    if sum(1 for sample in samples if _seen_in(sample, effector)) < 2:
        return TrialFeedback(None, None, f"{effector.value} not seen enough to measure")
    try:
        result = assess_trial(samples, effector=effector, width_px=width_px, height_px=height_px)
    except ValueError as error:  # too short or too sparse to analyse: say so rather than show a number
        return TrialFeedback(None, None, f"not measured: {error}")
    note = None if result.movements else "no movement found"
    return TrialFeedback(result.mean_sparc, len(result.breaks), note, tuple(b.kind for b in result.breaks))
