"""Whole flows of the game, played through ``run_session`` (or ``motorplay``'s ``main``) as a person would: headless
pygame, a simulated clock, key presses scripted at given times, from the real hand video or from landmark
recordings of a real hand. Each test follows one reliability fix from the screen the player sees first to the end
of the run: the loading screen, a file that waits for the level instead of running out behind the menu, "play
again" after the end, calibration from a file that is too short or ends, a camera that stops, a bad recording
line, a calibration that cannot be saved, and the time limit."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

import pygame
import pytest

from clinic.calibration_store import CalibrationStore
from game import session, tracking_input
from game.cli import main
from game.input_source import InputKind
from game.scenes.results import ResultsScene
from game.session import DEFAULT_WINDOW_PX, HEADLESS_READING_S, SessionOptions, SessionResult, run_session
from levels.reach.rules import ReachState
from tests.support.game_flows import (
    FIRST_MOVE_S,
    HOLD_S,
    MOVE_S,
    REACH,
    VIDEO_WAIT_PER_FRAME_S,
    KeyPress,
    ScriptedClock,
    break_line,
    level_targets,
    reach_waypoints,
    three_target_level_toml,
    write_hand_recording,
)
from tests.support.game_inputs import FakeTracker, hand_sample
from tests.support.mounts import tmpfs
from tracking.calibration import Calibration
from tracking.errors import SourceError
from tracking.live import SourceSpec
from tracking.types import SourceInfo, TrackedSample, TrackingModel

FPS = 30.0
LEVEL_TOML = three_target_level_toml(name="flows", title="Three targets", seed=7)


def shot_names(paths: list[Path]) -> list[str]:
    return [path.name.split("_", 1)[1].rsplit("_", 1)[0] for path in paths]


@pytest.fixture
def level_path(tmp_path: Path) -> Path:
    path = tmp_path / "flows.toml"
    path.write_text(LEVEL_TOML, encoding="utf-8")
    return path


def reach_recording(path: Path, level_path: Path) -> Path:
    """A recording in which a real hand reaches each target of the level in turn."""
    waypoints = reach_waypoints(
        REACH, level_targets(level_path, DEFAULT_WINDOW_PX), first_move_s=FIRST_MOVE_S, move_s=MOVE_S, hold_s=HOLD_S
    )
    return write_hand_recording(path, waypoints, fps=FPS)


def calibrated(data_dir: Path, patient: str = "anna") -> Path:
    CalibrationStore(data_dir).save(patient, Calibration(REACH))
    return data_dir


class HitsAtResults:
    """Records the hits of each results screen shown (a run may show several)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.hits: list[int] = []
        self.notes: list[str | None] = []
        original = ResultsScene.on_show

        def on_show(scene: ResultsScene) -> None:
            self.hits.append(scene.state.progress.hits)
            self.notes.append(scene.note)
            original(scene)

        monkeypatch.setattr(ResultsScene, "on_show", on_show)


# --- the README's example: a fresh data folder, the 8 s hand video -------------------------------------------


@pytest.mark.mediapipe
def test_readme_example_reaches_the_level_from_a_fresh_data_folder(media_dir: Path, tmp_path: Path) -> None:
    """`motorplay play --source ../shared/media/hand_video.mp4 --headless --max-seconds 10`: the video is too
    short to calibrate from (4 steps of 2 s); the game says so and, headless, plays with the default range."""
    data_dir = tmp_path / "fresh"
    result = run_session(
        SessionOptions(
            source=media_dir / "hand_video.mp4",
            data_dir=data_dir,
            headless=True,
            max_seconds=10.0,
            screenshot_dir=tmp_path / "shots",
        ),
        clock_factory=lambda: ScriptedClock(real_wait_s=VIDEO_WAIT_PER_FRAME_S),
    )
    assert result.scenes[:4] == ["loading", "menu", "calibration", "level"], result.scenes
    assert shot_names(result.screenshots)[0] == "loading"
    assert result.calibration_note is not None and "too short to calibrate from" in result.calibration_note
    state = result.level_state
    assert isinstance(state, ReachState)
    assert state.target is not None or state.progress.results  # a target was shown: the level was played
    assert not result.calibration_saved and not (data_dir / "patients").exists()  # no fake calibration saved
    assert result.summary.startswith("reach: ") and result.summary.endswith("(stopped after 10 s)")
    assert result.errors == ()


