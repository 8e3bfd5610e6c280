"""A camera unplugged mid-level, through the whole game (``run_session`` headless, simulated clock; issue 9, "Faults").

The camera is the real live camera tracker (tracking.live) over a scripted camera paced on the game's clock: a real
hand's landmarks reach each target of a three-target level; after the first hit the camera stops delivering for
four seconds, then delivers again. The level waits with the camera's message, keeps its first trial, and goes on
to hit the other two; the source never ends.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pygame
import pytest

from clinic.calibration_store import CalibrationStore
from game import tracking_input
from game.scenes.level import LevelScene
from game.session import DEFAULT_WINDOW_PX, SessionOptions, run_session
from game.texts import CAMERA_WAITING_MESSAGE
from game.tracking_input import camera_waiting
from tests.support.camera_faults import ReplayCamera
from tests.support.game_flows import (
    FIRST_MOVE_S,
    HOLD_S,
    MOVE_S,
    REACH,
    KeyPress,
    ScriptedClock,
    level_targets,
    position,
    reach_waypoints,
    three_target_level_toml,
)
from tracking.calibration import Calibration
from tracking.live import CAMERA_RETRY_INTERVAL_S, LiveTracker, SourceSpec, track_live

LEVEL_TOML = three_target_level_toml(name="flows", title="Three targets", seed=7)
# The camera stops while the hand holds the first target, after its hit (about 2.9 s), for LOSS_S.
LOSS_AT_S = 3.5
LOSS_S = 4.0
START_AT_S = 3.0  # Space on the menu
QUIT_AT_S = 35.0  # Q on the results: the level takes about 17 s from START_AT_S


class LevelClockWatch:
    """Records the game clock when the level is shown, and what each level update saw."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, clock: Callable[[], float]) -> None:
        self.level_shown_s: float | None = None
        self.seen: list[tuple[float, str | None, int]] = []  # (clock, camera message, trials finished)
        show, update = LevelScene.on_show, LevelScene.update

        def on_show(scene: LevelScene) -> None:
            self.level_shown_s = clock()
            show(scene)

        def watched_update(scene: LevelScene, events: list, dt_s: float):  # type: ignore[no-untyped-def]
            route = update(scene, events, dt_s)
            self.seen.append((clock(), camera_waiting(scene.context.input_source), len(scene.state.progress.results)))
            return route

        monkeypatch.setattr(LevelScene, "on_show", on_show)
        monkeypatch.setattr(LevelScene, "update", watched_update)


def test_a_camera_unplugged_mid_level_pauses_it_keeps_its_trial_and_it_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    level_path = tmp_path / "flows.toml"
    level_path.write_text(LEVEL_TOML, encoding="utf-8")
    waypoints = reach_waypoints(
        REACH, level_targets(level_path, DEFAULT_WINDOW_PX), first_move_s=FIRST_MOVE_S, move_s=MOVE_S, hold_s=HOLD_S
    )
    clock = ScriptedClock([KeyPress(START_AT_S, pygame.K_SPACE), KeyPress(QUIT_AT_S, pygame.K_q)])
    watch = LevelClockWatch(monkeypatch, clock.now_s)

    def level_time_s(t_s: float) -> float | None:
        return None if watch.level_shown_s is None else t_s - watch.level_shown_s

    def unplugged(t_s: float) -> bool:
        at_s = level_time_s(t_s)
        return at_s is not None and LOSS_AT_S <= at_s < LOSS_AT_S + LOSS_S

    def palm_at(t_s: float) -> tuple[float, float]:
        """The hand follows the waypoints in level time; it stands still while the camera is away."""
        at_s = level_time_s(t_s)
        if at_s is None:
            return position(waypoints, 0.0)
        return position(waypoints, at_s if at_s < LOSS_AT_S else max(LOSS_AT_S, at_s - LOSS_S))

    cameras: list[ReplayCamera] = []

    def open_camera(spec: SourceSpec, models: object, *, clock: Callable[[], float], **kwargs: object) -> LiveTracker:
        camera = ReplayCamera(clock, palm_at, unplugged)
        tracker = track_live(camera, clock=clock)  # type: ignore[arg-type]
        camera.stopping = tracker._stop.is_set  # type: ignore[attr-defined]
        cameras.append(camera)
        return tracker

    monkeypatch.setattr(tracking_input, "open_live_tracker", open_camera)
    data_dir = tmp_path / "data"
    CalibrationStore(data_dir).save("anna", Calibration(REACH))
    result = run_session(
        SessionOptions(level=str(level_path), patient="anna", data_dir=data_dir, headless=True, max_seconds=60.0),
        clock_factory=lambda: clock,
    )
    assert not result.timed_out and result.scenes == ["loading", "menu", "level", "results"], result.scenes
    assert len(cameras) == 1 and cameras[0].closed  # never reopened by the game: the tracker brought it back
    assert watch.level_shown_s is not None
    waiting = [(t_s, done) for t_s, message, done in watch.seen if message == CAMERA_WAITING_MESSAGE]
    assert waiting, "the level never said that the camera had stopped"
    first_s, last_s = waiting[0][0] - watch.level_shown_s, waiting[-1][0] - watch.level_shown_s
    assert LOSS_AT_S <= first_s < LOSS_AT_S + 0.5 and LOSS_AT_S + LOSS_S <= last_s < LOSS_AT_S + LOSS_S + 1.5
    assert all(done == 1 for _, done in waiting)  # the first trial was finished before, and kept
    times = cameras[0].reopen_times
    assert all(later - earlier >= CAMERA_RETRY_INTERVAL_S for earlier, later in zip(times, times[1:], strict=False))
    assert LOSS_S / CAMERA_RETRY_INTERVAL_S - 1 <= len(times) <= LOSS_S / CAMERA_RETRY_INTERVAL_S + 1
    assert result.summary is not None and "3 of 3 targets hit" in result.summary, result.summary
    assert "stopped" not in result.summary and "ended" not in result.summary, result.summary  # it never ended
