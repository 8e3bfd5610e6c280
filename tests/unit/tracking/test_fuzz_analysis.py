"""Fuzzing the offline landmark path with hypothesis: hostile samples and recordings never crash the analysis, and
nothing it reports is NaN or infinite (issue 9, "Bad input").

Samples (tests/support/fuzz_landmarks.py) carry NaN, infinities, 1e308, coordinates far outside the image, missing
hands and faces in runs, and times that repeat, go backwards, jump by up to 10^9 s or are not numbers. The analysis
either measures them (every float of its result and of its JSON finite or null) or refuses them with a
:class:`~tracking.errors.UserFacingError`. A recording holding such values is refused by the reader, naming the file
and the first line the format does not allow; one that the format allows is analysed.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.fuzz_landmarks import FuzzedTrack, fuzzed_tracks, non_finite_paths
from tracking.analysis import assess_trial, effector_tracks
from tracking.analysis_input import analyze_file, analyze_samples
from tracking.errors import RecordingFormatError, TrackingError, UserFacingError
from tracking.filtering import to_uniform_grid
from tracking.pipeline import open_tracked_file
from tracking.quality_types import BreakKind
from tracking.types import Effector

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
effectors = st.sampled_from((None, Effector.HAND, Effector.HEAD))
# What analyze_track says of times it cannot lay out on a grid: not numbers, backwards, all equal, too close.
DOCUMENTED_REFUSAL = re.compile(
    r"^(sample times must|cannot infer a frame rate|samples \S+ s apart; expected at most)"
)


def _check_report(track: FuzzedTrack, effector: Effector | None) -> None:
    try:
        report = analyze_samples(track.samples(), info=track.info, effector=effector)
    except UserFacingError:
        return
    assert non_finite_paths(report.result) == []
    document = report.to_json()
    assert non_finite_paths(document) == []
    json.dumps(document, allow_nan=False)


@FUZZ
@given(track=fuzzed_tracks(), effector=effectors)
def test_the_analysis_of_hostile_samples_is_finite_or_refused(track: FuzzedTrack, effector: Effector | None) -> None:
    _check_report(track, effector)


@FUZZ
@given(track=fuzzed_tracks(), effector=st.sampled_from(tuple(Effector)))
def test_a_trial_assessment_of_hostile_samples_is_finite_or_refused(track: FuzzedTrack, effector: Effector) -> None:
    try:
        result = assess_trial(track.samples(), effector=effector, width_px=track.width_px, height_px=track.height_px)
    except ValueError as error:  # analyze_track's documented refusals (levels.feedback shows them as "not measured")
        assert DOCUMENTED_REFUSAL.search(str(error)), str(error)
        return
    assert non_finite_paths(result) == []


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(track=fuzzed_tracks(max_frames=120), effector=effectors)
def test_a_hostile_recording_is_refused_at_its_first_bad_line_or_analysed(
    track: FuzzedTrack, effector: Effector | None, tmp_path: Path
) -> None:
    path = tmp_path / "fuzz.jsonl"
    path.write_text(track.recording_text(), encoding="utf-8")
    bad_line = track.first_refused_line()
    try:
        report = analyze_file(path, effector=effector)
    except RecordingFormatError as error:
        assert str(path) in str(error)
        assert error.line_number == bad_line, str(error)
        return
    except UserFacingError as error:
        assert bad_line is None, f"line {bad_line} should have been refused, got: {error}"
        assert str(path) in str(error)
        return
    assert bad_line is None, f"line {bad_line} should have been refused"
    document = report.to_json()
    assert non_finite_paths(document) == []
    json.dumps(document, allow_nan=False)


@pytest.mark.parametrize("effector", [None, Effector.HAND, Effector.HEAD])
def test_an_empty_input_is_refused(effector: Effector | None) -> None:
    track = FuzzedTrack(frames=0, fps=25.0, width_px=640, height_px=360, start_s=0.0, seed=0, jitter_norm=0.0)
    with pytest.raises(UserFacingError):
        analyze_samples(track.samples(), info=track.info, effector=effector)


# Regression tests: the smallest examples the fuzzing found, each a crash before its fix.


def test_a_time_that_is_not_a_number_is_refused_naming_the_input_and_frame() -> None:
    track = FuzzedTrack(frames=2, fps=25.0, width_px=640, height_px=360, start_s=0.0, seed=0, jitter_norm=0.0,
                        time_events=((0, "nan", 0.0),))
    with pytest.raises(TrackingError, match=r"^fuzz\.jsonl: frame 1 has no valid time"):
        analyze_samples(track.samples(), info=track.info)


def test_a_time_going_backwards_is_refused_naming_the_input_and_frame() -> None:
    track = FuzzedTrack(frames=40, fps=25.0, width_px=640, height_px=360, start_s=0.0, seed=0, jitter_norm=0.0,
                        time_events=((30, "back", 1.0),))
    with pytest.raises(TrackingError, match=r"^fuzz\.jsonl: frame 31 is at 0\.16 s, before the frame before it"):
        analyze_samples(track.samples(), info=track.info)


@pytest.mark.parametrize("fps", [1.0, 5.0, 6.6])
def test_a_recording_below_seven_fps_is_analysed_without_tremor(fps: float) -> None:
    # 12 frames at 1 fps crashed: the hand's tremor band (3-8 Hz) lies above what the rate can show, and the
    # band-pass filter could not be designed
    track = FuzzedTrack(frames=int(12 * fps), fps=fps, width_px=640, height_px=360, start_s=0.0, seed=0,
                        jitter_norm=0.0)
    report = analyze_samples(track.samples(), info=track.info, effector=Effector.HAND)
    assert all(event.kind is not BreakKind.TREMOR for event in report.result.breaks)
    assert non_finite_paths(report.to_json()) == []


def test_repeated_times_do_not_set_the_grid_rate() -> None:
    # a trial whose two samples share one time divided by zero inferring its rate; frames delivered twice each
    # (times 0, 0, 0.04, 0.04, ...) are at 25 Hz, not 50
    times = np.repeat(np.arange(10) / 25.0, 2)
    track = to_uniform_grid(times, np.arange(20.0))
    assert track.fs_hz == pytest.approx(25.0)
    assert track.positions.ravel().tolist() == list(range(1, 20, 2))
    with pytest.raises(ValueError, match="every sample has the same time"):
        to_uniform_grid([3.0, 3.0], [1.0, 2.0])
    twice = FuzzedTrack(frames=2, fps=25.0, width_px=640, height_px=360, start_s=0.0, seed=0, jitter_norm=0.0,
                        time_events=((1, "repeat", 0.0),))
    with pytest.raises(ValueError, match="every sample has the same time"):
        assess_trial(twice.samples(), effector=Effector.HAND, width_px=640, height_px=360)


def test_a_value_beyond_the_recording_limits_is_untracked() -> None:
    # a head angle of 1e308 made a posture break of infinite severity; a palm centre ten image widths away is no
    # tracked hand either
    track = FuzzedTrack(frames=4, fps=1.0, width_px=640, height_px=360, start_s=0.0, seed=0, jitter_norm=0.0,
                        value_events=((1, "head", 1e308), (2, "hand", 11.0)))
    result = assess_trial(track.samples(), effector=Effector.HEAD, width_px=640, height_px=360)
    assert non_finite_paths(result) == []
    tracks = effector_tracks(track.samples(), width_px=640, height_px=360)
    assert np.isnan(tracks.head_deg[1]).all() and np.isfinite(tracks.head_deg[[0, 2, 3]]).all()
    assert np.isnan(tracks.hand_px[2]).all() and np.isfinite(tracks.hand_px[[0, 1, 3]]).all()


def test_samples_closer_than_any_camera_delivers_are_refused_by_name() -> None:
    # samples 10^-12 s apart made the low-pass filter's design fail with numpy's "Singular matrix"
    track = FuzzedTrack(frames=200, fps=1e12, width_px=640, height_px=360, start_s=0.0, seed=1, jitter_norm=0.001)
    with pytest.raises(ValueError, match=r"samples 1e-12 s apart; expected at most 1000 frames a second"):
        assess_trial(track.samples(), effector=Effector.HAND, width_px=640, height_px=360)
    fastest = FuzzedTrack(frames=200, fps=1000.0, width_px=640, height_px=360, start_s=0.0, seed=1, jitter_norm=0.0)
    assert non_finite_paths(assess_trial(fastest.samples(), effector=Effector.HAND, width_px=640, height_px=360)) == []


def test_a_face_mesh_without_orientation_has_no_head_angles(tmp_path: Path) -> None:
    # found by the fuzzing: a recording may hold a face whose 468 points all lie on one spot (the reader accepts
    # it); its head angles were NaN, which made the first second's neutral NaN and so every head angle after it,
    # and `motorplay track` wrote them as NaN into a recording that motorplay's own reader then refused
    track = FuzzedTrack(frames=40, fps=25.0, width_px=640, height_px=360, start_s=0.0, seed=0, jitter_norm=0.0,
                        faces=tuple((frame, "flat" if frame == 3 else "turned", 0.5) for frame in range(40)))
    path = tmp_path / "flat_face.jsonl"
    path.write_text(track.recording_text(), encoding="utf-8")
    with open_tracked_file(path) as tracked:
        heads = [sample.signals.head for sample in tracked.samples()]
    assert heads[3] is None
    assert all(head is not None and math.isfinite(head.yaw_deg) for index, head in enumerate(heads) if index != 3)
