"""The live view's URL in the game: the whole URL at the menu's foot, a short tag elsewhere; nothing without it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pygame
import pytest

from game.live_view import LiveView, host_warning
from game.theme import BACKGROUND, TEXT_SOFT, Theme
from tests.support.game_screens import shows_text

SIZE_PX = (1280, 720)


@dataclass
class Shown:
    """A scene as the live view sees it: only its name matters for drawing."""

    name: str


@pytest.fixture
def live_view() -> Iterator[LiveView]:
    view = LiveView.start()
    try:
        yield view
    finally:
        view.close()


@pytest.fixture
def theme() -> Iterator[Theme]:
    pygame.font.init()
    yield Theme.for_height(SIZE_PX[1])


def _drawn(view: LiveView, theme: Theme, scene: str) -> pygame.Surface:
    surface = pygame.Surface(SIZE_PX)
    surface.fill(BACKGROUND)
    view.draw(surface, theme.small, Shown(scene))  # type: ignore[arg-type]
    return surface


def test_the_menu_shows_the_whole_url_and_the_level_a_tag(live_view: LiveView, theme: Theme) -> None:
    assert live_view.server is not None and live_view.server.address is not None
    address = live_view.server.address
    url_line = f"Therapist live view: {address.url}"
    tag = f"Live view on 127.0.0.1:{address.port}"
    menu = _drawn(live_view, theme, "menu")
    assert shows_text(menu, url_line, theme.small, TEXT_SOFT, background=BACKGROUND)
    level = _drawn(live_view, theme, "level")
    assert shows_text(level, tag, theme.small, TEXT_SOFT, background=BACKGROUND)
    assert not shows_text(level, url_line, theme.small, TEXT_SOFT, background=BACKGROUND)


def test_a_publisher_without_a_server_draws_nothing(theme: Theme) -> None:
    from clinic.live_view.publisher import LivePublisher

    surface = _drawn(LiveView(LivePublisher()), theme, "menu")
    assert pygame.transform.average_color(surface)[:3] == BACKGROUND


def test_only_a_host_beyond_this_machine_is_warned_of() -> None:
    assert host_warning("127.0.0.1") is None and host_warning("::1") is None
    warning = host_warning("0.0.0.0")
    assert warning is not None and "0.0.0.0" in warning and "token" in warning
