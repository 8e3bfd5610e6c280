"""Adaptive difficulty and today's plan in whole sessions: ``run_session`` headless with the mouse and a simulated
clock, a patient in SQLite records (``motorplay patients add``) with a plan (``motorplay plan import``).

The pointer follows every reach target the level shows (as a patient hitting each one): three successes in a row
step the difficulty up, and the set's next target is really smaller; the change is in the records with its reason
and in the results file; a second session starts one step below where the first ended; the plan's caps hold on
every trial; the plan's session limit ends the session after the set under way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import game.session
import game.session_flow
from clinic.records.store import open_store
from game.cli import main
from game.session_flow import TIME_UP_NOTE
from tests.support.adaptive_sessions import PATIENT, PLAN, AdaptiveSession, import_plan

# The reach level's target radius runs from 0.12 (difficulty 0) to 0.06 (difficulty 1), its step is 0.1: the cap
# (never below 0.096, tests.support.adaptive_sessions.PLAN) holds up to difficulty 0.4, the highest the staircase
# may go.
RADIUS_AT = {0.3: 0.102, 0.4: 0.096}
CAP_MIN = 0.096
HIGHEST = 0.4


@pytest.fixture(autouse=True)
def _no_records_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTORPLAY_DB", raising=False)
    monkeypatch.delenv("MOTORPLAY_DATA_DIR", raising=False)


def _radii(run: dict[str, Any]) -> list[float]:
    return [trial["params"]["target_radius_norm"] for trial in run["trials"]]


def _radii_in_effect(run: dict[str, Any]) -> list[float]:
    """Each trial's radius from the difficulty in effect when it started: the run's start, then each change from the
    trial after it (within a set or across sets); the reach ramp 0.12 -> 0.06, never below the plan's cap."""
    radii = []
    for number in range(1, len(run["trials"]) + 1):
        index = run["difficulty"]
        for change in run["difficulty_changes"]:
            if change["after_trial"] is not None and change["after_trial"] < number:
                index = change["to"]
        radii.append(max(CAP_MIN, round(0.12 + index * (0.06 - 0.12), 9)))
    return radii


def test_the_plan_adapts_is_recorded_warms_up_and_ends_at_its_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    data = ["--data-dir", str(data_dir)]
    assert main(["patients", "add", "--id", PATIENT, *data]) == 0
    import_plan(tmp_path, data_dir, limit_min=10, repetitions=6, sets=1)

    # The first session: today's plan (no --level), every target hit.
    first = AdaptiveSession(monkeypatch, tmp_path, "first")
    result = first.play(data_dir, max_seconds=60.0)
    assert not result.errors, result.errors
    assert result.session_complete and not result.time_up
    run = first.document()["levels"][0]
    assert run["level"] == "reach" and len(run["trials"]) == 6  # the plan's repetitions
    assert [trial["outcome"] for trial in run["trials"]] == ["success"] * 6
    assert run["difficulty"] == 0.3  # the plan's start: a first session
    assert [(c["after_trial"], c["from"], c["to"], c["reason"]) for c in run["difficulty_changes"]] == [
        (3, 0.3, 0.4, "3 successes in a row")
    ]
    # The change applied from the next trial of the same set: the fourth target is smaller.
    assert _radii(run) == [RADIUS_AT[0.3]] * 3 + [RADIUS_AT[0.4]] * 3 == pytest.approx(_radii_in_effect(run))
    assert min(_radii(run)) >= CAP_MIN  # three more successes did not go past the cap
    assert [trial["difficulty"] for trial in run["trials"]] == [0.3] * 3 + [0.4] * 3  # what each was played at
    assert any(note and "The game made the next targets a little harder." in note for note in first.notes)
    assert all(note is None or "SPARC" not in note and "0.4" not in note for note in first.notes)

    with open_store(data_dir=data_dir, environ={}) as store:
        changes = store.difficulty_changes(PATIENT)
        assert [(c.from_value, c.to_value, c.reason) for c in changes] == [
            ({"level": "reach", "difficulty": 0.3}, {"level": "reach", "difficulty": 0.4}, "3 successes in a row")
        ]
        (summary,) = store.sessions(PATIENT)
        (level_run,) = store.level_runs(summary.session.uuid)
        trials = store.trials(level_run.uuid)
        assert changes[0].trial == trials[2].uuid  # the change follows the third trial
        assert [trial.params["target_radius_norm"] for trial in trials] == _radii(run)
        assert [trial.measures["difficulty"] for trial in trials] == [0.3] * 3 + [0.4] * 3

    # The second session: three sets of three, a limit of 6 s; it starts one step below where the first ended.
    import_plan(tmp_path, data_dir, limit_min=0.1, repetitions=3, sets=3)
    second = AdaptiveSession(monkeypatch, tmp_path, "second")
    result = second.play(data_dir, max_seconds=40.0)
    assert result.time_up and not result.session_complete
    assert result.scenes.count("level") == 1 and "rest" not in result.scenes  # no set after the limit
    assert second.notes[-1] is not None and TIME_UP_NOTE in second.notes[-1]
    run = second.document()["levels"][0]
    assert run["difficulty"] == 0.3
    assert run["difficulty_changes"][0] == {
        "after_trial": None,
        "from": 0.4,
        "to": 0.3,
        "reason": "warm-up: one step below where the last session ended",
        "rest_suggested": False,
    }
    assert len(run["trials"]) == 3 and _radii(run)[0] == RADIUS_AT[0.3]
    assert all(change["to"] <= HIGHEST for change in run["difficulty_changes"])
    assert min(_radii(run)) >= CAP_MIN
    assert "the plan's time for today was reached" in result.summary
    with open_store(data_dir=data_dir, environ={}) as store:
        reasons = [change.reason for change in store.difficulty_changes(PATIENT)]
        assert reasons[1] == "warm-up: one step below where the last session ended"
        newest = [s for s in store.sessions(PATIENT) if s.number == 2][0]
        assert newest.session.complete is False


