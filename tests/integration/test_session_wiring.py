"""What a real session wires together, each through ``game.session.run_session`` headless with the mouse and a
simulated clock: the patient's pause answers reach the results file and the records with the next trial; the results
screen shows the patient's own trend of the level from the records; a head level is fitted to the patient's own
assessed range of motion; the menu offers the therapist screen exactly when the session is recorded; a clinic server
unreachable at the start leaves the session playing, kept in the local queue, with calm words on the first menu."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pygame
import pytest

import game.session_flow
from clinic.records.location import DATABASE_FILE_NAME
from clinic.records.store import open_store
from game.input_source import InputKind
from game.scenes.controls import STOP_BUTTON_NORM
from game.scenes.level import LevelScene
from game.scenes.menu import NO_THERAPIST_NOTICE, THERAPIST_BUTTON_NORM, MenuScene
from game.scenes.results import ResultsScene
from game.session import HEADLESS_READING_S, SessionOptions, SessionResult, run_session
from game.session_results import PAUSE_REASONS_KEY
from levels.head.rules import HeadState, all_targets
from levels.head.schema import HeadLevel
from tests.support.game_flows import KeyPress
from tests.support.head_assessments import head_sweep, save_head_assessment
from tests.support.mouse_clicks import ClickAt, ClickClock
from tests.support.postgres import free_port
from tests.support.session_flows import MouseClock, hold_at, play_with_mouse, reach_level_file
from tests.support.session_wiring import (
    TargetFollower,
    kept_instances,
    record_earlier_sessions,
)

PATIENT = "anna"


@pytest.fixture(autouse=True)
def _no_records_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTORPLAY_DB", raising=False)
    monkeypatch.delenv("MOTORPLAY_DATA_DIR", raising=False)


def _add_patient(data_dir: Path, patient: str = PATIENT) -> None:
    with open_store(data_dir=data_dir, environ={}, import_calibrations=False) as store:
        store.add_patient(patient)


def _document(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


# 1. Pause reasons reach the results file and the records -------------------------------------------------------

# The reach level below: its targets come 0.5 s apart and are missed after 2 s of level clock (the mouse stays
# still), so each trial spans 2 s of level clock. Real times of the game clock; the level starts at the reading time.
FIRST_PAUSE_S, FIRST_ANSWER_S, FIRST_RESUME_S = 3.5, 4.0, 4.5  # "It hurts" (key 2)
SECOND_PAUSE_S, SECOND_ANSWER_S, SECOND_RESUME_S = 9.0, 9.5, 10.0  # "I am tired" (key 3)


def _level_clock_at(real_s: float, pauses: list[tuple[float, float]]) -> float:
    """The level clock at game-clock ``real_s``: from the reading time, less the pauses ((start, end) real times)."""
    paused_s = sum(min(end, real_s) - start for start, end in pauses if start < real_s)
    return real_s - HEADLESS_READING_S - paused_s


def _play_five_steady(tmp_path: Path, clock_factory: Callable[[], MouseClock], *, max_seconds: float) -> SessionResult:
    """PATIENT, added to the records in ``tmp_path / "data"``, plays the reach level "steady" (five trials, each
    missed after 2 s) with the mouse; the session-results file is ``tmp_path / "session.json"``."""
    data_dir = tmp_path / "data"
    _add_patient(data_dir)
    level = reach_level_file(tmp_path, "steady", trials=5, timeout_s=2.0)
    return play_with_mouse(
        [level],
        clock_factory,
        data_dir=data_dir,
        max_seconds=max_seconds,
        patient=PATIENT,
        results_json=tmp_path / "session.json",
        offer_choices=False,
    )


def _pause_reasons_in_file(results_json: Path) -> dict[int, Any]:
    """The pause answers of each trial (by index from 0) of the one level in the session-results file."""
    [run] = _document(results_json)["levels"]
    return {trial["trial"] - 1: trial["measures"].get(PAUSE_REASONS_KEY) for trial in run["trials"]}


def _pause_reasons_recorded(data_dir: Path) -> dict[int, Any]:
    """The pause answers of each trial (by index) of PATIENT's one session's one level run in the records."""
    with open_store(data_dir=data_dir, environ={}) as store:
        [summary] = store.sessions(PATIENT)
        [level_run] = store.level_runs(summary.session.uuid)
        return {trial.index: trial.measures.get(PAUSE_REASONS_KEY) for trial in store.trials(level_run.uuid)}


def test_pause_answers_go_with_the_trial_under_way_to_the_results_file_and_the_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenes = kept_instances(monkeypatch, game.session_flow, LevelScene)
    keys = [
        KeyPress(FIRST_PAUSE_S, pygame.K_p),
        KeyPress(FIRST_ANSWER_S, pygame.K_2),
        KeyPress(FIRST_RESUME_S, pygame.K_ESCAPE),
        KeyPress(SECOND_PAUSE_S, pygame.K_p),
        KeyPress(SECOND_ANSWER_S, pygame.K_3),
        KeyPress(SECOND_RESUME_S, pygame.K_p),
    ]
    data_dir, results_json = tmp_path / "data", tmp_path / "session.json"
    result = _play_five_steady(tmp_path, lambda: MouseClock(keys=keys), max_seconds=18.0)
    assert result.errors == (), result.errors
    (scene,) = scenes
    assert scene.pause_reasons == ["pain", "tired"]
    played = scene.state.progress.results
    assert len(played) == 5 and scene.state.progress.finished
    # The trial under way at each pause (level clock), from the level's own results.
    pauses = [(FIRST_PAUSE_S, FIRST_RESUME_S), (SECOND_PAUSE_S, SECOND_RESUME_S)]
    expected: dict[int, list[str]] = {}
    for (pause_s, _), reason in zip(pauses, ["pain", "tired"], strict=True):
        at_s = _level_clock_at(pause_s, pauses)
        (under_way,) = [trial.index for trial in played if trial.start_s + 0.2 < at_s < trial.end_s - 0.2]
        expected[under_way] = [reason]
    assert sorted(expected) == [0, 2]  # two different trials, one left between them

    in_file = _pause_reasons_in_file(results_json)
    assert in_file == {index: expected.get(index) for index in range(5)}
    assert _pause_reasons_recorded(data_dir) == in_file


def test_it_hurts_then_stop_keeps_the_answer_in_the_results_file_and_the_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The likeliest way to answer "It hurts": pause, answer, then Stop (the level ends with no further trial)."""
    scenes = kept_instances(monkeypatch, game.session_flow, LevelScene)
    keys = [KeyPress(FIRST_PAUSE_S, pygame.K_p), KeyPress(FIRST_ANSWER_S, pygame.K_2)]
    stop = hold_at(STOP_BUTTON_NORM[:2], FIRST_RESUME_S, FIRST_RESUME_S + 2.0)  # held while still paused
    data_dir, results_json = tmp_path / "data", tmp_path / "session.json"
    result = _play_five_steady(tmp_path, lambda: MouseClock(stop, keys=keys), max_seconds=FIRST_RESUME_S + 3.0)
    assert result.errors == () and result.scenes == ["menu", "level", "results"]
    (scene,) = scenes
    assert scene.pause_reasons == ["pain"] and scene.state.progress.clock.paused
    assert ["pain"] in _pause_reasons_in_file(results_json).values()
    assert ["pain"] in _pause_reasons_recorded(data_dir).values()


