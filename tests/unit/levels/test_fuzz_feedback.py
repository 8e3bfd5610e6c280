"""Fuzzing a trial's movement feedback with hypothesis (issue 9, "Bad input").

The game analyses every trial's raw samples at its end (:func:`levels.feedback.analyze_trial`). Whatever the samples
hold (NaN, infinities, 1e308, coordinates far off the image, a hand or face lost for runs of frames, times that
repeat, go back or jump by 10^9 s: tests/support/fuzz_landmarks.py) and wherever the trial's start and target are,
it returns feedback, never raises, and every measure is a finite number or ``None``; the patient's lines are words.
"""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from levels.feedback import MAX_STARS, analyze_trial
from tests.support.fuzz_landmarks import FuzzedTrack, fuzzed_tracks, non_finite_paths, special_floats
from tracking.types import Effector

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
points = st.none() | st.tuples(st.floats(-100.0, 1000.0), st.floats(-100.0, 1000.0)) | st.tuples(
    special_floats, special_floats
)


@FUZZ
@given(track=fuzzed_tracks(), effector=st.sampled_from(tuple(Effector)), start=points, target=points)
def test_the_feedback_of_hostile_samples_is_finite(
    track: FuzzedTrack,
    effector: Effector,
    start: tuple[float, float] | None,
    target: tuple[float, float] | None,
) -> None:
    if effector is Effector.HEAD:  # the head's task is in degrees: (yaw, pitch, roll)
        start = None if start is None else (*start, 0.0)
        target = None if target is None else (*target, 0.0)
    samples = track.samples()
    feedback = analyze_trial(
        samples, effector=effector, width_px=track.width_px, height_px=track.height_px, start=start,
        target=target,
    )
    assert non_finite_paths(feedback) == []
    assert feedback.stars is None or 0 <= feedback.stars <= MAX_STARS
    assert all(0.0 <= fraction <= 1.0 for fraction in feedback.break_fractions)
    for line in (*feedback.lines(feedback), *feedback.lines(None)):
        assert not any(char.isdigit() for char in line), line
        assert "nan" not in line.lower().split() and "inf" not in line.lower().split()
    if feedback.measured:
        assert feedback.mean_sparc is not None and math.isfinite(feedback.mean_sparc)


def test_a_task_without_a_measurable_position_is_not_measured() -> None:
    # found by the fuzzing: a hand seen twice, never at a position that is a number, with a target and no start:
    # analyze_trial took the start from the first tracked position, of which there is none (IndexError)
    track = FuzzedTrack(frames=2, fps=25.0, width_px=640, height_px=360, start_s=0.0, seed=0, jitter_norm=0.0,
                        value_events=((0, "hand_from", math.nan),))
    feedback = analyze_trial(track.samples(), effector=Effector.HAND, width_px=640, height_px=360, target=(1.0, 2.0))
    assert not feedback.measured


def test_a_start_and_target_that_are_not_numbers_leave_the_breaks_unjudged() -> None:
    # found by the fuzzing: start and target (inf, nan) with a real reach; judging the breaks against the task
    # subtracted inf from inf (a RuntimeWarning, an error under the tests' warning filter)
    track = FuzzedTrack(frames=60, fps=25.0, width_px=640, height_px=360, start_s=0.0, seed=0, jitter_norm=0.0,
                        motion_kind="reaches")
    free = analyze_trial(track.samples(), effector=Effector.HAND, width_px=640, height_px=360)
    unjudged = analyze_trial(track.samples(), effector=Effector.HAND, width_px=640, height_px=360,
                             start=(math.inf, math.nan), target=(math.inf, math.nan))
    assert unjudged.measured and unjudged.mean_sparc == free.mean_sparc
    assert non_finite_paths(unjudged) == []
