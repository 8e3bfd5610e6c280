"""The delay from an injected break to its live mark (:class:`tracking.online_breaks.OnlineBreakDetector`), on
seeded synthetic reaches: one trial a reach, fed sample by sample as the game feeds it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from tests.support.paths import HAND_TEMPLATE_PATH
from tracking.analysis import effector_track
from tracking.online_breaks import OnlineBreakDetector
from tracking.quality_types import BreakKind, QualityParams
from tracking.synthetic import load_hand_template, synthetic_hand
from tracking.types import Effector

SIZE_PX = (640, 360)
# A mark counts for an injected break when it comes this long before (its rising edge) to after the break's time.
MATCH_WINDOW_S = (-0.3, 1.0)
# Every trial ends this long after its reach ends (the dwell on the target).
TRIAL_TAIL_S = 0.3


@dataclass
class MarkDelays:
    """Delays (s, mark time minus the injected break's time) per kind, breaks with no mark, and false marks."""

    delays_s: dict[BreakKind, list[float]] = field(default_factory=lambda: defaultdict(list))
    missed: dict[BreakKind, int] = field(default_factory=lambda: defaultdict(int))
    false_marks: int = 0
    reaches: int = 0

    def all_delays_s(self) -> list[float]:
        """Return every delay, all kinds together."""
        return [delay for delays in self.delays_s.values() for delay in delays]


def measure_mark_delays(seeds: range, *, fps: float, with_target: bool) -> MarkDelays:
    """Feed each reach of seeded recordings (one of each break kind and a clean one) to a fresh detector."""
    template, _ = load_hand_template(HAND_TEMPLATE_PATH)
    least = QualityParams().min_hand_amplitude_norm * SIZE_PX[0]
    found = MarkDelays()
    for seed in seeds:
        kinds = [None, BreakKind.ARREST, BreakKind.JERK, BreakKind.REVERSAL]
        hand = synthetic_hand(template, seed=seed, fps=fps, breaks=kinds, size_px=SIZE_PX)
        t_s, positions = effector_track(hand.samples(), effector=Effector.HAND, width_px=SIZE_PX[0],
                                        height_px=SIZE_PX[1])
        trial_start_s = 0.0
        for reach in hand.reaches:
            inside = (t_s >= trial_start_s) & (t_s <= reach.end_s + TRIAL_TAIL_S)
            trial_start_s = reach.end_s + TRIAL_TAIL_S
            detector = OnlineBreakDetector(
                Effector.HAND, least_amplitude=least,
                start=reach.start_px if with_target else None, target=reach.end_px if with_target else None,
            )
            samples = zip(t_s[inside], positions[inside], strict=True)
            marks = [float(t) for t, p in samples if detector.push(float(t), p)]
            found.reaches += 1
            if reach.injected is None:
                found.false_marks += len(marks)
                continue
            delays = [mark - reach.injected.t_s for mark in marks]
            matched = [d for d in delays if MATCH_WINDOW_S[0] <= d <= MATCH_WINDOW_S[1]]
            if matched:
                found.delays_s[reach.injected.kind].append(matched[0])
            else:
                found.missed[reach.injected.kind] += 1
            found.false_marks += len(marks) - min(1, len(matched))
    return found


def summary(found: MarkDelays) -> str:
    """Return the figures in one line per kind."""
    lines = [f"{found.reaches} reaches, {found.false_marks} false marks"]
    for kind, delays in sorted(found.delays_s.items(), key=lambda item: item[0].value):
        lines.append(
            f"{kind.value}: {len(delays)} marked, {found.missed[kind]} missed, delay median "
            f"{np.median(delays):.3f} s, max {max(delays):.3f} s"
        )
    return "\n".join(lines)