def test_without_a_plan_the_patient_plays_reach_from_its_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = tmp_path / "data"
    assert main(["patients", "add", "--id", PATIENT, "--data-dir", str(data_dir)]) == 0
    session = AdaptiveSession(monkeypatch, tmp_path, "alone")
    result = session.play(data_dir, max_seconds=20.0)
    assert not result.time_up
    run = session.document()["levels"][0]
    assert run["level"] == "reach" and run["difficulty"] == 0.5  # the reach file's start_difficulty
    assert run["difficulty_changes"][0]["reason"] == "3 successes in a row"
    assert run["difficulty_changes"][0]["to"] == 0.6


def test_rising_breaks_step_down_and_the_rest_between_sets_suggests_a_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The movement analysis is stood in for (the mouse is not analysed): from the sixth trial on, one break each."""
    from game.scenes.level import LevelScene
    from levels.feedback import TrialFeedback
    from levels.trial import TrialResult

    def feedback(scene: LevelScene, result: TrialResult, effector: Any) -> TrialFeedback:
        return TrialFeedback(mean_sparc=-1.5, break_count=1 if result.index >= 5 else 0)

    monkeypatch.setattr(LevelScene, "_trial_feedback", feedback)
    notices: list[tuple[int, str]] = []

    def show_notice(scene: LevelScene, text: str) -> None:  # the hook a level scene may offer (words between trials)
        notices.append((len(scene.state.progress.results), text))

    monkeypatch.setattr(LevelScene, "show_notice", show_notice, raising=False)
    data_dir = tmp_path / "data"
    data = ["--data-dir", str(data_dir)]
    assert main(["patients", "add", "--id", PATIENT, *data]) == 0
    import_plan(tmp_path, data_dir, limit_min=10, repetitions=8, sets=2)
    rests: list[str | None] = []
    rest_s: list[float] = []
    original = game.session_flow.RestScene

    def rest(*args: Any, **kwargs: Any) -> Any:
        rests.append(kwargs.get("note"))
        rest_s.append(kwargs["rest_s"])
        return original(*args, **kwargs)

    monkeypatch.setattr(game.session_flow, "RestScene", rest)
    session = AdaptiveSession(monkeypatch, tmp_path, "tired")
    session.play(data_dir, max_seconds=80.0)

    run = session.document()["levels"][0]
    changes = [(c["after_trial"], c["to"], c["reason"], c["rest_suggested"]) for c in run["difficulty_changes"]]
    assert changes[:3] == [
        (3, 0.4, "3 successes in a row", False),
        (6, 0.3, "break", False),  # one break in the last five: not yet fatigue
        (7, 0.2, "breaks 2.7x baseline: fatigue", True),  # two: above 1.5x the first five trials' (floored) rate
    ]
    assert rests == ["Take your time: rest well before the next set."]
    # At once, after the seventh trial of each set (the breaks had fallen back in the second set's first five).
    assert notices == [(7, "Well done - take a short rest before the next one.")] * 2
    assert session.notes[-1] is not None and "Well done - take a short rest" in session.notes[-1]
    assert rest_s == [2.0]  # the plan's rest between sets
    assert len(run["trials"]) == 16 and _radii(run) == pytest.approx(_radii_in_effect(run))  # both sets
    assert _radii(run)[7] == pytest.approx(0.108)  # the eighth target after the step down to 0.2
    with open_store(data_dir=data_dir, environ={}) as store:
        reasons = [change.reason for change in store.difficulty_changes(PATIENT)]
    assert reasons[:3] == ["3 successes in a row", "break", "breaks 2.7x baseline: fatigue"]


def test_after_a_pause_for_pain_the_difficulty_never_rises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The level scene says a pause was for pain (``paused_for_pain``, set by its pause screen's answer): here
    answered as each trial ends; the successes in a row that follow step nothing up."""
    from game.scenes.level import PAIN, LevelScene
    from levels.feedback import TrialFeedback
    from levels.trial import TrialResult

    def feedback(scene: LevelScene, result: TrialResult, effector: Any) -> TrialFeedback:
        scene.answer_pause(PAIN)
        return TrialFeedback(mean_sparc=-1.5, break_count=0)

    monkeypatch.setattr(LevelScene, "_trial_feedback", feedback)
    data_dir = tmp_path / "data"
    data = ["--data-dir", str(data_dir)]
    assert main(["patients", "add", "--id", PATIENT, *data]) == 0
    import_plan(tmp_path, data_dir, limit_min=10, repetitions=4, sets=1)
    session = AdaptiveSession(monkeypatch, tmp_path, "pain")
    session.play(data_dir, max_seconds=30.0)
    run = session.document()["levels"][0]
    assert [trial["outcome"] for trial in run["trials"]] == ["success"] * 4
    assert run["difficulty_changes"] == [] and _radii(run) == [RADIUS_AT[0.3]] * 4


