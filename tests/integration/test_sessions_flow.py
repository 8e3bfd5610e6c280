"""Whole sessions played headless through ``run_session`` with the mouse and a simulated clock: two levels in a
row, sets with a rest, the Stop and Pause buttons held with the pointer, the session-results file after every
trial and at the end (also when play stops at once), and a session recorded to SQLite and read back through the
records' store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pygame
import pytest

from clinic.records.errors import UnknownPatientError
from clinic.records.store import open_store
from clinic.records.types import TrialOutcome
from game.input_source import InputKind
from game.scenes.controls import PAUSE_BUTTON_NORM, STOP_BUTTON_NORM
from game.session import DEFAULT_WINDOW_PX, HEADLESS_READING_S, SessionOptions, SessionResult, run_session
from game.session_flow import STOPPED_NOTE
from game.session_results import SessionJournal
from levels.feedback import TrialFeedback
from levels.trial import TrialResult
from tests.support import postgres
from tests.support.game_flows import KeyPress, level_targets
from tests.support.mouse_clicks import session_menu
from tests.support.session_flows import MouseAt, MouseClock, hold_at, play_with_mouse, reach_level_file

postgres_server = postgres.postgres_server  # fixtures, shared with the other records tests
records_db = postgres.records_db


@pytest.fixture(autouse=True)
def _no_records_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTORPLAY_DB", raising=False)
    monkeypatch.delenv("MOTORPLAY_DATA_DIR", raising=False)


def play(
    tmp_path: Path,
    levels: tuple[Path, ...],
    *,
    max_seconds: float,
    moves: list[MouseAt] | None = None,
    keys: list[KeyPress] | None = None,
    **options: Any,
) -> SessionResult:
    return play_with_mouse(
        levels,
        lambda: MouseClock(moves or [], keys=keys or []),
        data_dir=tmp_path / "data",
        max_seconds=max_seconds,
        results_json=tmp_path / "session.json",
        offer_choices=False,
        **options,
    )


def document(tmp_path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((tmp_path / "session.json").read_text(encoding="utf-8"))
    return data


class FileAfterEachTrial:
    """Reads the results file each time the journal has been given a trial."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
        self.seen: list[dict[str, Any]] = []
        original = SessionJournal.add_trial

        def add_trial(journal: SessionJournal, result: TrialResult, feedback: TrialFeedback | None, **kw: Any) -> None:
            original(journal, result, feedback, **kw)
            self.seen.append(json.loads(path.read_text(encoding="utf-8")))

        monkeypatch.setattr(SessionJournal, "add_trial", add_trial)


def centre(button: tuple[float, float, float, float]) -> tuple[float, float]:
    return button[0], button[1]


def test_two_levels_in_a_row_with_the_file_rewritten_after_each_trial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = reach_level_file(tmp_path, "first", trials=2)
    second = reach_level_file(tmp_path, "second", trials=2, title="The second one")
    spy = FileAfterEachTrial(monkeypatch, tmp_path / "session.json")
    target = level_targets(first, DEFAULT_WINDOW_PX)[0]
    # The level starts after the headless reading time; the pointer then rests on the first target.
    moves = hold_at(target, HEADLESS_READING_S, HEADLESS_READING_S + 2.5)
    result = play(tmp_path, (first, second), max_seconds=20.0, moves=moves)

    assert [name for name in result.scenes if name in ("level", "results")] == ["level", "results"] * 2
    assert result.session_complete
    data = document(tmp_path)
    assert data["format"] == "motorplay-session" and data["version"] == 1
    assert data["patient"] == "default" and data["complete"] is True
    assert data["ended_at"] is not None and data["started_at"] <= data["ended_at"]
    assert [(run["level"], run["family"]) for run in data["levels"]] == [("first", "reach"), ("second", "reach")]
    trials = [trial for run in data["levels"] for trial in run["trials"]]
    assert [trial["trial"] for trial in trials] == [1, 2, 1, 2]
    assert trials[0]["outcome"] == "success"  # the pointer held the first target
    assert [trial["outcome"] for trial in trials[1:]] == ["miss"] * 3
    for trial in trials:
        assert set(trial) >= {"trial", "outcome", "time_s", "params", "sparc", "ldlj", "breaks", "stars"}
        assert trial["sparc"] is None and trial["breaks"] == []  # the mouse is not analysed
        assert trial["params"]["target_radius_norm"] == 0.09
    assert trials[1]["time_s"] == pytest.approx(2.0, abs=0.05)  # a miss: the whole timeout on the level clock
    # After each trial the file held every trial so far, and the session was not over yet.
    assert [sum(len(run["trials"]) for run in seen["levels"]) for seen in spy.seen] == [1, 2, 3, 4]
    assert all(seen["ended_at"] is None and seen["complete"] is False for seen in spy.seen)


