"""The trace level played headless to its end through ``run_session`` with a simulated clock: with the mouse (a
scripted player that looks at the screen's guide and keeps the pointer on it for one lap, then rests the pointer
in a corner for the next), and from a landmark recording of a real hand that follows the guide's path at the
level's speed (the recording's timeline taken from the level's own rules)."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from clinic.calibration_store import CalibrationStore
from game.input_source import InputKind
from game.scenes.level import LevelScene
from game.session import DEFAULT_WINDOW_PX, SessionOptions, run_session
from levels.loader import load_level
from levels.trace import rules
from levels.trace.rules import TraceState
from levels.trace.schema import TraceLevel
from levels.trial import Outcome
from tests.support.game_flows import ScriptedClock, image_point, play_area
from tests.support.game_inputs import hand_at
from tracking.calibration import Calibration, ReachRange
from tracking.recording import RecordingWriter
from tracking.types import Effector, LandmarkFrame, SourceInfo

LEVEL_TOML = """\
schema_version = 1
name = "trace-flow"
title = "Two laps of a circle"
kind = "trace"
models = ["hands"]
trials = 2
path = "circle"
speed_norm_per_s = 0.3
path_width_norm = 0.1
inter_trial_pause_s = 1.0
"""
REACH = ReachRange(0.25, 0.75, 0.2, 0.8)
FPS = 30.0


@pytest.fixture
def level_path(tmp_path: Path) -> Path:
    path = tmp_path / "trace-flow.toml"
    path.write_text(LEVEL_TOML, encoding="utf-8")
    return path


class LevelWatch:
    """The trace level's latest state, as the level scene steps it (what the player sees on the screen)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.state: TraceState | None = None
        original = LevelScene.update

        def update(scene: LevelScene, *args: object) -> object:
            route = original(scene, *args)  # type: ignore[arg-type]
            assert isinstance(scene.state, TraceState)
            self.state = scene.state
            return route

        monkeypatch.setattr(LevelScene, "update", update)


class MousePlayer(ScriptedClock):
    """The simulated clock and a player on the mouse: each frame it puts the pointer on the guide it sees, during
    the first lap and the rest before it; from the second lap on it leaves the pointer in the bottom-left corner."""

    def __init__(self, watch: LevelWatch) -> None:
        super().__init__()
        self.watch = watch

    def tick(self) -> float:
        frame_s = super().tick()
        state = self.watch.state
        if state is not None and not state.progress.finished:
            x, y = state.guide if not state.progress.results else (0.02, 0.98)
            width, height = DEFAULT_WINDOW_PX
            pos = (round(x * width), round(y * height))
            pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
        return frame_s


def test_the_level_plays_to_its_end_with_the_mouse(
    level_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch = LevelWatch(monkeypatch)
    result = run_session(
        SessionOptions(
            level=str(level_path),
            input_kind=InputKind.MOUSE,
            data_dir=tmp_path / "data",
            headless=True,
            max_seconds=25.0,
        ),
        clock_factory=lambda: MousePlayer(watch),
    )
    state = result.level_results
    assert isinstance(state, TraceState), result.scenes
    followed, left = state.progress.results
    assert followed.outcome is Outcome.HIT and left.outcome is Outcome.MISSED
    assert float(followed.measures["on_path_fraction"]) > 0.95
    assert float(followed.measures["tracking_error_rms_norm"]) < 0.03  # a frame or two behind the guide at most
    assert float(left.measures["on_path_fraction"]) == 0.0
    assert float(left.measures["tracking_error_rms_norm"]) > 0.3
    assert followed.duration_s == pytest.approx(state.params.lap_s, abs=0.05)
    assert state.progress.score == followed.points > 95 and result.errors == ()


def guide_timeline(level: TraceLevel, frames: int) -> list[tuple[float, float] | None]:
    """Where the guide is on each frame of a recording that starts with the level, the hand seen throughout: the
    level's own rules stepped at the recording's frame rate (``None`` once the level has finished)."""
    screen = play_area("trace", DEFAULT_WINDOW_PX)
    state = rules.start(level, screen, frozenset({Effector.HAND}))
    timeline: list[tuple[float, float] | None] = []
    for _ in range(frames):
        timeline.append(None if state.progress.finished else state.guide)
        state = rules.step(state, [], 1.0 / FPS)
    return timeline


def test_a_recorded_hand_following_the_path_plays_the_level_to_its_end(level_path: Path, tmp_path: Path) -> None:
    level = load_level(level_path)
    assert isinstance(level, TraceLevel)
    timeline = guide_timeline(level, frames=round(20.0 * FPS))
    assert timeline[-1] is None  # the level is over within the recording
    recording = tmp_path / "trace.jsonl"
    rest = timeline[0]
    assert rest is not None
    with RecordingWriter(recording, SourceInfo(FPS, 640, 360, "synthetic trace")) as writer:
        for index, guide in enumerate(timeline):
            palm = image_point(REACH, guide if guide is not None else rest)
            writer.write(LandmarkFrame(index / FPS, (hand_at(palm),)))
    data_dir = tmp_path / "data"
    CalibrationStore(data_dir).save("anna", Calibration(REACH))
    result = run_session(
        SessionOptions(
            level=str(level_path), source=recording, patient="anna", data_dir=data_dir, headless=True, max_seconds=25.0
        ),
        clock_factory=ScriptedClock,
    )
    state = result.level_results
    assert isinstance(state, TraceState), result.scenes
    laps = state.progress.results
    assert [lap.outcome for lap in laps] == [Outcome.HIT, Outcome.HIT], laps
    for lap in laps:
        # The cursor is smoothed and the replay reaches the game a frame or so late: the cursor runs a little
        # behind the guide (measured 0.06 screen heights at 0.3 a second, about 0.2 s), inside the path's width.
        assert float(lap.measures["on_path_fraction"]) > 0.9, lap.measures
        assert 0.0 < float(lap.measures["tracking_error_rms_norm"]) < 0.1, lap.measures
    assert result.errors == ()
