"""The window: the game draws on a fixed logical surface (1280x720 by default), shown scaled to the window or the
screen with its aspect kept (bars on the sides or above and below: letterbox).

A patient plays from 1-2 m away, often on a small laptop: the window opens fitted to the desktop with room for its
title bar and the task bar (a 1366x768 screen shows the whole window), can be resized, and F11 (or
``--fullscreen``) fills the screen. Mouse positions are mapped back through the scaling, so the pointer and the
buttons agree whatever the window's size.
"""

from __future__ import annotations

import pygame

from game.theme import BACKGROUND

FULLSCREEN_KEY = pygame.K_F11
# Room the desktop keeps around a window: its title bar (about 30-40 px) and a task bar or dock (40-50 px), and a
# small side margin, so a window of the fitted size is entirely visible.
DESKTOP_MARGIN_PX = (40, 100)
_MOUSE_EVENTS = (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP)


def fit_window(logical_px: tuple[int, int], desktop_px: tuple[int, int] | None) -> tuple[int, int]:
    """The window size for a game of ``logical_px`` on a desktop of ``desktop_px``: the logical size when it fits
    with the desktop's margins, else scaled down with its aspect kept."""
    if desktop_px is None:
        return logical_px
    room_w, room_h = desktop_px[0] - DESKTOP_MARGIN_PX[0], desktop_px[1] - DESKTOP_MARGIN_PX[1]
    scale = min(1.0, room_w / logical_px[0], room_h / logical_px[1])
    return max(1, int(logical_px[0] * scale)), max(1, int(logical_px[1] * scale))


def letterbox(logical_px: tuple[int, int], window_px: tuple[int, int]) -> pygame.Rect:
    """Where the logical surface is shown in a window of ``window_px``: as large as fits, aspect kept, centred."""
    scale = min(window_px[0] / logical_px[0], window_px[1] / logical_px[1])
    rect = pygame.Rect(0, 0, max(1, round(logical_px[0] * scale)), max(1, round(logical_px[1] * scale)))
    rect.center = (window_px[0] // 2, window_px[1] // 2)
    return rect


def desktop_size() -> tuple[int, int] | None:
    """The first desktop's size, when the video driver knows it."""
    sizes = pygame.display.get_desktop_sizes()
    return tuple(sizes[0]) if sizes and sizes[0][0] > 0 and sizes[0][1] > 0 else None  # type: ignore[return-value]


def _open_or_take_over(window_px: tuple[int, int], *, fullscreen: bool) -> pygame.Surface:
    """The window's surface: the window already open, as it is, when it is the one asked for (the early loading
    screen of game/early_window.py stays on the screen until the game's first frame replaces it); else opened
    (pygame has one window: set_mode reuses it, but clears it). Fullscreen is asked for at once, never after a
    window."""
    current = pygame.display.get_surface()
    if current is not None:
        is_fullscreen = bool(current.get_flags() & pygame.FULLSCREEN)
        if is_fullscreen == fullscreen and (fullscreen or current.get_size() == window_px):
            return current
    if fullscreen:
        return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
    return pygame.display.set_mode(window_px, pygame.RESIZABLE)


class Display:
    """The logical surface the game draws on (:attr:`surface`) and the window it is shown in."""

    def __init__(self, logical_px: tuple[int, int], window_px: tuple[int, int], *, fullscreen: bool = False) -> None:
        self.logical_px = logical_px
        self.windowed_px = window_px
        self.surface = pygame.Surface(logical_px)
        self.fullscreen = fullscreen
        self.window = _open_or_take_over(window_px, fullscreen=fullscreen)

    @classmethod
    def open(cls, logical_px: tuple[int, int], *, fullscreen: bool = False, fit: bool = True) -> Display:
        """A window for a game of ``logical_px``: fitted to the desktop (``fit``), or the whole screen."""
        window_px = fit_window(logical_px, desktop_size()) if fit else logical_px
        return cls(logical_px, window_px, fullscreen=fullscreen)

    @property
    def shown(self) -> pygame.Rect:
        """Where the game is shown in the window now."""
        return letterbox(self.logical_px, self.window.get_size())

    def toggle_fullscreen(self) -> None:
        """Fill the screen, or go back to the window."""
        if self.fullscreen:
            self.window = pygame.display.set_mode(self.windowed_px, pygame.RESIZABLE)
        else:
            self.window = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        self.fullscreen = not self.fullscreen

    def to_logical(self, window_pos: tuple[int, int]) -> tuple[int, int]:
        """A window pixel as a pixel of the logical surface (a point on the bars is moved to the nearest edge)."""
        shown = self.shown
        x = (window_pos[0] - shown.x) * self.logical_px[0] / shown.width
        y = (window_pos[1] - shown.y) * self.logical_px[1] / shown.height
        return (
            min(max(int(x), 0), self.logical_px[0] - 1),
            min(max(int(y), 0), self.logical_px[1] - 1),
        )

    def handle(self, events: list[pygame.event.Event]) -> list[pygame.event.Event]:
        """Take F11 and window resizes; return the events with mouse positions in logical pixels."""
        mapped: list[pygame.event.Event] = []
        for event in events:
            if event.type == pygame.KEYDOWN and event.key == FULLSCREEN_KEY:
                self.toggle_fullscreen()
                continue
            if event.type == pygame.VIDEORESIZE and not self.fullscreen:
                self.windowed_px = (event.w, event.h)
                self.window = pygame.display.get_surface() or self.window
            if event.type in _MOUSE_EVENTS:
                attributes = dict(event.dict)
                attributes["pos"] = self.to_logical(event.pos)
                event = pygame.event.Event(event.type, attributes)
            mapped.append(event)
        return mapped

    def present(self) -> None:
        """Show the logical surface in the window, scaled, and flip."""
        window = pygame.display.get_surface() or self.window
        self.window = window
        shown = self.shown
        if shown.size == self.logical_px and shown.topleft == (0, 0):
            window.blit(self.surface, (0, 0))
        else:
            window.fill(BACKGROUND)
            window.blit(pygame.transform.smoothscale(self.surface, shown.size), shown.topleft)
        pygame.display.flip()