def test_stopped_at_once_still_writes_the_file(tmp_path: Path) -> None:
    level = reach_level_file(tmp_path, "first")
    result = play(tmp_path, (level,), max_seconds=10.0, keys=[KeyPress(0.3, pygame.K_q)])
    assert result.scenes == ["menu"]
    data = document(tmp_path)
    assert data["levels"] == [] and data["complete"] is False and data["ended_at"] is not None


def test_time_running_out_mid_level_keeps_the_trials_done(tmp_path: Path) -> None:
    level = reach_level_file(tmp_path, "first", trials=5)
    play(tmp_path, (level,), max_seconds=HEADLESS_READING_S + 5.5)
    data = document(tmp_path)
    assert data["complete"] is False
    assert [trial["outcome"] for trial in data["levels"][0]["trials"]] == ["miss", "miss"]


def test_the_stop_button_ends_the_level_keeps_its_trials_and_does_not_go_on_by_itself(tmp_path: Path) -> None:
    first = reach_level_file(tmp_path, "first", trials=5)
    second = reach_level_file(tmp_path, "second")
    # Held on Stop from 6 s: pressed 1.5 s later, after two missed targets (each 0.5 s rest + 2 s).
    moves = hold_at(centre(STOP_BUTTON_NORM), 6.0, 8.0)
    result = play(tmp_path, (first, second), max_seconds=14.0, moves=moves)
    assert result.scenes[-2:] == ["level", "results"]  # no second level by itself: the patient stopped
    assert result.level_results is not None
    assert len(result.level_results.progress.results) == 2
    assert not result.session_complete
    data = document(tmp_path)
    assert [run["level"] for run in data["levels"]] == ["first"]
    assert len(data["levels"][0]["trials"]) == 2 and data["complete"] is False


def test_after_stop_the_results_offer_the_next_level_and_the_menu(tmp_path: Path) -> None:
    from game.scenes.controls import STOPPED_BUTTONS_NORM

    first = reach_level_file(tmp_path, "first", trials=5)
    second = reach_level_file(tmp_path, "second", trials=1)
    # Stop pressed at about 7.5 s; then "Next level" (the second of the four buttons) held from 9 s.
    moves = [*hold_at(centre(STOP_BUTTON_NORM), 6.0, 8.0), *hold_at(centre(STOPPED_BUTTONS_NORM[1]), 9.0, 11.0)]
    result = play(tmp_path, (first, second), max_seconds=16.0, moves=moves)
    assert result.scenes[:4] == ["menu", "level", "results", "level"]
    assert [run["level"] for run in document(tmp_path)["levels"]] == ["first", "second"]
    # "Back to the menu" (the third) after Stop: the menu again, the planned session ready.
    moves = [*hold_at(centre(STOP_BUTTON_NORM), 6.0, 8.0), *hold_at(centre(STOPPED_BUTTONS_NORM[2]), 9.0, 11.0)]
    (tmp_path / "again").mkdir()
    result = play(tmp_path / "again", (first, second), max_seconds=12.0, moves=moves)
    assert result.scenes[:4] == ["menu", "level", "results", "menu"]


def test_the_stop_note_is_on_the_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from game.scenes.results import ResultsScene

    notes: list[str | None] = []
    original = ResultsScene.on_show

    def on_show(scene: ResultsScene) -> None:
        notes.append(scene.note)
        original(scene)

    monkeypatch.setattr(ResultsScene, "on_show", on_show)
    level = reach_level_file(tmp_path, "first", trials=5)
    play(tmp_path, (level,), max_seconds=6.0, moves=hold_at(centre(STOP_BUTTON_NORM), 2.5, 4.5))
    assert notes == [STOPPED_NOTE]


