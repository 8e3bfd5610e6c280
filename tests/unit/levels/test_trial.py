"""The trial machinery every family shares: the clock stops while the level's own effector is not seen or the game
is paused; the progress records results, counts hits, misses and points, and finishes."""

from __future__ import annotations

import json

from levels.events import Command, CommandIssued, CursorMoved, SourceEnded, TrackingFound, TrackingLost
from levels.trial import LevelProgress, Outcome, TrialClock, TrialResult
from tracking.types import Effector


def test_a_head_level_clock_stops_for_the_head_not_the_hand() -> None:
    clock = TrialClock(Effector.HEAD, seen=frozenset({Effector.HAND, Effector.HEAD}))
    clock = clock.take(TrackingLost(0.0, Effector.HAND)).advance(1.0)
    assert clock.running and clock.elapsed_s == 1.0 and clock.seen == frozenset({Effector.HEAD})
    clock = clock.take(TrackingLost(0.0, Effector.HEAD)).advance(1.0)
    assert not clock.running and not clock.effector_seen and clock.elapsed_s == 1.0
    clock = clock.take(TrackingFound(0.0, Effector.HEAD)).advance(0.5)
    assert clock.elapsed_s == 1.5


def test_the_clock_stops_while_paused_and_waits_for_its_effector_at_the_start() -> None:
    clock = TrialClock(Effector.HAND)  # a camera before the hand appears
    assert clock.advance(2.0).elapsed_s == 0.0
    clock = clock.take(TrackingFound(0.0, Effector.HAND)).take(CommandIssued(0.0, Command.PAUSE))
    assert clock.paused and clock.advance(2.0).elapsed_s == 0.0
    clock = clock.take(CommandIssued(0.0, Command.PAUSE)).advance(0.25)
    assert not clock.paused and clock.elapsed_s == 0.25
    assert clock.take(CursorMoved(0.0, 0.5, 0.5)) is clock  # other events leave it as it is


def result(index: int, outcome: Outcome, points: int = 0) -> TrialResult:
    return TrialResult(index=index, outcome=outcome, start_s=float(index), end_s=index + 0.5, points=points)


def test_progress_counts_and_finishes_after_the_last_trial() -> None:
    progress = LevelProgress.start(3, Effector.HAND, seen=frozenset({Effector.HAND}))
    progress = progress.record(result(0, Outcome.HIT, 100)).record(result(1, Outcome.MISSED))
    assert (progress.hits, progress.misses, progress.score, progress.finished) == (1, 1, 100, False)
    progress = progress.record(result(2, Outcome.HIT, 40))
    assert (progress.hits, progress.score, progress.finished) == (2, 140, True)


def test_an_unfinished_trial_ends_the_level_and_the_source_end_is_kept() -> None:
    progress = LevelProgress.start(8, Effector.HAND, seen=frozenset({Effector.HAND}))
    progress = progress.take(SourceEnded(3.0, "the video ended"))
    assert progress.source_ended and not progress.finished
    assert progress.record(result(0, Outcome.UNFINISHED)).finished
    assert progress.finish().finished and not progress.finish().results


def test_a_result_is_plain_json_ready_data() -> None:
    trial = TrialResult(
        index=2,
        outcome=Outcome.MISSED,
        start_s=4.0,
        end_s=24.0,
        params={"target_x_norm": 0.25, "direction": "left"},
        measures={"mean_sparc": -1.75, "break_count": 1},
    )
    assert trial.duration_s == 20.0
    assert json.loads(json.dumps(trial.as_dict())) == {
        "index": 2,
        "outcome": "missed",
        "start_s": 4.0,
        "end_s": 24.0,
        "duration_s": 20.0,
        "points": 0,
        "params": {"target_x_norm": 0.25, "direction": "left"},
        "measures": {"mean_sparc": -1.75, "break_count": 1},
    }