# 2. The results screen's trend --------------------------------------------------------------------------------


def _play_reach(tmp_path: Path, data_dir: Path, patient: str, *, max_seconds: float = 8.0) -> Any:
    level = reach_level_file(tmp_path, "steady", trials=2, timeout_s=2.0)
    return play_with_mouse(
        [level],
        lambda: MouseClock(),
        data_dir=data_dir,
        max_seconds=max_seconds,
        patient=patient,
        offer_choices=False,
    )


def test_the_results_show_the_recorded_patients_trend_ending_with_this_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    now = datetime.now(timezone.utc)
    record_earlier_sessions(data_dir, PATIENT, "steady", "reach", [now - timedelta(days=9), now - timedelta(days=4)])
    shown = kept_instances(monkeypatch, game.session_flow, ResultsScene)
    result = _play_reach(tmp_path, data_dir, PATIENT)
    assert result.errors == (), result.errors
    assert result.scenes[-1] == "results"
    (results,) = shown
    trend = results.trend
    assert trend is not None and trend.level == "steady" and trend.comparable
    with open_store(data_dir=data_dir, environ={}) as store:
        sessions = sorted(store.sessions(PATIENT), key=lambda summary: summary.session.started_at)
    assert [point.session for point in trend.points] == [summary.session.uuid for summary in sessions]
    latest = trend.points[-1]
    # This session: its two targets were missed (the mouse stayed still), after two earlier sessions all hit.
    assert (latest.trials, latest.successes) == (2, 0)
    assert [(point.trials, point.successes) for point in trend.points[:-1]] == [(3, 3), (3, 3)]