def test_pause_held_pauses_once_and_the_level_clock_stops(tmp_path: Path) -> None:
    level = reach_level_file(tmp_path, "first", trials=5, timeout_s=20.0)
    # Held from 3 s to the end: pressed once at 4.5 s, and not again while the pointer stays on it.
    result = play(tmp_path, (level,), max_seconds=9.0, moves=hold_at(centre(PAUSE_BUTTON_NORM), 3.0, 9.0))
    state = result.level_state
    assert state is not None and state.progress.clock.paused
    # The level started at the reading time and ran until the press: about 2.5 s on its clock, not 7.
    assert state.progress.clock.elapsed_s == pytest.approx(4.5 - HEADLESS_READING_S, abs=0.1)


def test_sets_with_a_rest_between_them(tmp_path: Path) -> None:
    level = reach_level_file(tmp_path, "sets", trials=1, sets=3, rest_s=1.5)
    result = play(tmp_path, (level,), max_seconds=16.0)
    assert [name for name in result.scenes if name != "menu"] == ["level", "rest", "level", "rest", "level", "results"]
    assert result.session_complete
    assert result.level_results is not None
    assert [r.index for r in result.level_results.progress.results] == [0, 1, 2]  # one table, numbered on
    trials = document(tmp_path)["levels"][0]["trials"]
    assert [(trial["trial"], trial["set"]) for trial in trials] == [(1, 1), (2, 2), (3, 3)]


def test_stop_during_the_rest_keeps_the_sets_done(tmp_path: Path) -> None:
    level = reach_level_file(tmp_path, "sets", trials=1, sets=3, rest_s=10.0)
    from game.scenes.rest import STOP_BUTTON_NORM as REST_STOP

    # The first set ends at about 4.5 s (reading 2 s, rest 0.5 s, timeout 2 s); the rest then shows for 10 s.
    result = play(tmp_path, (level,), max_seconds=9.0, moves=hold_at(centre(REST_STOP), 5.0, 7.0))
    assert result.scenes[-3:] == ["level", "rest", "results"]
    assert result.level_results is not None and len(result.level_results.progress.results) == 1
    assert not result.session_complete


def test_a_session_recorded_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, records_db: postgres.RecordsDb
) -> None:
    """On SQLite and on a real PostgreSQL server: every trial is in the records (seen by another connection) the
    moment it ends, and the session is marked complete at the end."""
    where: dict[str, Any] = {"data_dir": records_db.data_dir, "db": records_db.url}
    with open_store(**where) as store:
        store.add_patient("P-7F3A2C")
    first = reach_level_file(tmp_path, "first", trials=2)
    second = reach_level_file(tmp_path, "second", trials=1)
    committed: list[int] = []
    original = SessionJournal.add_trial

    def add_trial(journal: SessionJournal, result: TrialResult, feedback: TrialFeedback | None, **kw: Any) -> None:
        original(journal, result, feedback, **kw)
        with open_store(**where, import_calibrations=False) as reader:
            committed.append(reader.sessions("P-7F3A2C")[0].trials)

    monkeypatch.setattr(SessionJournal, "add_trial", add_trial)
    result = run_session(
        SessionOptions(
            levels=(str(first), str(second)),
            input_kind=InputKind.MOUSE,
            data_dir=records_db.data_dir,
            db=records_db.url,
            patient="P-7F3A2C",
            headless=True,
            max_seconds=20.0,
            results_json=tmp_path / "session.json",
            offer_choices=False,
        ),
        clock_factory=lambda: MouseClock(),
    )
    assert result.errors == () and result.session_complete
    assert committed == [1, 2, 3]
    data = document(tmp_path)
    with open_store(**where) as store:
        (summary,) = store.sessions("P-7F3A2C")
        assert summary.session.complete and summary.session.ended_at is not None
        assert summary.trials == 3 and summary.level_runs == 2
        runs = store.level_runs(summary.session.uuid)
        assert [(run.level_name, run.family, run.position) for run in runs] == [
            ("first", "reach", 0),
            ("second", "reach", 1),
        ]
        stored = [store.trials(run.uuid) for run in runs]
    for run_trials, run_json in zip(stored, data["levels"], strict=True):
        assert [t.index + 1 for t in run_trials] == [t["trial"] for t in run_json["trials"]]
        assert all(t.outcome is TrialOutcome.MISS for t in run_trials)
        assert [t.time_s for t in run_trials] == pytest.approx([t["time_s"] for t in run_json["trials"]])
        assert [t.params for t in run_trials] == [t["params"] for t in run_json["trials"]]