# --- a file does not run out behind the menu; "play again" plays it from the start -----------------------------


def test_the_recording_waits_for_the_level_and_play_again_replays_it(
    tmp_path: Path, level_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recording = reach_recording(tmp_path / "reach.jsonl", level_path)
    recording_s = FIRST_MOVE_S + 3 * (MOVE_S + HOLD_S) + 1.0
    results = HitsAtResults(monkeypatch)
    menu_wait_s = recording_s + 5.0  # the player reads the menu for longer than the recording lasts
    replay_at_s = menu_wait_s + recording_s + 4.0
    clock = ScriptedClock(
        [
            KeyPress(menu_wait_s, pygame.K_SPACE),  # start
            KeyPress(replay_at_s, pygame.K_SPACE),  # results: play again from the start of the recording
            KeyPress(replay_at_s + recording_s + 3.0, pygame.K_q),
        ]
    )
    result = run_session(
        SessionOptions(
            level=str(level_path),
            source=recording,
            patient="anna",
            data_dir=calibrated(tmp_path / "data"),
            max_seconds=replay_at_s + recording_s + 20.0,
        ),
        clock_factory=lambda: clock,
    )
    assert not result.timed_out and result.exit_code == 0
    assert result.scenes == ["loading", "menu", "level", "results", "loading", "level", "results"], result.scenes
    assert results.hits == [3, 3]  # both plays got the whole recording, from its first frame
    assert result.summary == f"flows: 3 of 3 targets hit, score 300; {recording} has played to its end (finished)"


# --- calibration from a file that ends: the default range, never a wait for a hand ---------------------------


def test_calibration_cut_short_by_the_file_goes_on_with_the_default_range(
    tmp_path: Path, level_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recording = reach_recording(tmp_path / "reach.jsonl", level_path)
    recording_s = FIRST_MOVE_S + 3 * (MOVE_S + HOLD_S) + 1.0  # longer than the calibration's 8 s
    results = HitsAtResults(monkeypatch)
    data_dir = tmp_path / "fresh"
    # A recording's length is not known in advance: the calibration starts, and the file ends before its end
    # (the hand never visits the far left: too few positions is not the point here, the end of the file is).
    short = tmp_path / "short.jsonl"
    lines = recording.read_text(encoding="utf-8").splitlines()[: 1 + round(5.0 * FPS)]  # header + 5 s
    short.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_session(
        SessionOptions(
            level=str(level_path),
            source=short,
            data_dir=data_dir,
            headless=True,
            max_seconds=HEADLESS_READING_S + 5.0 + HEADLESS_READING_S + recording_s,
            screenshot_dir=tmp_path / "shots",
        ),
        clock_factory=ScriptedClock,
    )
    assert result.scenes == ["loading", "menu", "calibration", "loading", "level", "results"], result.scenes
    assert result.calibration_note is not None
    assert "has played to its end" in result.calibration_note and "nothing was saved" in result.calibration_note
    assert not (data_dir / "patients").exists()
    assert results.notes[0] is not None and "has played to its end" in results.notes[0]
    assert "calibration" in shot_names(result.screenshots)


def write_calibration_recording(path: Path, *, head_step_s: float) -> dict[str, tuple[float, float]]:
    """A hand at the left during the head step (no face anywhere), then left, right, top and bottom, 3 s each.

    A step counts only while the hand is where it asks, so each place is held a second longer than a step: the
    scripted hand does not wait for the screen, and each step starts up to that second after the hand moved.
    """
    extremes = {"left": (0.7, 0.5), "right": (0.3, 0.5), "up": (0.5, 0.25), "down": (0.5, 0.75)}
    positions = list(extremes.values())
    hold_s = 3.0
    waypoints = [(0.0, positions[0]), (head_step_s + hold_s, positions[0])]
    for index, position in enumerate(positions[1:], start=1):
        start_s = head_step_s + hold_s * index
        waypoints += [(start_s + 0.01, position), (start_s + hold_s, position)]
    write_hand_recording(path, waypoints, fps=FPS, tail_s=3.0)
    return extremes


def test_headless_calibrate_skips_the_face_step_when_no_face_is_seen(tmp_path: Path) -> None:
    from game.scenes.calibration import SKIP_OFFER_AFTER_S

    skipped_after_s = SKIP_OFFER_AFTER_S + HEADLESS_READING_S  # offered, then chosen after the reading time
    recording = tmp_path / "calibration.jsonl"
    write_calibration_recording(recording, head_step_s=skipped_after_s)
    data_dir = tmp_path / "data"
    result = run_session(
        SessionOptions(
            source=recording,
            data_dir=data_dir,
            headless=True,
            max_seconds=skipped_after_s + 12.0 + 6.0,  # four 3 s places, then the saved result
            calibrate_only=True,
            models=frozenset({TrackingModel.HANDS, TrackingModel.FACE}),
        ),
        clock_factory=ScriptedClock,
    )
    assert result.calibration_saved, result.calibration_note
    assert result.calibration_note is not None and "head step was skipped" in result.calibration_note
    saved = CalibrationStore(data_dir).load("default")
    assert saved is not None and saved.head_neutral is None
    assert saved.reach.x_min_norm == pytest.approx(0.3 + 0.05 * 0.4, abs=0.03)
    assert saved.reach.x_max_norm == pytest.approx(0.7 - 0.05 * 0.4, abs=0.03)
    assert not result.timed_out  # it ended by itself once saved


# --- a camera that stops while the menu shows -------------------------------------------------------------------


class StoppingCamera(FakeTracker):
    """A camera that delivers a hand, then stops delivering at ``stops_at_s`` on the game clock."""

    def __init__(self, clock: Callable[[], float], stops_at_s: float) -> None:
        super().__init__()
        self.info = SourceInfo(30.0, 640, 360, "camera 0")
        self._clock = clock
        self._stops_at_s = stops_at_s
        self._next_s = 0.0

    def poll(self) -> list[TrackedSample]:
        now_s = self._clock()
        if now_s >= self._stops_at_s:
            self.error = "Tracking stopped: the camera stopped delivering images (was it unplugged?)."
            self.ended = True
            return []
        samples = []
        while self._next_s <= now_s:
            samples.append(hand_sample(self._next_s, (0.5, 0.5)))
            self._next_s += 1 / 30
        return samples


def test_a_camera_unplugged_at_the_menu_is_said_and_start_tries_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []

    def open_camera(spec: SourceSpec, models: object, *, clock: Callable[[], float], **kwargs: object) -> FakeTracker:
        opened.append(spec.describe())
        if len(opened) > 1:
            raise SourceError("No camera found at index 0. Check that a webcam is plugged in.")
        return StoppingCamera(clock, stops_at_s=1.0)

    monkeypatch.setattr(tracking_input, "open_live_tracker", open_camera)
    clock = ScriptedClock([KeyPress(3.0, pygame.K_SPACE), KeyPress(5.0, pygame.K_m), KeyPress(6.0, pygame.K_q)])
    result = run_session(
        SessionOptions(patient="anna", data_dir=calibrated(tmp_path / "data"), max_seconds=30.0),
        clock_factory=lambda: clock,
    )
    # menu -> the camera stops -> Space tries it again -> it is gone -> the no-camera screen -> M: the mouse menu
    assert result.scenes == ["loading", "menu", "loading", "no_camera", "menu"], result.scenes
    assert not result.timed_out and opened == ["camera 0", "camera 0"]


# --- a bad line in the middle of a recording --------------------------------------------------------------------


def test_a_bad_line_mid_recording_is_shown_and_the_command_exits_2(
    tmp_path: Path,
    level_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A fresh patient: the calibration meets the bad line (1.6 s in), goes on with the default range, plays the
    recording again from its start, meets it again in the level: shown on both screens, printed once, exit 2."""
    recording = reach_recording(tmp_path / "reach.jsonl", level_path)
    break_line(recording, 50)
    results = HitsAtResults(monkeypatch)
    scenes: list[str] = []
    real_run_session = session.run_session

    def run_and_keep(options: SessionOptions, **kwargs: object) -> SessionResult:
        result = real_run_session(options, clock_factory=ScriptedClock)
        scenes.extend(result.scenes)
        return result

    monkeypatch.setattr(session, "run_session", run_and_keep)
    argv = ["play", "--level", str(level_path), "--source", str(recording), "--data-dir", str(tmp_path / "data")]
    with caplog.at_level(logging.DEBUG):
        assert main([*argv, "--headless", "--max-seconds", "10"]) == 2
    out, err = capsys.readouterr()
    assert scenes == ["loading", "menu", "calibration", "loading", "level", "results"], scenes
    assert err.count(f"{recording}, line 50, field 't'") == 1 and "Traceback" not in err, err
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info]  # no "worker failed"
    assert results.notes and results.notes[0] is not None and "line 50" in results.notes[0]  # on the screen
    assert out.startswith("flows: 0 of 3 targets hit") and "line 50" in out and out.count("\n") == 1


# --- calibrate when the calibration cannot be saved --------------------------------------------------------------


def test_calibrate_on_a_read_only_data_folder_says_why_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    recording = tmp_path / "calibration.jsonl"
    write_calibration_recording(recording, head_step_s=0.0)
    monkeypatch.setattr("game.session.RealFrameClock", lambda **kwargs: ScriptedClock())
    with tmpfs(tmp_path / "data", read_only=True) as data_dir:
        argv = ["calibrate", "--source", str(recording), "--models", "hands", "--data-dir", str(data_dir)]
        assert main([*argv, "--headless", "--max-seconds", "14"]) == 2
    err = capsys.readouterr().err
    assert "cannot save the calibration" in err and "Read-only" in err and "not finished" not in err


# --- the loading screen and the time limit ----------------------------------------------------------------------


def test_the_loading_screen_is_shown_before_the_tracker_opens(
    tmp_path: Path, level_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flips: list[float] = []
    flips_when_opened: list[int] = []
    real_flip, real_open = pygame.display.flip, tracking_input.open_live_tracker

    def flip() -> None:
        flips.append(time.monotonic())
        real_flip()

    def open_after_flips(*args: object, **kwargs: object) -> object:
        flips_when_opened.append(len(flips))
        return real_open(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pygame.display, "flip", flip)
    monkeypatch.setattr(tracking_input, "open_live_tracker", open_after_flips)
    recording = reach_recording(tmp_path / "reach.jsonl", level_path)
    result = run_session(
        SessionOptions(
            level=str(level_path),
            source=recording,
            data_dir=tmp_path / "data",
            headless=True,
            max_seconds=1.0,
            screenshot_dir=tmp_path / "shots",
        ),
        clock_factory=ScriptedClock,
    )
    assert flips_when_opened and flips_when_opened[0] >= 1  # the loading screen was on the screen first
    assert shot_names(result.screenshots)[0] == "loading" and result.scenes[0] == "loading"


def test_the_time_limit_counts_from_the_commands_start(tmp_path: Path) -> None:
    """--max-seconds 8 with 8 s already spent loading: the game ends before drawing anything more."""
    result = run_session(
        SessionOptions(
            input_kind=InputKind.MOUSE,
            data_dir=tmp_path / "data",
            headless=True,
            max_seconds=8.0,
            started_s=time.monotonic() - 8.0,
            screenshot_dir=tmp_path / "shots",
        )
    )
    assert result.timed_out and result.screenshots == []
    assert result.summary == "reach: the level was not reached (ended on the menu screen) (stopped after 8 s)"


def test_screenshots_that_fill_the_disk_stop_without_stopping_the_game(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("game.session.RealFrameClock", lambda **kwargs: ScriptedClock())
    with tmpfs(tmp_path / "small", size_kib=128) as small:  # room for one menu screenshot (about 70 KiB), not two
        argv = ["play", "--input", "mouse", "--data-dir", str(tmp_path / "data"), "--headless", "--max-seconds", "6"]
        assert main([*argv, "--screenshot-dir", str(small / "shots")]) == 2
        written = sorted((small / "shots").glob("*.png"))
        assert written and all(pygame.image.load(str(path)).get_size() == DEFAULT_WINDOW_PX for path in written)
        assert not list((small / "shots").glob(".*"))  # no half-written temporary file left behind
    out, err = capsys.readouterr()
    assert out.startswith("reach: 0 of 8 targets hit") and "(stopped after 6 s)" in out  # the game ran to its end
    assert f"--screenshot-dir: screenshots stopped: {small / 'shots'}" in err and "Traceback" not in err
