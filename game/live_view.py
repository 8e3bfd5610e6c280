"""The game's side of the therapist's live view (``motorplay play --live-view``).

:class:`LiveView` starts the server (:mod:`clinic.live_view.server`, a background thread), and once a frame the game
loop hands it the scene it shows (:meth:`LiveView.observe`): it publishes what changed, reading only what the scenes
already keep: the screen, the level, the trial, the cursor or head (at most :data:`SAMPLE_HZ` a second), each live
break mark the level shows (:attr:`game.scenes.level.LevelScene.mark_times_s`) in the frame that revealed it, and each
trial's result with its measured breaks. Publishing never blocks (:class:`clinic.live_view.publisher.LivePublisher`).
It also draws the URL in a small line at the foot of every screen.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence

import pygame

from clinic.live_view.publisher import JsonValue, LivePublisher
from clinic.live_view.server import LOOPBACK_HOST, LiveViewServer
from game.scenes.base import GameContext, Scene
from game.scenes.controls import unwrap
from game.scenes.level import LevelScene
from game.theme import TEXT_SOFT
from levels.schema import LevelFile
from levels.trial import TrialResult
from tracking.types import Effector

# The trace's rate: smooth enough to follow a reach by eye (movements of dystonia are slower than 5 Hz), light
# enough for any browser.
SAMPLE_HZ = 20.0
URL_MARGIN_PX = 6  # the URL line's distance from the window's corner
# The menu has a free strip at its foot for the whole URL; the other screens use their foot (the level's steadiness
# gauge, the results' keys), so they show a short tag in their top-left corner, left of the level's status.
FULL_URL_SCENES = ("menu",)
DIGITS = 4  # positions are sent rounded: 1e-4 of the screen, 1e-4 degree


def host_warning(host: str) -> str | None:
    """Return the warning to print when the live view listens beyond this machine, else None."""
    if host in (LOOPBACK_HOST, "localhost", "::1"):
        return None
    return (
        f"warning: the live view listens on {host}, not only on this machine: anyone who can reach it and has the "
        "URL (it carries the token) can watch this session. Use it only on a trusted clinic network."
    )


class LiveView:
    """Publishes the session's events for the live view; :meth:`start` also serves them.

    Parameters
    ----------
    publisher : LivePublisher
        Where events go.
    server : LiveViewServer or None
        The server reading them, closed by :meth:`close` (None: a publisher alone, for tests).
    """

    def __init__(self, publisher: LivePublisher, server: LiveViewServer | None = None) -> None:
        self.publisher = publisher
        self.server = server
        self._scene: Scene | None = None
        self._level_scene: LevelScene | None = None
        self._level: LevelFile | None = None
        self._results_seen = 0
        self._trial: tuple[int, int] | None = None
        self._last_mark_s = -math.inf
        self._next_sample_s = -math.inf
        self._url_line: pygame.Surface | None = None
        self._tag_line: pygame.Surface | None = None

    @classmethod
    def start(cls, host: str = LOOPBACK_HOST) -> LiveView:
        """Start serving on ``host`` (a free port); raises :class:`clinic.live_view.server.LiveViewError`."""
        publisher = LivePublisher()
        server = LiveViewServer(publisher, host=host)
        server.start()
        return cls(publisher, server)

    @property
    def url(self) -> str | None:
        """The page's URL (token included), when serving."""
        address = None if self.server is None else self.server.address
        return None if address is None else address.url

    def announce(self) -> None:
        """Print the URL (and the warning of a non-loopback host) for the therapist."""
        if self.server is None or self.url is None:
            return
        print(f"Live view for the therapist: {self.url}", flush=True)
        warning = host_warning(self.server.host)
        if warning is not None:
            print(f"motorplay play: {warning}", file=sys.stderr, flush=True)

    def close(self) -> None:
        """Stop the server (its streams end)."""
        if self.server is not None:
            self.server.stop()

    def session_started(self, patient: str, plan: Sequence[LevelFile]) -> None:
        """Publish the session: the patient and the planned levels."""
        levels: list[JsonValue] = [level.name for level in plan]
        self.publisher.publish("session", {"patient": patient, "levels": levels})

    def observe(self, shown: Scene, context: GameContext, now_s: float) -> None:
        """Publish what changed since the last frame in the scene ``shown`` (call once a frame, after the updates)."""
        scene = unwrap(shown)
        if scene is not self._scene:
            if self._level_scene is not None and self._level_scene is not scene:
                # The level's last frame: its last trial and marks came with the update that left it.
                self._observe_level(self._level_scene, now_s)
                self._level_scene = None
            self._scene = scene
            self.publisher.publish("scene", {"scene": scene.name})
        if isinstance(scene, LevelScene):
            if scene is not self._level_scene:
                self._level_start(scene, context.level)
            self._observe_level(scene, now_s)

    def _level_start(self, scene: LevelScene, level: LevelFile) -> None:
        self._level_scene, self._level, self._results_seen, self._trial = scene, level, 0, None
        self._last_mark_s, self._next_sample_s = -math.inf, -math.inf
        self.publisher.publish("level", {"level": level.name, "title": level.title, "kind": level.kind})

    def _observe_level(self, scene: LevelScene, now_s: float) -> None:
        assert self._level is not None
        level = self._level
        progress = scene.state.progress
        for result in progress.results[self._results_seen:]:
            self.publisher.publish("result", self._result_data(scene, level.name, result))
        self._results_seen = len(progress.results)
        trial = (min(len(progress.results) + 1, progress.trials), progress.trials)
        if trial != self._trial:
            self._trial = trial
            self.publisher.publish("trial", {"level": level.name, "trial": trial[0], "trials": trial[1]})
        effector, at = _trace_point(scene)
        for mark_s in scene.mark_times_s:
            if mark_s > self._last_mark_s:
                self._last_mark_s = mark_s
                self.publisher.publish(
                    "break",
                    {"level": level.name, "trial": trial[0], "t_s": round(progress.clock.elapsed_s, 3), "at": at},
                )
        if at is not None and now_s >= self._next_sample_s:
            self._next_sample_s = now_s + 1.0 / SAMPLE_HZ
            self.publisher.publish("sample", {"effector": effector, "at": at, "t_s": round(now_s, 3)})

    @staticmethod
    def _result_data(scene: LevelScene, level: str, result: TrialResult) -> dict[str, JsonValue]:
        feedback = scene.feedback[result.index] if result.index < len(scene.feedback) else None
        measures: dict[str, JsonValue] = {
            key: None if isinstance(value, float) and not math.isfinite(value) else value  # JSON has no NaN
            for key, value in result.measures.items()
        }
        return {
            "level": level,
            "trial": result.index + 1,
            "outcome": result.outcome.value,
            "points": result.points,
            "duration_s": round(result.duration_s, 3),
            "breaks": None if feedback is None else feedback.break_count,
            "break_kinds": [] if feedback is None else [kind.value for kind in feedback.break_kinds],
            "measures": measures,
        }

    def draw(self, surface: pygame.Surface, font: pygame.font.Font, shown: Scene) -> None:
        """Draw the URL in a small line at the menu's foot; on the other screens, a short tag in the top-left
        corner saying the session is watched and where."""
        address = None if self.server is None else self.server.address
        if address is None:
            return
        if unwrap(shown).name in FULL_URL_SCENES:
            if self._url_line is None:
                self._url_line = font.render(f"Therapist live view: {address.url}", True, TEXT_SOFT)
            top_y = surface.get_height() - self._url_line.get_height() - URL_MARGIN_PX
            surface.blit(self._url_line, (URL_MARGIN_PX, top_y))
            return
        if self._tag_line is None:
            host = f"[{address.host}]" if ":" in address.host else address.host
            self._tag_line = font.render(f"Live view on {host}:{address.port}", True, TEXT_SOFT)
        surface.blit(self._tag_line, (URL_MARGIN_PX, URL_MARGIN_PX))


def _trace_point(scene: LevelScene) -> tuple[str, list[JsonValue] | None]:
    """The level's effector and where it is now: the cursor (screen 0..1) or the head's (yaw, pitch) degrees."""
    state = scene.state
    if scene.family.effector is Effector.HEAD:
        head = getattr(state, "head", None)
        yaw, pitch = getattr(head, "yaw_deg", None), getattr(head, "pitch_deg", None)
        if isinstance(yaw, (int, float)) and isinstance(pitch, (int, float)):
            return "head", [round(float(yaw), DIGITS), round(float(pitch), DIGITS)]
        return "head", None
    cursor = getattr(state, "cursor", None)
    if isinstance(cursor, tuple) and len(cursor) == 2:
        return "cursor", [round(float(cursor[0]), DIGITS), round(float(cursor[1]), DIGITS)]
    return "cursor", None