def test_an_unknown_patient_is_said_and_play_goes_on(tmp_path: Path) -> None:
    level = reach_level_file(tmp_path, "first", trials=1)
    result = play(tmp_path, (level,), max_seconds=8.0, patient="nobody", record=True)
    assert "level" in result.scenes and "results" in result.scenes
    assert any(isinstance(error, UnknownPatientError) for error in result.errors), result.errors
    data = document(tmp_path)
    assert len(data["levels"][0]["trials"]) == 1  # the results file does not need the records


def test_a_whole_session_with_the_pointer_alone(tmp_path: Path) -> None:
    """No key from the start to the end: Start, the next level and Finish are held with the pointer (not headless,
    so no screen moves on by itself)."""
    from game.scenes.controls import FINISH_BUTTON_NORM, NEXT_BUTTON_NORM
    from game.scenes.menu import START_BUTTON_NORM

    first = reach_level_file(tmp_path, "first", trials=1)
    second = reach_level_file(tmp_path, "second", trials=1)
    # Start held from 0.5 s (pressed at 2 s); the level: 0.5 s rest + 2 s timeout; its results from about 4.5 s.
    moves = [
        *hold_at(centre(START_BUTTON_NORM), 0.5, 2.5),
        *hold_at(centre(NEXT_BUTTON_NORM), 5.0, 7.0),  # pressed at 6.5 s; the second level to about 9 s
        *hold_at(centre(FINISH_BUTTON_NORM), 9.5, 11.5),  # pressed at 11 s: the game ends
    ]
    result = run_session(
        SessionOptions(
            levels=(str(first), str(second)),
            input_kind=InputKind.MOUSE,
            data_dir=tmp_path / "data",
            max_seconds=30.0,
            results_json=tmp_path / "session.json",
        ),
        clock_factory=lambda: MouseClock(moves),
    )
    assert not result.timed_out  # Finish ended it
    assert result.scenes == ["menu", "level", "results", "level", "results"]
    data = document(tmp_path)
    assert data["complete"] is True and [run["level"] for run in data["levels"]] == ["first", "second"]


def test_the_menu_choice_plays_that_level_alone(tmp_path: Path) -> None:
    planned = reach_level_file(tmp_path, "first")
    # The menu as the session shows it, to know where its first level button is.
    menu = session_menu(tmp_path / "data", planned)
    chosen = menu.pages()[0][0]
    # From a corner onto the choice (a hold counts only on a button moved onto), held before the menu would start
    # the planned level by itself (after 2 s).
    moves = hold_at(centre(menu.choice_buttons()[0]), 0.1, 2.0)
    result = run_session(
        SessionOptions(
            levels=(str(planned),),
            input_kind=InputKind.MOUSE,
            data_dir=tmp_path / "data",
            headless=True,
            max_seconds=4.0,
            results_json=tmp_path / "session.json",
        ),
        clock_factory=lambda: MouseClock(moves),
    )
    assert result.scenes[:2] == ["menu", "level"]
    assert [run["level"] for run in document(tmp_path)["levels"]] == [chosen.name]


