"""Breaks judged against the task: on a real healthy gesture (the shared hand video) and on synthetic reaches whose
injected breaks must still count."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.support.paths import HAND_TEMPLATE_PATH
from tracking.analysis import analyze_track, effector_track
from tracking.analysis_input import open_for_analysis
from tracking.quality_types import BreakKind
from tracking.synthetic import load_hand_template, synthetic_hand
from tracking.task_breaks import judge_against_task
from tracking.types import Effector

SIZE_PX = (640, 360)


def test_the_healthy_gesture_of_the_hand_video_has_no_break_against_its_task(media_dir: Path) -> None:
    tracked = open_for_analysis(media_dir / "hand_video.mp4", effector=Effector.HAND)
    try:
        samples = list(tracked.samples())
    finally:
        tracked.close()
    t_s, positions = effector_track(samples, effector=Effector.HAND, width_px=SIZE_PX[0], height_px=SIZE_PX[1])
    free, _ = analyze_track(t_s, positions, effector=Effector.HAND, width_px=SIZE_PX[0])
    # the free analysis flags the natural gesture (one movement) with a slow corner and a loop near its end
    assert len(free.movements) == 1
    assert {event.kind for event in free.breaks} == {BreakKind.ARREST, BreakKind.REVERSAL}
    movement = free.movements[0]
    start = positions[int(np.searchsorted(t_s, movement.start_s))]
    target = positions[int(np.searchsorted(t_s, movement.end_s))]  # the task: a reach to where the hand came to rest
    judged = judge_against_task(free, t_s, positions, start=start, target=target)
    assert judged.breaks == () and judged.movements[0].breaks == ()
    assert judged.movements[0].sparc == movement.sparc  # the smoothness stays for the therapist


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("kind", [BreakKind.ARREST, BreakKind.REVERSAL, BreakKind.JERK])
def test_an_injected_break_still_counts_against_the_reach_task(seed: int, kind: BreakKind) -> None:
    template, _ = load_hand_template(HAND_TEMPLATE_PATH)
    hand = synthetic_hand(template, seed=seed, fps=30.0, breaks=[None, kind, None], size_px=SIZE_PX)
    t_s, positions = effector_track(hand.samples(), effector=Effector.HAND, width_px=SIZE_PX[0],
                                    height_px=SIZE_PX[1])
    for reach in hand.reaches:
        inside = (t_s >= reach.start_s - 0.6) & (t_s <= reach.end_s + 0.6)
        free, _ = analyze_track(t_s[inside], positions[inside], effector=Effector.HAND, width_px=SIZE_PX[0])
        judged = judge_against_task(free, t_s[inside], positions[inside], start=reach.start_px, target=reach.end_px)
        if reach.injected is None:
            assert judged.breaks == ()
        else:
            free_kinds = [event.kind for event in free.breaks]
            if kind in free_kinds:  # what the free analysis found of the injected break, the task keeps
                assert [event.kind for event in judged.breaks].count(kind) == free_kinds.count(kind)


def test_a_reversal_away_from_the_target_counts_and_the_same_turn_at_the_target_does_not() -> None:
    fps = 30.0
    t_s = np.arange(0.0, 4.0, 1.0 / fps)
    # out along x to 100, back to 70 (turning away from a target at 100), on to 100 again
    x = np.interp(t_s, [0.0, 1.0, 1.6, 2.2, 2.8, 4.0], [0.0, 0.0, 60.0, 40.0, 100.0, 100.0])
    positions = np.column_stack([x, np.full(t_s.size, 50.0)])
    free, _ = analyze_track(t_s, positions, effector=Effector.HAND, width_px=SIZE_PX[0])
    assert BreakKind.REVERSAL in [event.kind for event in free.breaks]
    against = judge_against_task(free, t_s, positions, start=(0.0, 50.0), target=(100.0, 50.0))
    assert BreakKind.REVERSAL in [event.kind for event in against.breaks]
    # the same turn at the target itself is homing in, not a break
    at_target = judge_against_task(free, t_s, positions, start=(0.0, 50.0), target=(60.0, 50.0))
    assert BreakKind.REVERSAL not in [event.kind for event in at_target.breaks]


def test_a_trial_without_a_direction_keeps_the_free_definitions() -> None:
    template, _ = load_hand_template(HAND_TEMPLATE_PATH)
    hand = synthetic_hand(template, seed=0, fps=30.0, breaks=[BreakKind.ARREST], size_px=SIZE_PX)
    t_s, positions = effector_track(hand.samples(), effector=Effector.HAND, width_px=SIZE_PX[0],
                                    height_px=SIZE_PX[1])
    free, _ = analyze_track(t_s, positions, effector=Effector.HAND, width_px=SIZE_PX[0])
    assert judge_against_task(free, t_s, positions, start=(10.0, 10.0), target=(10.0, 10.0)) is free
