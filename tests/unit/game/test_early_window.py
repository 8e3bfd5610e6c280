"""The early window (issue 9, start-up): the loading screen is on the window before the game is imported, the
import runs behind it, the session takes the same window over, and the start-up steps are marked for the
benchmark."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pygame
import pytest

import game.app as app_module
from game.app import WARM_THREAD_NAME, App
from game.display import Display
from game.early_window import (
    IMPORT_THREAD_NAME,
    MARKS_ENV,
    WINDOW_PX,
    StartupMarks,
    import_behind,
    show_loading_screen,
)
from game.frame_clock import SimulatedFrameClock
from game.mouse_input import MouseInput
from game.scenes.base import BaseScene
from game.scenes.routes import AppExit, Route, ToMenu
from game.theme import BACKGROUND
from levels.events import InputEvent
from tests.support.game_contexts import reach_context
from tests.support.paths import REPO_ROOT

PROBE_MODULE = "motorplay_probe_slow_import"


@pytest.fixture
def probe_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A module whose import notes the thread it ran on and waits until the window was redrawn a few times."""
    (tmp_path / f"{PROBE_MODULE}.py").write_text(
        textwrap.dedent(
            """
            import threading
            import motorplay_probe_state as state
            state.imported_on.append(threading.current_thread().name)
            state.redrawn.wait(timeout=30)
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, PROBE_MODULE, raising=False)
    IMPORTED_ON.clear()
    REDRAWN.clear()
    monkeypatch.setitem(sys.modules, "motorplay_probe_state", SimpleNamespace(imported_on=IMPORTED_ON, redrawn=REDRAWN))
    yield IMPORTED_ON
    sys.modules.pop(PROBE_MODULE, None)
    pygame.quit()


IMPORTED_ON: list[str] = []
REDRAWN = threading.Event()
# Redraws the import waits for: the indicator is moved while the game imports, not frozen on one frame.
REDRAWS_WANTED = 3


def _count_presents(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    presents: list[int] = []
    original = Display.present

    def present(self: Display) -> None:
        original(self)
        presents.append(1)
        if len(presents) >= REDRAWS_WANTED:
            REDRAWN.set()

    monkeypatch.setattr(Display, "present", present)
    return presents


def test_the_loading_screen_is_shown_and_the_game_imported_behind_it(
    probe_module: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    presents = _count_presents(monkeypatch)
    display = show_loading_screen(headless=True, module=PROBE_MODULE)
    assert display is not None
    assert probe_module == [IMPORT_THREAD_NAME]  # imported on its own thread, not the window's
    assert PROBE_MODULE in sys.modules
    assert len(presents) >= REDRAWS_WANTED  # the screen kept being redrawn while the module imported
    shown = pygame.display.get_surface()
    title_band = shown.subsurface(pygame.Rect(0, WINDOW_PX[1] // 5, WINDOW_PX[0], WINDOW_PX[1] // 10))
    colours = {tuple(title_band.get_at((x, y)))[:3] for x in range(0, WINDOW_PX[0], 4) for y in range(0, 72, 4)}
    assert colours - {BACKGROUND}, "the title is drawn on the loading screen"


def test_the_session_takes_the_early_window_over(probe_module: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _count_presents(monkeypatch)
    show_loading_screen(headless=True, module=PROBE_MODULE)
    window_before = pygame.display.get_surface()
    shown_before = window_before.copy()
    from game.session import DEFAULT_WINDOW_PX

    assert DEFAULT_WINDOW_PX == WINDOW_PX  # the early window has the game's size
    display = Display.open(DEFAULT_WINDOW_PX, fit=False)  # as the session opens its window
    assert display.window is window_before  # the same window, not closed and opened again
    # Still showing the loading screen until the game draws its first frame: no black flash in between.
    assert pygame.image.tobytes(display.window, "RGB") == pygame.image.tobytes(shown_before, "RGB")


def test_a_quit_pressed_while_the_game_imports_is_kept_for_the_game(
    probe_module: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _count_presents(monkeypatch)
    pygame.display.init()
    display = Display.open(WINDOW_PX, fit=False)
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    import_behind(display, PROBE_MODULE)
    assert any(event.type == pygame.QUIT for event in pygame.event.get())


def test_an_import_error_is_raised_by_the_callers_own_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "motorplay_probe_broken.py").write_text("raise RuntimeError('broken module')\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    pygame.display.init()
    try:
        display = Display.open(WINDOW_PX, fit=False)
        import_behind(display, "motorplay_probe_broken")
        with pytest.raises(RuntimeError, match="broken module"):
            __import__("motorplay_probe_broken")
    finally:
        pygame.quit()


def test_marks_are_written_once_each_and_only_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MARKS_ENV, raising=False)
    StartupMarks.from_environment().mark("window")  # nothing to write to: nothing happens
    path = tmp_path / "marks.txt"
    monkeypatch.setenv(MARKS_ENV, str(path))
    marks = StartupMarks.from_environment()
    marks.mark("window")
    marks.mark("window")
    marks.mark("scene:menu")
    names = [line.split()[0] for line in path.read_text(encoding="utf-8").splitlines()]
    assert names == ["window", "scene:menu"]


def test_play_marks_its_window_before_its_first_scene(tmp_path: Path) -> None:
    """The real command, in its own process (the game not yet imported): the loading screen comes first."""
    marks = tmp_path / "marks.txt"
    process = subprocess.Popen(
        [sys.executable, "-m", "game.cli", "play", "--input", "mouse", "--headless", "--max-seconds", "60",
         "--data-dir", str(tmp_path / "data")],
        cwd=REPO_ROOT, env={**_child_env(), MARKS_ENV: str(marks)}, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True,
    )
    at_s: dict[str, float] = {}
    while process.poll() is None and "scene:menu" not in at_s:
        time.sleep(0.02)  # polling the marks file (not a timing assertion)
        at_s = _read_marks(marks)
    process.send_signal(signal.SIGINT)  # the menu is up: stop the game (Ctrl-C)
    _, stderr = process.communicate(timeout=60)
    at_s = _read_marks(marks)
    assert "scene:menu" in at_s, stderr
    assert at_s["window"] < at_s["scene:menu"]


def _read_marks(path: Path) -> dict[str, float]:
    if not path.is_file():
        return {}
    lines = [line.split() for line in path.read_text(encoding="utf-8").splitlines()]
    return {words[0]: float(words[1]) for words in lines if len(words) == 2}  # a line being written is skipped


def _child_env() -> dict[str, str]:
    return {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}


def test_play_opens_its_window_before_importing_the_game(tmp_path: Path) -> None:
    """When the window opens (game.display's set_mode), neither the session nor scipy has been imported."""
    probe = textwrap.dedent(
        """
        import sys
        import pygame
        seen = []
        real = pygame.display.set_mode
        def set_mode(*args, **kwargs):
            seen.append(sorted(name for name in ("game.session", "scipy", "mediapipe") if name in sys.modules))
            return real(*args, **kwargs)
        pygame.display.set_mode = set_mode
        import game.cli
        game.cli.main(["play", "--input", "mouse", "--headless", "--max-seconds", "0.5", "--data-dir", sys.argv[1]])
        print(seen[0])
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "data")],
        cwd=REPO_ROOT, env=_child_env(), capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


class NamedScene(BaseScene):
    """A scene called ``name`` that goes to ``then`` on its first update."""

    def __init__(self, name: str, then: Route | None = None) -> None:
        self.name = name
        self.then = then

    def update(self, events: list[InputEvent], dt_s: float) -> Route | AppExit | None:
        return self.then

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(BACKGROUND)


def test_the_analysis_imports_are_warmed_once_the_loading_screen_is_over(
    probe_module: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    REDRAWN.set()  # the probe module need not wait for anything here
    monkeypatch.setattr(app_module, "WARM_MODULES", (PROBE_MODULE,))
    pygame.init()
    pygame.display.set_mode((320, 180))
    context = reach_context(tmp_path, (320, 180), MouseInput((320, 180)))
    loading = NamedScene("loading")
    app = App(
        pygame.display.get_surface(), context, loading, SimulatedFrameClock(60),
        router=lambda route: NamedScene("menu"),
    )
    app.frame([])  # the loading screen's first frame: its tracking opens now, nothing else is imported
    assert probe_module == [] and PROBE_MODULE not in sys.modules
    loading.then = ToMenu()  # the tracking has opened
    app.frame([])  # on to the menu: the imports begin behind it
    assert app.scene.name == "menu"
    warming = [thread for thread in threading.enumerate() if thread.name == WARM_THREAD_NAME]
    for thread in warming:
        thread.join(timeout=30)
    assert probe_module == [WARM_THREAD_NAME]