def test_a_recorded_hand_gives_measured_trials_in_the_results_file(tmp_path: Path) -> None:
    """From a landmark recording of a real hand reaching each target: the trials are measured (SPARC, LDLJ,
    stars) and their params say where each target was."""
    from clinic.calibration_store import CalibrationStore
    from tests.support.game_flows import ScriptedClock, reach_waypoints, write_hand_recording
    from tracking.calibration import Calibration, ReachRange

    reach = ReachRange(0.25, 0.75, 0.2, 0.8)
    level = reach_level_file(tmp_path, "reaches", trials=3, timeout_s=20.0)
    targets = level_targets(level, DEFAULT_WINDOW_PX)
    # The level's first rest (0.5 s) then each target reached in 0.8 s and held 1.6 s (longer than the dwell).
    waypoints = reach_waypoints(reach, targets, first_move_s=1.0, move_s=0.8, hold_s=1.6)
    recording = write_hand_recording(tmp_path / "reach.jsonl", waypoints, fps=30.0)
    CalibrationStore(tmp_path / "data").save("anna", Calibration(reach))
    run_session(
        SessionOptions(
            levels=(str(level),),
            source=recording,
            patient="anna",
            data_dir=tmp_path / "data",
            headless=True,
            max_seconds=HEADLESS_READING_S + waypoints[-1][0] + 6.0,
            results_json=tmp_path / "session.json",
            offer_choices=False,
        ),
        clock_factory=ScriptedClock,
    )
    data = document(tmp_path)
    trials = data["levels"][0]["trials"]
    assert data["complete"] is True
    assert [trial["outcome"] for trial in trials] == ["success"] * 3
    for trial, target in zip(trials, targets, strict=True):
        assert trial["sparc"] is not None and trial["sparc"] < 0.0
        assert trial["ldlj"] is not None and trial["ldlj"] < 0.0
        assert trial["stars"] in (0, 1, 2, 3)
        assert all(item["kind"] in {"arrest", "jerk", "reversal", "posture", "tremor"} for item in trial["breaks"])
        assert (trial["params"]["target_x_norm"], trial["params"]["target_y_norm"]) == pytest.approx(target)


def test_play_command_takes_levels_results_json_and_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Through ``motorplay play`` (real time, a few seconds): the options reach the session; a records error (an
    unknown patient) is printed with exit status 2 once play has ended, and the results file is written all the
    same."""
    from game.cli import main

    first = reach_level_file(tmp_path, "first")
    second = reach_level_file(tmp_path, "second")
    out = tmp_path / "out" / "session.json"
    (tmp_path / "out").mkdir()
    common = ["play", "--input", "mouse", "--levels", f"{first},{second}", "--headless", "--max-seconds", "3"]
    common += ["--data-dir", str(tmp_path / "data"), "--results-json", str(out)]
    assert main([*common, "--patient", "P-1"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["patient"] == "P-1" and data["complete"] is False and data["ended_at"] is not None
    capsys.readouterr()
    assert main([*common, "--patient", "P-1", "--record"]) == 2
    err = capsys.readouterr().err
    assert "motorplay play: error:" in err and "P-1" in err
    assert json.loads(out.read_text(encoding="utf-8"))["started_at"] > data["started_at"]  # written again


def test_play_command_refuses_an_empty_levels_list(capsys: pytest.CaptureFixture[str]) -> None:
    from game.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["play", "--levels", ",", "--input", "mouse"])
    assert stopped.value.code == 2
    assert "--levels" in capsys.readouterr().err


def test_the_default_patient_is_not_recorded_by_a_station_with_records(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with open_store(data_dir=data_dir) as store:
        store.add_patient("P-7F3A2C")
    level = reach_level_file(tmp_path, "first", trials=1)
    result = play(tmp_path, (level,), max_seconds=7.0)  # no --patient
    assert result.errors == ()
    with open_store(data_dir=data_dir) as store:
        assert store.sessions("P-7F3A2C") == []
        assert [patient.code for patient in store.patients()] == ["P-7F3A2C"]


def test_quit_on_the_menu_is_a_button_too(tmp_path: Path) -> None:
    from game.scenes.menu import QUIT_BUTTON_NORM

    level = reach_level_file(tmp_path, "first")
    result = run_session(
        SessionOptions(
            levels=(str(level),),
            input_kind=InputKind.MOUSE,
            data_dir=tmp_path / "data",
            max_seconds=10.0,
            results_json=tmp_path / "session.json",
        ),
        clock_factory=lambda: MouseClock(hold_at(centre(QUIT_BUTTON_NORM), 0.2, 2.5)),
    )
    assert result.scenes == ["menu"] and not result.timed_out
    assert document(tmp_path)["levels"] == []


def test_the_summary_of_a_session_says_what_it_did(tmp_path: Path) -> None:
    first = reach_level_file(tmp_path, "first", trials=1)
    second = reach_level_file(tmp_path, "second", trials=1)
    result = play(tmp_path, (first, second), max_seconds=14.0)
    assert result.summary == (
        "session of 2 levels, complete, 2 trials kept; second: 0 of 1 targets hit, score 0 (stopped after 14 s)"
    )
