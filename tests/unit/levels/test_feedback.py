"""Per-trial movement feedback, on seeded synthetic recordings of a real hand (and head) with injected breaks."""

from __future__ import annotations

import pytest

from levels.feedback import TrialFeedback, analyze_trial
from tests.support.paths import HAND_TEMPLATE_PATH
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


def test_biofeedback_names_the_breaks_and_is_silent_when_not_measured() -> None:
    broken = TrialFeedback(-2.61, 2, None, (BreakKind.ARREST, BreakKind.ARREST))
    assert broken.biofeedback() == ("Smoothness -2.6, 2 breaks (arrest). Take your time and keep the movement flowing.")
    one = TrialFeedback(-1.93, 1, None, (BreakKind.REVERSAL,))
    assert one.biofeedback() == ("Smoothness -1.9, 1 break (reversal). Take your time and keep the movement flowing.")
    assert TrialFeedback(-1.25, 0).biofeedback() == "Smoothness -1.2, no breaks - a flowing movement."
    assert TrialFeedback(None, None, "smoothness needs camera tracking").biofeedback() is None