def test_the_play_command_plays_the_plan_unless_a_level_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["play", "--help"])
    assert exit_.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "default: the patient's plan for today, else reach" in text
    assert "plays today's plan" in text and "session limit" in text


def test_a_limit_passed_during_the_rest_between_sets_starts_no_new_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Limit 6 s: the first set (one target) ends before it, the 10 s rest after it; the second set never starts."""
    data_dir = tmp_path / "data"
    data = ["--data-dir", str(data_dir)]
    assert main(["patients", "add", "--id", PATIENT, *data]) == 0
    import_plan(tmp_path, data_dir, limit_min=0.1, repetitions=1, sets=2, rest_s=10.0)
    session = AdaptiveSession(monkeypatch, tmp_path, "rest")
    result = session.play(data_dir, max_seconds=25.0)
    assert result.time_up and not result.session_complete
    assert [name for name in result.scenes if name in ("level", "rest", "results")] == ["level", "rest", "results"]
    assert session.notes[-1] is not None and TIME_UP_NOTE in session.notes[-1]
    assert len(session.document()["levels"][0]["trials"]) == 1


def test_the_limit_ends_the_session_before_the_next_level_but_a_finished_plan_is_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Limit 3 s: the first level's two targets end after it, so the plan's second level never starts; played alone,
    the same level ends the plan after the limit: the session is complete, nothing was cut."""
    data_dir = tmp_path / "data"
    data = ["--data-dir", str(data_dir)]
    assert main(["patients", "add", "--id", PATIENT, *data]) == 0
    two_levels = PLAN.format(limit_min=0.05, repetitions=2, sets=1, rest_s=2.0) + '\n[[levels]]\nname = "grasp"\n'
    plan = tmp_path / "two.toml"
    plan.write_text(two_levels, encoding="utf-8")
    assert main(["plan", "import", str(plan), "--patient", PATIENT, "--author", "dr-a", *data]) == 0
    session = AdaptiveSession(monkeypatch, tmp_path, "two")
    result = session.play(data_dir, max_seconds=20.0)
    assert result.time_up and not result.session_complete
    assert [run["level"] for run in session.document()["levels"]] == ["reach"]
    assert session.notes[-1] is not None and TIME_UP_NOTE in session.notes[-1]

    import_plan(tmp_path, data_dir, limit_min=0.05, repetitions=2, sets=1)
    alone = AdaptiveSession(monkeypatch, tmp_path, "alone")
    result = alone.play(data_dir, max_seconds=20.0)
    assert result.session_complete and not result.time_up
    assert alone.notes[-1] is None or TIME_UP_NOTE not in alone.notes[-1]
