"""Per-trial movement feedback, on seeded synthetic recordings of a real hand (and head) with injected breaks."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from levels.feedback import (
    MAX_STARS,
    StarRules,
    TrialFeedback,
    analyze_trial,
    feedback_of,
    reading_time_s,
    stars_for,
)
from tests.support.paths import HAND_TEMPLATE_PATH
from tracking.analysis import analyze_track, effector_track
from tracking.analysis_input import open_for_analysis
from tracking.quality_types import BreakKind
from tracking.synthetic import load_hand_template, synthetic_hand, synthetic_head
from tracking.types import Effector, LandmarkFrame, Signals, TrackedSample

SIZE_PX = (640, 360)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_clean_reach_has_no_break_and_an_arrest_is_named(seed: int) -> None:
    template, _ = load_hand_template(HAND_TEMPLATE_PATH)
    clean = synthetic_hand(template, seed=seed, fps=30.0, breaks=[None], size_px=SIZE_PX)
    arrested = synthetic_hand(template, seed=seed, fps=30.0, breaks=[BreakKind.ARREST], size_px=SIZE_PX)
    smooth = analyze_trial(clean.samples(), effector=Effector.HAND, width_px=SIZE_PX[0], height_px=SIZE_PX[1])
    broken = analyze_trial(arrested.samples(), effector=Effector.HAND, width_px=SIZE_PX[0], height_px=SIZE_PX[1])
    assert smooth.break_count == 0 and smooth.note is None
    assert broken.break_count == 1 and broken.break_kinds == (BreakKind.ARREST,)
    assert smooth.mean_sparc is not None and broken.mean_sparc is not None
    assert broken.mean_sparc < smooth.mean_sparc < 0.0  # the arrest makes the reach less smooth (SPARC nearer -inf)


def test_a_head_trial_is_measured_on_the_head_and_not_on_a_missing_hand() -> None:
    head = synthetic_head(seed=0, fps=30.0, excursions=1).samples()
    on_head = analyze_trial(head, effector=Effector.HEAD, width_px=SIZE_PX[0], height_px=SIZE_PX[1])
    assert on_head.break_kinds == (BreakKind.POSTURE,)  # the excursion from the neutral posture
    on_hand = analyze_trial(head, effector=Effector.HAND, width_px=SIZE_PX[0], height_px=SIZE_PX[1])
    assert on_hand == TrialFeedback(None, None, "hand not seen enough to measure")


def test_a_trial_with_one_sample_is_not_measured() -> None:
    one = [TrackedSample(LandmarkFrame(0.0), Signals(0.0, cursor_norm=(0.5, 0.5)))]
    assert analyze_trial(one, effector=Effector.HAND, width_px=640, height_px=360).note == (
        "hand not seen enough to measure"
    )
    empty = analyze_trial([], effector=Effector.HEAD, width_px=640, height_px=360)
    assert empty.note == "head not seen enough to measure" and empty.biofeedback() is None


# Neither a bare number nor a technical word of the analysis may reach a patient's screen.
_FORBIDDEN = re.compile(r"\d|arrest|reversal|jerk|tremor|posture|sparc|ldlj|smoothness", re.IGNORECASE)


@given(
    sparc=st.floats(min_value=-12.0, max_value=0.0),
    peaks=st.one_of(st.none(), st.integers(min_value=1, max_value=20)),
    breaks=st.integers(min_value=0, max_value=10),
)
def test_stars_are_zero_to_three_and_a_break_more_never_raises_them(
    sparc: float, peaks: int | None, breaks: int
) -> None:
    stars = stars_for(sparc, peaks, breaks)
    more = stars_for(sparc, peaks, breaks + 1)
    assert stars is not None and more is not None
    assert 0 <= more <= stars <= MAX_STARS
    assert stars_for(None, peaks, breaks) is None


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_sideways_spasm_costs_stars_that_sparc_alone_would_not_take(seed: int) -> None:
    template, _ = load_hand_template(HAND_TEMPLATE_PATH)
    clean = synthetic_hand(template, seed=seed, fps=30.0, breaks=[None], size_px=SIZE_PX)
    jerked = synthetic_hand(template, seed=seed, fps=30.0, breaks=[BreakKind.JERK], size_px=SIZE_PX)
    smooth = analyze_trial(clean.samples(), effector=Effector.HAND, width_px=SIZE_PX[0], height_px=SIZE_PX[1])
    spasm = analyze_trial(jerked.samples(), effector=Effector.HAND, width_px=SIZE_PX[0], height_px=SIZE_PX[1])
    assert smooth.mean_sparc is not None and spasm.mean_sparc is not None
    # the spasm hardly changes SPARC (both in the smooth band), yet it is found and costs a star
    assert spasm.mean_sparc >= StarRules().smooth_sparc and smooth.mean_sparc >= StarRules().smooth_sparc
    assert spasm.break_kinds == (BreakKind.JERK,)
    assert smooth.stars == MAX_STARS and spasm.stars is not None and spasm.stars < MAX_STARS
    assert spasm.mean_ldlj is not None and spasm.velocity_peaks is not None  # kept for the therapist


def test_the_words_say_what_happened_without_numbers_or_technical_words() -> None:
    pause = TrialFeedback(-2.61, 1, None, (BreakKind.ARREST,), stars=1, break_fractions=(0.5,))
    assert pause.lines() == ("One pause in the middle - keep it flowing",)
    flowing = TrialFeedback(-1.45, 0, stars=3)
    assert flowing.lines(pause, noun="reach") == ("Fewer interruptions than your last reach",)
    smoother = TrialFeedback(-1.40, 0, stars=3)
    less = TrialFeedback(-1.8, 0, stars=2)
    assert smoother.lines(less, noun="reach") == ("Smoother than your last reach",)
    assert less.lines(smoother, noun="reach") == ("A little less smooth than your last reach - take your time",)
    turned = TrialFeedback(-2.4, 1, None, (BreakKind.REVERSAL,), stars=1, break_fractions=(0.1,))
    assert turned.lines(smoother, noun="reach") == (
        "One turn back at the start - keep going the same way",
        "A little less smooth than your last reach - take your time",
    )
    mixed = TrialFeedback(-3.7, 2, None, (BreakKind.JERK, BreakKind.ARREST), stars=0, break_fractions=(0.2, 0.9))
    assert mixed.lines() == ("Two little interruptions - keep it flowing",)
    assert TrialFeedback(None, None, "smoothness needs camera tracking").lines() == ()
    assert TrialFeedback(None, None, "smoothness needs camera tracking").biofeedback() is None
    for feedback in (pause, flowing, smoother, less, turned, mixed):
        for previous in (None, pause, smoother, less, mixed):
            for line in feedback.lines(previous, noun="reach"):
                assert not _FORBIDDEN.search(line), line


def test_two_lines_stay_about_three_seconds() -> None:
    two = ("One pause in the middle - keep it flowing", "Smoother than your last reach")
    assert 2.5 <= reading_time_s(two) <= 4.5
    assert reading_time_s(two[:1]) < reading_time_s(two)
    assert reading_time_s(()) == 0.0


def test_a_reach_judged_against_its_target_keeps_its_injected_arrest() -> None:
    template, _ = load_hand_template(HAND_TEMPLATE_PATH)
    hand = synthetic_hand(template, seed=1, fps=30.0, breaks=[BreakKind.ARREST], size_px=SIZE_PX)
    reach = hand.reaches[0]
    judged = analyze_trial(hand.samples(), effector=Effector.HAND, width_px=SIZE_PX[0], height_px=SIZE_PX[1],
                           start=reach.start_px, target=reach.end_px)
    assert judged.judged_against_task and judged.break_kinds == (BreakKind.ARREST,)


def test_a_healthy_gesture_judged_against_its_task_earns_stars_it_loses_freely(media_dir: Path) -> None:
    tracked = open_for_analysis(media_dir / "hand_video.mp4", effector=Effector.HAND)
    try:
        samples = list(tracked.samples())
    finally:
        tracked.close()
    free = analyze_trial(samples, effector=Effector.HAND, width_px=SIZE_PX[0], height_px=SIZE_PX[1])
    assert free.break_count == 2 and not free.judged_against_task
    t_s, positions = effector_track(samples, effector=Effector.HAND, width_px=SIZE_PX[0], height_px=SIZE_PX[1])
    result, _ = analyze_track(t_s, positions, effector=Effector.HAND, width_px=SIZE_PX[0])
    rest = positions[int(np.searchsorted(t_s, result.movements[0].end_s))]  # where the gesture came to rest
    judged = analyze_trial(samples, effector=Effector.HAND, width_px=SIZE_PX[0], height_px=SIZE_PX[1], target=rest)
    assert judged.break_count == 0 and judged.stars is not None and free.stars is not None
    assert judged.stars >= free.stars and judged.mean_sparc == free.mean_sparc
    assert feedback_of(result).break_count == 2
