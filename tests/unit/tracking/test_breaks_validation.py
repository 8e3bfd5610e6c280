"""Validation of segmentation, smoothness and break detection against seeded synthetic ground truth.

A real hand's landmarks moved along minimum-jerk reaches (25 and 30 fps, ~1.5 px correlated jitter) with injected
arrests (0.12-0.4 s), jerks (7-15% of the reach, 0.08-0.2 s, either side; in a second set of the same recordings,
along the path instead: the hand shot ahead or jerked back) and reversals (15-25%). Detections are matched to the
truth by ``tests/support/break_matching.py`` (same kind, within 0.35 s). Acceptance targets, as in
docs/movement-quality.md: precision and recall >= 0.9, <= 0.1 false breaks per clean reach, every reach one
movement, SPARC > -1.6 on every clean reach.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from tests.support.break_matching import (
    KINDS,
    REACHES_PER_RECORDING,
    TOLERANCE_S,
    break_plan,
    false_breaks_on_clean_reaches,
    match,
)
from tests.support.paths import HAND_TEMPLATE_PATH
from tracking.analysis import analyze_track, effector_track
from tracking.analysis_input import analyze_samples
from tracking.quality_types import BreakKind, QualityResult
from tracking.synthetic import SyntheticHand, load_hand_template, synthetic_hand, synthetic_head
from tracking.types import Effector

pytestmark = pytest.mark.filterwarnings("error")  # numeric warnings are bugs here

SEEDS = range(8)
# Share of injected jerks along the path: 0 gives the sideways-only recordings, 1 the same recordings (same seed,
# same draws) with every jerk along the path.
ALONG_JERK_SHARES = (0.0, 1.0)


@dataclass(frozen=True)
class Run:
    recording: SyntheticHand
    result: QualityResult


@pytest.fixture(scope="module")
def runs() -> list[Run]:
    template, _ = load_hand_template(HAND_TEMPLATE_PATH)
    out = []
    for seed in SEEDS:
        for fps in (25.0, 30.0):
            for share in ALONG_JERK_SHARES:
                recording = synthetic_hand(template, seed=seed, fps=fps, breaks=break_plan(seed),
                                           along_jerk_share=share)
                out.append(Run(recording, analyze_samples(recording.samples(), info=recording.info).result))
    return out


def test_break_precision_and_recall(runs: list[Run]) -> None:
    totals = np.zeros(3, dtype=int)
    per_kind = {kind: np.zeros(3, dtype=int) for kind in KINDS if kind is not None}
    for run in runs:
        totals += match(run.recording.injected, list(run.result.breaks))
        for kind, counts in per_kind.items():
            truths = [t for t in run.recording.injected if t.kind is kind]
            counts += match(truths, [b for b in run.result.breaks if b.kind is kind])
    hits, false, missed = totals
    assert hits + missed == 3 * len(runs) * REACHES_PER_RECORDING // 4  # every injected break is counted
    assert hits / (hits + false) >= 0.9, f"precision {hits}/{hits + false}"
    assert hits / (hits + missed) >= 0.9, f"recall {hits}/{hits + missed}"
    for kind, (k_hits, k_false, k_missed) in per_kind.items():
        assert k_hits / max(k_hits + k_false, 1) >= 0.85, f"{kind.value} precision {k_hits}/{k_hits + k_false}"
        assert k_hits / (k_hits + k_missed) >= 0.85, f"{kind.value} recall {k_hits}/{k_hits + k_missed}"


def test_jerks_along_the_path_are_found(runs: list[Run]) -> None:
    hits = {False: 0, True: 0}
    counts = {False: 0, True: 0}
    for run in runs:
        for along in (False, True):
            truths = [t for t in run.recording.injected if t.kind is BreakKind.JERK and t.along_path is along]
            counts[along] += len(truths)
            hits[along] += match(truths, [b for b in run.result.breaks if b.kind is BreakKind.JERK])[0]
    # every other recording has its jerks along the path (forward or back), the others sideways
    assert counts[True] == counts[False] == len(runs) * REACHES_PER_RECORDING // 8
    assert hits[True] / counts[True] >= 0.9, f"along-path jerk recall {hits[True]}/{counts[True]}"
    assert hits[False] / counts[False] >= 0.9, f"sideways jerk recall {hits[False]}/{counts[False]}"


def test_few_false_breaks_on_clean_reaches(runs: list[Run]) -> None:
    clean, false = 0, 0
    for run in runs:
        run_clean, run_false = false_breaks_on_clean_reaches(run.recording, run.result.breaks)
        clean, false = clean + run_clean, false + run_false
    assert clean == len(runs) * REACHES_PER_RECORDING // 4
    assert false / clean <= 0.1


def test_every_reach_is_one_movement(runs: list[Run]) -> None:
    for run in runs:
        assert len(run.result.movements) == len(run.recording.reaches)
        for reach, movement in zip(run.recording.reaches, run.result.movements, strict=True):
            # onset and end within a few frames of the true rest-to-rest span
            assert movement.start_s == pytest.approx(reach.start_s, abs=0.25)
            assert movement.end_s == pytest.approx(reach.end_s, abs=0.3)


def test_clean_reaches_are_smooth(runs: list[Run]) -> None:
    sparcs = []
    for run in runs:
        for reach, movement in zip(run.recording.reaches, run.result.movements, strict=True):
            if reach.injected is None:
                sparcs.append(movement.sparc)
                assert movement.velocity_peaks <= 2
    assert min(sparcs) > -1.6
    broken = [m.sparc for run in runs for r, m in zip(run.recording.reaches, run.result.movements, strict=True)
              if r.injected is not None and r.injected.kind is not BreakKind.JERK]
    assert np.median(broken) < min(sparcs)  # arrests and reversals cost smoothness


@pytest.mark.parametrize("fps", [25.0, 30.0])
def test_head_posture_excursions_are_found(fps: float) -> None:
    for seed in range(4):
        head = synthetic_head(seed=seed, fps=fps, excursions=4)
        result = analyze_samples(head.samples(), info=head.info).result
        assert result.effector is Effector.HEAD
        posture = [b for b in result.breaks if b.kind is BreakKind.POSTURE]
        assert posture == list(result.breaks)  # excursions are neither jerks nor tremor
        hits, false, missed = match(list(head.excursions), posture)
        assert (hits, false, missed) == (4, 0, 0), f"seed {seed}: {posture} vs {head.excursions}"
        assert all(b.severity >= 1.4 for b in posture)  # 14-22 degrees over the 10 degree threshold


def test_head_sway_alone_gives_no_break() -> None:
    for seed in range(6):
        head = synthetic_head(seed=seed, fps=30.0, excursions=0, neutral_s=20.0)
        assert analyze_samples(head.samples(), info=head.info).result.breaks == ()


def test_tremor_is_found_and_located() -> None:
    template, _ = load_hand_template(HAND_TEMPLATE_PATH)
    recording = synthetic_hand(template, seed=11, fps=30.0, breaks=[None, None, None])
    times = np.array([f.t_s for f in recording.frames])
    t_s, positions = effector_track(recording.samples(), effector=Effector.HAND, width_px=640, height_px=360)
    quiet = analyze_track(t_s, positions, effector=Effector.HAND, width_px=640)[0]
    assert [b for b in quiet.breaks if b.kind is BreakKind.TREMOR] == []
    # a 5 Hz, 4 px oscillation for 1.5 s from rest into the second reach
    onset_s = recording.reaches[1].start_s - 0.3
    inside = (times >= onset_s) & (times < onset_s + 1.5)
    shaken = positions.copy()
    shaken[inside, 0] += 4.0 * np.sin(2 * np.pi * 5.0 * (times[inside] - onset_s))
    result = analyze_track(t_s, shaken, effector=Effector.HAND, width_px=640)[0]
    tremors = [b for b in result.breaks if b.kind is BreakKind.TREMOR]
    assert len(tremors) == 1 and abs(tremors[0].t_s - onset_s) <= TOLERANCE_S
    # too short (0.6 s) is not a tremor
    brief = positions.copy()
    short = (times >= onset_s) & (times < onset_s + 0.6)
    brief[short, 0] += 4.0 * np.sin(2 * np.pi * 5.0 * (times[short] - onset_s))
    brief_result = analyze_track(t_s, brief, effector=Effector.HAND, width_px=640)[0]
    assert not [b for b in brief_result.breaks if b.kind is BreakKind.TREMOR]
