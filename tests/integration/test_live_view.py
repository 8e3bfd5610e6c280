"""The therapist's live view with a real game: a headless session played from a recording (its first reach stops
halfway: a break the level marks live) publishes to a client of the server; ``motorplay play --live-view`` prints
the URL and serves it; nothing listens without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic.live_view import server as live_server
from game import cli
from game.live_view import LiveView
from game.session import SessionOptions, run_session
from tests.support.game_flows import ScriptedClock
from tests.support.live_view_client import EventStream, get
from tests.support.live_view_game import (
    PATIENT,
    PLAY_S,
    START_ALLOWANCE_S,
    live_game_args,
    make_live_game,
    play,
    read_url,
)

# A break must show on the page at most this long after the game detects it (issue 7, clinic mode).
MAX_BREAK_DELAY_S = 0.5


def test_a_headless_game_publishes_what_a_client_of_the_live_view_receives(tmp_path: Path) -> None:
    game = make_live_game(tmp_path)
    live_view = LiveView.start()
    assert live_view.url is not None
    stream = EventStream(live_view.url).open()
    try:
        result = run_session(
            SessionOptions(
                level=str(game.level), source=game.recording, patient=game.patient, data_dir=game.data_dir,
                headless=True, max_seconds=PLAY_S,
            ),
            clock_factory=ScriptedClock,
            live_view=live_view,
        )
        assert result.scenes[:4] == ["loading", "menu", "level", "results"], result.scenes
        results = stream.wait_for("result", count=2)
    finally:
        stream.close()
        live_view.close()
    assert stream.of_kind("session")[0].data["patient"] == PATIENT
    assert [event.data["scene"] for event in stream.of_kind("scene")][:4] == ["loading", "menu", "level", "results"]
    assert stream.of_kind("level")[0].data["title"] == "Live reach"
    assert [(e.data["trial"], e.data["trials"]) for e in stream.of_kind("trial")] == [(1, 2), (2, 2)]
    assert [event.data["outcome"] for event in results] == ["hit", "hit"]
    samples = stream.of_kind("sample")
    assert len(samples) > 20 and all(event.data["effector"] == "cursor" for event in samples)
    breaks = stream.of_kind("break")
    assert breaks, "the arrest of the first reach was not marked"
    assert all(event.data["trial"] == 1 for event in breaks), breaks  # the other reach is smooth
    delays_s = [event.delay_s for event in breaks]
    assert max(delays_s) < MAX_BREAK_DELAY_S, delays_s


def test_play_live_view_prints_a_url_that_serves_the_games_events(tmp_path: Path) -> None:
    process = play(["--live-view", *live_game_args(tmp_path)])
    try:
        url = read_url(process)
        assert url.startswith("http://127.0.0.1:")
        assert get(url, "/events", token=None)[0] == 403
        stream = EventStream(url).open()
        try:
            breaks = stream.wait_for("break", timeout_s=PLAY_S + START_ALLOWANCE_S)
            stream.wait_for("result", count=2, timeout_s=PLAY_S + START_ALLOWANCE_S)
        finally:
            stream.close()
        _, stderr = process.communicate(timeout=PLAY_S + START_ALLOWANCE_S)
    finally:
        process.kill()
    assert process.returncode == 0, stderr
    assert stream.of_kind("session")[0].data["patient"] == PATIENT
    assert max(event.delay_s for event in breaks) < MAX_BREAK_DELAY_S


def test_a_host_other_than_loopback_is_warned_of(tmp_path: Path) -> None:
    process = play(["--live-view-host", "0.0.0.0", "--input", "mouse", "--headless", "--max-seconds", "3",
                     "--data-dir", str(tmp_path)])
    try:
        url = read_url(process)
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert url.startswith("http://0.0.0.0:"), url
    assert "warning: the live view listens on 0.0.0.0" in stderr, stderr
    assert process.returncode == 0, stderr


def test_without_live_view_nothing_listens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    started: list[str] = []
    real_start = live_server.LiveViewServer.start

    def start_and_note(self: live_server.LiveViewServer) -> live_server.LiveViewAddress:
        started.append(self.host)
        return real_start(self)

    monkeypatch.setattr(live_server.LiveViewServer, "start", start_and_note)
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    code = cli.main(["play", "--input", "mouse", "--headless", "--max-seconds", "1", "--data-dir", str(tmp_path)])
    assert code == 0
    assert started == [] and "Live view" not in capsys.readouterr().out
    code = cli.main(["play", "--live-view", "--input", "mouse", "--headless", "--max-seconds", "1",
                     "--data-dir", str(tmp_path)])
    assert code == 0 and started == ["127.0.0.1"]  # the check above would have seen a server start
    assert "Live view for the therapist: http://127.0.0.1:" in capsys.readouterr().out
