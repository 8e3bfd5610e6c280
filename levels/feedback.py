"""Per-trial movement feedback: stars and plain words for the patient, raw SPARC and LDLJ for the therapist.

Pure (no pygame): the game calls :func:`analyze_trial` with the raw tracked samples of one trial when the rules
record its result. When the trial knows where the movement started and where it was meant to go (``start`` and
``target``), its breaks are judged against that task (:func:`tracking.task_breaks.judge_against_task`); without
them the free definitions of :mod:`tracking.breaks` apply. Mouse input is not analysed (the game says so instead):
the measures describe a hand or a head, not a mouse. These are training feedback, not clinical scores.

Stars (:func:`stars_for`) rest on three things, because SPARC alone misses a sideways spasm at peak speed (SPARC is
computed on the speed's magnitude, which such a spasm hardly changes): the SPARC band, the number of speed peaks
(a spasm or a hesitation adds peaks) and, explicitly, the breaks: each break costs a star, so a trial with a break
never has more stars than the same trial without it. A trial whose goal was met (the target reached: ``goal_met``)
keeps at least one star whatever its breaks: reaching the goal is an achievement, and an empty row of stars after a
success discourages. The stars stay monotone: never more with a break more or with a less smooth movement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tracking.analysis import assess_trial, effector_track  # imported before play starts: scipy takes a while
from tracking.quality_types import BreakKind, QualityResult
from tracking.task_breaks import judge_against_task
from tracking.types import Effector, TrackedSample

MAX_STARS = 3
# The fewest stars for a trial whose goal was met (design choice, issue 8's "never discourage": a completed trial
# always earns something; the breaks still cost stars down to it).
GOAL_MET_MIN_STARS = 1


@dataclass(frozen=True)
class StarRules:
    """The thresholds of the stars, with their basis.

    SPARC bands: a minimum-jerk reach has a SPARC of about -1.4 to -1.6 (Balasubramanian et al. 2015, J NeuroEng
    Rehabil 12:112); the clean synthetic reaches of :mod:`tracking.synthetic` measure -1.40 to -1.55 (5th-95th
    percentile, 30 reaches), the same reaches with one arrest -1.7 to -2.7 and with one reversal -2.0 to -2.8.
    Speed peaks: a smooth reach has one (Rohrer et al. 2002, J Neurosci 22:8297, the "peaks" metric); the clean
    synthetic reaches have one, those with a sideways jerk one or two, those with an arrest two, a reversal four.
    """

    smooth_sparc: float = -1.6  # at or above: a smooth movement (three stars before breaks)
    fair_sparc: float = -2.4  # at or above: two stars before breaks; below: one
    # More speed peaks than this in one movement caps the stars at two; more than many_peaks, at one.
    few_peaks: int = 2
    many_peaks: int = 4
    stars_per_break: int = 1  # each break costs this many stars


# Speaking of "smoother" or "less smooth" than the last trial needs a SPARC difference at least this large (design
# choice: the clean synthetic reaches spread over about 0.15 between themselves).
SMOOTHER_MARGIN = 0.15
# How long a text stays for reading: a fixed time to find it and look at it plus a time per word. Silent reading of
# running text by adults averages about 240 words a minute (Brysbaert 2019, J Mem Lang 109:104047); the short,
# familiar phrases that recur after every trial read faster: 0.2 s a word (300 a minute). Within these bounds:
# about 3-3.5 s for two short lines, as the levels issue asks.
READING_BASE_S = 1.0
READING_S_PER_WORD = 0.2
READING_MIN_S = 2.0
READING_MAX_S = 6.0
# Where in the movement a break happened, in words, by its time as a fraction of the trial's movements.
_EARLY_FRACTION = 1 / 3
_LATE_FRACTION = 2 / 3


def stars_for(
    sparc: float | None,
    velocity_peaks: int | None,
    break_count: int,
    *,
    rules: StarRules | None = None,
    goal_met: bool = False,
) -> int | None:
    """Return the trial's stars (0 to 3) from its smoothness, its speed peaks and its breaks.

    Parameters
    ----------
    sparc
        Mean SPARC of the trial's movements (dimensionless, closer to 0 is smoother); ``None``: not measured.
    velocity_peaks
        The most speed peaks of any of its movements; ``None``: not known (no cap).
    break_count
        The trial's breaks (each costs ``stars_per_break``).
    rules
        The thresholds (default :class:`StarRules`).
    goal_met
        The trial reached its goal (a hit): it keeps at least :data:`GOAL_MET_MIN_STARS`.

    Returns
    -------
    int | None
        ``None`` when the smoothness was not measured, else 0 to 3 (1 to 3 when ``goal_met``); never more with one
        break more, nor with a lower SPARC or more speed peaks.
    """
    if sparc is None or not np.isfinite(sparc):
        return None
    chosen = rules or StarRules()
    stars = MAX_STARS if sparc >= chosen.smooth_sparc else 2 if sparc >= chosen.fair_sparc else 1
    if velocity_peaks is not None and velocity_peaks > chosen.many_peaks:
        stars = min(stars, 1)
    elif velocity_peaks is not None and velocity_peaks > chosen.few_peaks:
        stars = min(stars, 2)
    least = GOAL_MET_MIN_STARS if goal_met else 0
    return max(least, stars - chosen.stars_per_break * max(0, break_count))


def reading_time_s(lines: Sequence[str]) -> float:
    """Return how long ``lines`` should stay on screen to be read calmly (seconds)."""
    words = sum(1 for line in lines for word in line.split() if any(c.isalpha() for c in word))
    if words == 0:
        return 0.0
    return min(max(READING_BASE_S + READING_S_PER_WORD * words, READING_MIN_S), READING_MAX_S)


# Each kind of break in everyday words: (one, several, what to do). Never the technical name on a patient's screen.
_BREAK_WORDS = {
    BreakKind.ARREST: ("One pause", "pauses", "keep it flowing"),
    BreakKind.REVERSAL: ("One turn back", "turns back", "keep going the same way"),
    BreakKind.JERK: ("One sudden jolt", "sudden jolts", "stay soft and loose"),
    BreakKind.TREMOR: ("Some shaking", "moments of shaking", "let the movement stay soft"),
    BreakKind.POSTURE: ("Your head pulled away once", "pulls away", "ease it back gently"),
}
_NUMBER_WORDS = {2: "Two", 3: "Three", 4: "Four", 5: "Five"}


def _where(fraction: float) -> str:
    if fraction < _EARLY_FRACTION:
        return "at the start"
    return "in the middle" if fraction < _LATE_FRACTION else "near the end"


@dataclass(frozen=True)
class TrialFeedback:
    """One trial's movement feedback.

    For the therapist: ``mean_sparc`` (closer to 0 is smoother; dimensionless), ``mean_ldlj``, ``velocity_peaks``
    (the most of any movement), the breaks' kinds and times. For the patient: ``stars`` (0-3) and :meth:`lines`.
    A measure is ``None`` with a ``note`` for a person when it could not be measured.
    """

    mean_sparc: float | None
    break_count: int | None
    note: str | None = None
    break_kinds: tuple[BreakKind, ...] = ()
    mean_ldlj: float | None = None
    velocity_peaks: int | None = None
    stars: int | None = None
    # each break's time as a fraction of the span of the trial's movements (0: their start, 1: their end)
    break_fractions: tuple[float, ...] = ()
    judged_against_task: bool = False

    @property
    def measured(self) -> bool:
        """Whether the movement was measured (smoothness and breaks)."""
        return self.mean_sparc is not None and self.break_count is not None

    def _break_line(self) -> str:
        assert self.break_count is not None
        kinds = set(self.break_kinds)
        if len(kinds) != 1:
            count = _NUMBER_WORDS.get(self.break_count, "A few")
            return f"{count} little interruptions - keep it flowing"
        one, several, advice = _BREAK_WORDS[self.break_kinds[0]]
        if self.break_count == 1:
            where = f" {_where(self.break_fractions[0])}" if self.break_fractions else ""
            if self.break_kinds[0] in (BreakKind.TREMOR, BreakKind.POSTURE):
                where = ""
            return f"{one}{where} - {advice}"
        return f"{_NUMBER_WORDS.get(self.break_count, 'A few')} {several} - {advice}"

    def _comparison(self, previous: TrialFeedback | None, noun: str) -> str | None:
        if previous is None or not previous.measured or self.mean_sparc is None or previous.mean_sparc is None:
            return None
        assert self.break_count is not None and previous.break_count is not None
        if self.break_count < previous.break_count:
            return f"Fewer interruptions than your last {noun}"
        if self.mean_sparc >= previous.mean_sparc + SMOOTHER_MARGIN:
            return f"Smoother than your last {noun}"
        if self.mean_sparc <= previous.mean_sparc - SMOOTHER_MARGIN:
            return f"A little less smooth than your last {noun} - take your time"
        return f"As smooth as your last {noun}" if self.break_count == 0 else None

    def lines(self, previous: TrialFeedback | None = None, *, noun: str = "movement") -> tuple[str, ...]:
        """Return one or two calm lines in plain words on this trial, compared with ``previous`` when measured.

        No number and no technical word: e.g. ("Smoother than your last reach",) or ("One pause in the middle -
        keep it flowing",). Empty when the movement was not measured.
        """
        if not self.measured:
            return ()
        comparison = self._comparison(previous, noun)
        if self.break_count:
            return (self._break_line(),) if comparison is None else (self._break_line(), comparison)
        if comparison is not None:
            return (comparison,)
        praise = {3: f"A smooth, flowing {noun}", 2: f"A good, steady {noun}"}
        return (praise.get(self.stars or 0, f"Well done - let the {noun} flow a little more"),)

    def biofeedback(self, previous: TrialFeedback | None = None, *, noun: str = "movement") -> str | None:
        """Return :meth:`lines` as one sentence for the rest between trials, or ``None`` when not measured."""
        said = self.lines(previous, noun=noun)
        return ". ".join(said) + "." if said else None


def _seen_in(sample: TrackedSample, effector: Effector) -> bool:
    signals = sample.signals
    return signals.cursor_norm is not None if effector is Effector.HAND else signals.head is not None


def _break_fractions(result: QualityResult) -> tuple[float, ...]:
    if not result.movements:
        return tuple(0.5 for _ in result.breaks)
    first = min(movement.start_s for movement in result.movements)
    span = max(max(movement.end_s for movement in result.movements) - first, 1e-9)
    return tuple(float(np.clip((event.t_s - first) / span, 0.0, 1.0)) for event in result.breaks)


def feedback_of(result: QualityResult, *, judged_against_task: bool = False, goal_met: bool = False) -> TrialFeedback:
    """Return the feedback (stars, words, raw measures) of an analysed trial (``goal_met``: see :func:`stars_for`)."""
    note = None if result.movements else "no movement found"
    ldlj = float(np.mean([m.ldlj for m in result.movements])) if result.movements else None
    peaks = max((m.velocity_peaks for m in result.movements), default=None)
    return TrialFeedback(
        mean_sparc=result.mean_sparc,
        break_count=len(result.breaks),
        note=note,
        break_kinds=tuple(b.kind for b in result.breaks),
        mean_ldlj=ldlj,
        velocity_peaks=peaks,
        stars=stars_for(result.mean_sparc, peaks, len(result.breaks), goal_met=goal_met),
        break_fractions=_break_fractions(result),
        judged_against_task=judged_against_task,
    )


def analyze_trial(
    samples: Sequence[TrackedSample],
    *,
    effector: Effector,
    width_px: int,
    height_px: int,
    start: Sequence[float] | None = None,
    target: Sequence[float] | None = None,
    goal_met: bool = False,
) -> TrialFeedback:
    """Analyse the raw samples of one trial (:func:`tracking.analysis.assess_trial`) into its feedback.

    Parameters
    ----------
    samples
        Every tracked frame of the trial, in order (tracked or not).
    effector
        What the level moves: the hand (palm centre, pixels of a ``width_px`` x ``height_px`` image) or the head.
    start, target
        Where the effector was when the trial began and where the trial asked it to go, in the effector's units
        (image pixels for the hand, degrees for the head). With ``target``, the breaks are judged against that
        task; ``start`` defaults to the effector's first tracked position in ``samples``.
    goal_met
        The trial reached its goal (its outcome a hit): its stars are at least :data:`GOAL_MET_MIN_STARS`.
    """
    if sum(1 for sample in samples if _seen_in(sample, effector)) < 2:
        return TrialFeedback(None, None, f"{effector.value} not seen enough to measure")
    try:
        result = assess_trial(samples, effector=effector, width_px=width_px, height_px=height_px)
    except ValueError as error:  # too short or too sparse to analyse: say so rather than show a number
        return TrialFeedback(None, None, f"not measured: {error}")
    if target is None:
        return feedback_of(result, goal_met=goal_met)
    t_s, positions = effector_track(samples, effector=effector, width_px=width_px, height_px=height_px)
    tracked = np.flatnonzero(np.all(np.isfinite(positions), axis=1))
    if tracked.size == 0 and start is None:  # seen, but never at a measurable position: nothing to judge from
        return feedback_of(result, goal_met=goal_met)
    origin = positions[tracked[0]] if start is None else np.asarray(start, dtype=np.float64)
    judged = judge_against_task(result, t_s, positions, start=origin, target=target)
    return feedback_of(judged, judged_against_task=True, goal_met=goal_met)
