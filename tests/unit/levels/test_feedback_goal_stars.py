"""A trial whose goal was met keeps at least one star: on seeded synthetic recordings of a real hand with injected
breaks (real analysis values), and over the whole range of the star rules (monotone in smoothness and breaks)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from levels.feedback import GOAL_MET_MIN_STARS, MAX_STARS, analyze_trial, stars_for
from tests.support.paths import HAND_TEMPLATE_PATH
from tracking.quality_types import BreakKind
from tracking.synthetic import load_hand_template, synthetic_hand
from tracking.types import Effector

SIZE_PX = (640, 360)


@pytest.mark.parametrize(
    ("seed", "breaks"),
    [
        (0, [BreakKind.ARREST, BreakKind.REVERSAL]),  # two reaches, each with a break: 0 stars before the floor
        (2, [BreakKind.REVERSAL]),  # one reach turned back, a fair SPARC and four speed peaks: 0 stars before
    ],
)
def test_a_completed_trial_with_breaks_keeps_one_star(seed: int, breaks: list[BreakKind | None]) -> None:
    template, _ = load_hand_template(HAND_TEMPLATE_PATH)
    samples = synthetic_hand(template, seed=seed, fps=30.0, breaks=breaks, size_px=SIZE_PX).samples()
    missed = analyze_trial(samples, effector=Effector.HAND, width_px=SIZE_PX[0], height_px=SIZE_PX[1])
    hit = analyze_trial(samples, effector=Effector.HAND, width_px=SIZE_PX[0], height_px=SIZE_PX[1], goal_met=True)
    assert missed.break_count is not None and missed.break_count >= 1
    assert missed.stars == 0  # the same movement, its goal not met: the breaks take every star
    assert hit.stars == GOAL_MET_MIN_STARS == 1
    # only the stars change: the therapist's measures are the same
    assert (hit.mean_sparc, hit.break_kinds, hit.velocity_peaks) == (missed.mean_sparc, missed.break_kinds,
                                                                     missed.velocity_peaks)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_clean_completed_reach_keeps_its_three_stars(seed: int) -> None:
    template, _ = load_hand_template(HAND_TEMPLATE_PATH)
    samples = synthetic_hand(template, seed=seed, fps=30.0, breaks=[None], size_px=SIZE_PX).samples()
    hit = analyze_trial(samples, effector=Effector.HAND, width_px=SIZE_PX[0], height_px=SIZE_PX[1], goal_met=True)
    assert hit.stars == MAX_STARS


def measured_stars(sparc: float, peaks: int | None, breaks: int, goal_met: bool) -> int:
    stars = stars_for(sparc, peaks, breaks, goal_met=goal_met)
    assert stars is not None
    return stars


@given(
    sparc=st.floats(min_value=-12.0, max_value=0.0),
    less_smooth_by=st.floats(min_value=0.0, max_value=5.0),
    peaks=st.one_of(st.none(), st.integers(min_value=1, max_value=20)),
    more_peaks=st.integers(min_value=0, max_value=5),
    breaks=st.integers(min_value=0, max_value=10),
    goal_met=st.booleans(),
)
def test_stars_stay_monotone_with_the_goal_floor(
    sparc: float, less_smooth_by: float, peaks: int | None, more_peaks: int, breaks: int, goal_met: bool
) -> None:
    stars = measured_stars(sparc, peaks, breaks, goal_met)
    assert (GOAL_MET_MIN_STARS if goal_met else 0) <= stars <= MAX_STARS
    # a break more, a less smooth movement or more speed peaks never raises the stars
    assert measured_stars(sparc, peaks, breaks + 1, goal_met) <= stars
    assert measured_stars(sparc - less_smooth_by, peaks, breaks, goal_met) <= stars
    worse_peaks = None if peaks is None else peaks + more_peaks
    assert measured_stars(sparc, worse_peaks, breaks, goal_met) <= stars
    # meeting the goal never costs a star, and adds at most the floor
    without = measured_stars(sparc, peaks, breaks, False)
    assert without <= stars <= max(without, GOAL_MET_MIN_STARS)
    assert stars_for(None, peaks, breaks, goal_met=goal_met) is None