def test_a_first_recorded_session_has_a_one_point_trend_and_no_records_no_trend(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorded = tmp_path / "recorded"
    _add_patient(recorded)
    shown = kept_instances(monkeypatch, game.session_flow, ResultsScene)
    first = _play_reach(tmp_path, recorded, PATIENT)
    assert first.errors == ()
    with open_store(data_dir=recorded, environ={}) as store:
        [summary] = store.sessions(PATIENT)
    trend = shown[-1].trend
    assert trend is not None and not trend.comparable
    assert [point.session for point in trend.points] == [summary.session.uuid]

    unrecorded = tmp_path / "unrecorded"  # no records in the data folder: the session is not recorded
    second = _play_reach(tmp_path, unrecorded, PATIENT)
    assert second.errors == () and second.scenes[-1] == "results"
    assert len(shown) == 2 and shown[-1].trend is None
    assert not (unrecorded / DATABASE_FILE_NAME).exists()


# 3. A head level fitted to the patient's own range ------------------------------------------------------------

# Her range from the assessment, degrees each way: less to the left and down, within the screen's span (40 and 25).
LEFT_DEG, RIGHT_DEG, UP_DEG, DOWN_DEG = 18.0, 34.0, 20.0, 9.0
HEAD_SECONDS = 30.0  # long enough for the staircase to change the difficulty mid-set (3 hits in a row)


def _play_head(tmp_path: Path, scenes: list[LevelScene], patient: str) -> dict[str, Any]:
    results_json = tmp_path / f"{patient}.json"
    run_session(
        SessionOptions(
            level="head",
            input_kind=InputKind.MOUSE,
            patient=patient,
            data_dir=tmp_path / "data",
            headless=True,
            max_seconds=HEAD_SECONDS,
            results_json=results_json,
            offer_choices=False,
        ),
        clock_factory=lambda: TargetFollower(scenes),
    )
    return _document(results_json)


def test_the_head_level_keeps_every_target_within_the_patients_own_range(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    save_head_assessment(
        data_dir, PATIENT, head_sweep(LEFT_DEG, RIGHT_DEG, UP_DEG, DOWN_DEG), datetime.now(timezone.utc)
    )
    scenes = kept_instances(monkeypatch, game.session_flow, LevelScene)
    document = _play_head(tmp_path, scenes, PATIENT)
    [run] = document["levels"]
    trials = run["trials"]
    assert len(trials) >= 4 and any(trial["outcome"] == "success" for trial in trials)
    # The staircase changed the difficulty during the set: the targets after it are still fitted to her range.
    assert len({trial["params"]["range_fraction"] for trial in trials}) >= 2, run["difficulty_changes"]
    tolerance_deg = 0.1  # the range measured from the sweep's samples, within a tenth of a degree of the sweep's
    for trial in trials:
        params = trial["params"]
        fraction = params["range_fraction"]
        assert params["reach_left_deg"] == pytest.approx(fraction * LEFT_DEG, abs=tolerance_deg)
        assert params["reach_right_deg"] == pytest.approx(fraction * RIGHT_DEG, abs=tolerance_deg)
        assert params["reach_up_deg"] == pytest.approx(fraction * UP_DEG, abs=tolerance_deg)
        assert params["reach_down_deg"] == pytest.approx(fraction * DOWN_DEG, abs=tolerance_deg)
        assert -fraction * RIGHT_DEG - tolerance_deg <= params["target_yaw_deg"] <= fraction * LEFT_DEG + tolerance_deg
        assert -fraction * DOWN_DEG - tolerance_deg <= params["target_pitch_deg"] <= fraction * UP_DEG + tolerance_deg
    # Every target of the level as last played (also those not reached before the end).
    (scene,) = scenes
    assert isinstance(scene.context.level, HeadLevel) and isinstance(scene.state, HeadState)
    params = scene.state.params
    for target in all_targets(params):
        fraction = params.range_fraction
        assert -fraction * RIGHT_DEG - tolerance_deg <= target.yaw_deg <= fraction * LEFT_DEG + tolerance_deg
        assert -fraction * DOWN_DEG - tolerance_deg <= target.pitch_deg <= fraction * UP_DEG + tolerance_deg

    # Another patient, no assessment: the default range (the screen's span), so other targets.
    other = _play_head(tmp_path, scenes, "ben")
    [other_run] = other["levels"]
    first, mine = other_run["trials"][0]["params"], trials[0]["params"]
    assert first["range_fraction"] == mine["range_fraction"]  # the same difficulty: only the range differs
    assert (first["reach_left_deg"], first["reach_down_deg"]) == pytest.approx(
        (first["range_fraction"] * 40.0, first["range_fraction"] * 25.0)
    )
    assert (first["target_yaw_deg"], first["target_pitch_deg"]) != (mine["target_yaw_deg"], mine["target_pitch_deg"])


# 4. The therapist button in a real recorded session ----------------------------------------------------------


def test_the_menu_offers_the_therapist_screen_only_in_a_recorded_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    menus = kept_instances(monkeypatch, game.session_flow, MenuScene)
    level = reach_level_file(tmp_path, "steady")
    recorded = tmp_path / "recorded"
    _add_patient(recorded)

    def play(data_dir: Path, clock: MouseClock) -> Any:
        return play_with_mouse(
            [level],
            lambda: clock,
            data_dir=data_dir,
            max_seconds=1.5,
            patient=PATIENT,
        )

    click = [ClickAt(0.5, THERAPIST_BUTTON_NORM[:2])]
    result = play(recorded, ClickClock(click))
    assert result.errors == () and result.scenes == ["menu", "therapist"]
    assert menus[0].context.records is not None

    # Not recorded: no button where the therapist's was (the click does nothing) and T says why.
    result = play(tmp_path / "unrecorded", ClickClock(click, keys=[KeyPress(0.8, pygame.K_t)]))
    assert result.errors == () and result.scenes == ["menu"]
    assert menus[-1].context.records is None and menus[-1].notice == NO_THERAPIST_NOTICE


# 5. A clinic server unreachable at the start -----------------------------------------------------------------


def test_a_clinic_server_down_at_the_start_plays_queues_and_says_so_calmly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"postgresql+psycopg://motorplay@127.0.0.1:{free_port()}/clinic"  # nothing listens there
    data_dir = tmp_path / "data"
    menus = kept_instances(monkeypatch, game.session_flow, MenuScene)
    level = reach_level_file(tmp_path, "steady", trials=2, timeout_s=2.0)
    capsys.readouterr()
    result = play_with_mouse(
        [level],
        lambda: MouseClock(),
        data_dir=data_dir,
        max_seconds=9.0,
        patient=PATIENT,
        db=url,
        results_json=tmp_path / "session.json",
        offer_choices=False,
    )
    assert result.exit_code == 0 and result.errors == (), result.errors
    assert result.session_complete and result.scenes[:2] == ["menu", "level"]
    with open_store(data_dir=data_dir, db=url, environ={}) as offline:
        notice = offline.offline_notice
        assert notice is not None and offline.unreachable is not None
        # The session, its level run, its two trials and its end wait in the local queue.
        assert offline.queued_writes() == 5
    assert menus[0].notice == notice
    err = capsys.readouterr().err
    assert err.count(notice) == 1, err
    [run] = _document(tmp_path / "session.json")["levels"]
    assert len(run["trials"]) == 2
