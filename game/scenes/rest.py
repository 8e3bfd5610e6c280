"""The calm rest between two sets of a level (the level file's ``sets`` and ``rest_between_sets_s``).

Plain encouraging words (and a ``note``, e.g. that the game suggests a rest because the movements got harder),
a slow bar that fills as the rest passes (no numbers counting), and two dwell buttons:
"Go on now" and "Stop". The next set starts by itself when the rest is over; Space starts it sooner, Q ends the
game.
"""

from __future__ import annotations

import pygame

from game.scenes.base import BaseScene, GameContext
from game.scenes.buttons import ButtonNorm, DwellButtons, draw_dwell_button, on_button
from game.scenes.routes import EXIT, AppExit, Route, ToLevel, ToStopped
from game.theme import ACCENT_FILL, BACKGROUND, GOOD, PANEL, TEXT, draw_cursor, draw_footer, draw_text
from levels.events import Command, CursorMoved, InputEvent, commands_in

GO_ON_BUTTON_NORM: ButtonNorm = (0.35, 0.74, 0.24, 0.1)
STOP_BUTTON_NORM: ButtonNorm = (0.65, 0.74, 0.24, 0.1)
# The rest's bar, as fractions of the window: (centre x, centre y, width, height).
REST_BAR_NORM = (0.5, 0.58, 0.5, 0.025)
REST_TITLE = "Time to rest"
REST_MESSAGE = "Let your shoulders drop and breathe out slowly. The next set starts by itself."


def rest_words(sets_done: int, sets: int) -> str:
    """What the rest says of the sets: plain words, no score."""
    return f"Set {sets_done} of {sets} done - well done."


class RestScene(BaseScene):
    """``rest_s`` seconds of rest after ``sets_done`` of ``sets`` sets, then the next set (:class:`ToLevel`)."""

    name = "rest"

    def __init__(
        self, context: GameContext, *, sets_done: int, sets: int, rest_s: float, note: str | None = None
    ) -> None:
        self.context = context
        self.note = note  # plain words shown above the rest's message
        self.sets_done = sets_done
        self.sets = sets
        self.rest_s = rest_s
        self.shown_s = 0.0
        # The shared hold (a button counts once the pointer moved onto it), from where the level left the pointer.
        self.hold = DwellButtons(context.cursor_norm)

    @property
    def cursor(self) -> tuple[float, float] | None:
        """Where the pointer is, if known."""
        return self.hold.cursor

    def update(self, events: list[InputEvent], dt_s: float) -> Route | AppExit | None:
        """Go on when the rest is over or the patient asks; stop when asked."""
        self.shown_s += dt_s
        moved = [event for event in events if isinstance(event, CursorMoved)]
        cursor = (moved[-1].x_norm, moved[-1].y_norm) if moved else None
        if cursor is not None:
            self.context.cursor_norm = cursor
        commands = commands_in(events)
        if Command.QUIT in commands:
            return EXIT
        confirmed = Command.CONFIRM in commands
        pressed = self.hold.update(cursor, [GO_ON_BUTTON_NORM, STOP_BUTTON_NORM], confirmed, dt_s)
        if pressed == 1 or (confirmed and on_button(self.cursor, STOP_BUTTON_NORM)):
            return ToStopped()
        if confirmed or pressed == 0 or self.shown_s >= self.rest_s:
            return ToLevel()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        """The calm words, the filling bar, the buttons."""
        theme = self.context.theme
        width, height = surface.get_size()
        surface.fill(BACKGROUND)
        y = draw_text(surface, REST_TITLE, theme.title, GOOD, centre_x=width // 2, top_y=height // 6)
        y = draw_text(surface, rest_words(self.sets_done, self.sets), theme.heading, TEXT, centre_x=width // 2, top_y=y)
        if self.note:
            y = draw_text(
                surface, self.note, theme.heading, GOOD, centre_x=width // 2, top_y=y, width_px=int(width * 0.8)
            )
        draw_text(
            surface,
            REST_MESSAGE,
            theme.heading,
            TEXT,
            centre_x=width // 2,
            top_y=y + height // 40,
            width_px=int(width * 0.8),
        )
        cx, cy, w, h = REST_BAR_NORM
        bar = pygame.Rect(0, 0, round(w * width), max(4, round(h * height)))
        bar.center = (round(cx * width), round(cy * height))
        pygame.draw.rect(surface, PANEL, bar, border_radius=bar.height // 2)
        filled = bar.copy()
        filled.width = round(bar.width * min(self.shown_s / self.rest_s, 1.0)) if self.rest_s > 0 else bar.width
        pygame.draw.rect(surface, ACCENT_FILL, filled, border_radius=bar.height // 2)
        draw_dwell_button(surface, GO_ON_BUTTON_NORM, "Go on now", theme.heading, self.hold.dwell_s.get(0, 0.0))
        draw_dwell_button(surface, STOP_BUTTON_NORM, "Stop", theme.heading, self.hold.dwell_s.get(1, 0.0))
        draw_footer(surface, theme, "Space: go on now.   Hold the hand on a button to choose it.   Q: finish.")
        if self.cursor is not None:
            draw_cursor(surface, self.cursor)
