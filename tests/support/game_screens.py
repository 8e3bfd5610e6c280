"""What a drawn game screen shows, for tests: where a text is drawn, the colour at a screen point, and screenshots
written where the test that reads them can find them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pygame

from game.theme import Colour

# Pixels of the text compared at every position before a whole comparison: enough to leave a handful of candidates.
_SAMPLE_PIXELS = 16


def text_positions(
    surface: pygame.Surface, text: str, font: pygame.font.Font, colour: Colour, *, background: Colour
) -> list[tuple[int, int]]:
    """The top-left pixels where ``text``, rendered with ``font`` in ``colour`` on ``background`` (as
    :func:`game.theme.draw_text` draws it), appears on ``surface`` pixel for pixel."""
    rendered = font.render(text, True, colour)
    stamp = pygame.Surface(rendered.get_size())
    stamp.fill(background)
    stamp.blit(rendered, (0, 0))
    needle = pygame.surfarray.array3d(stamp)
    haystack = pygame.surfarray.array3d(surface)
    width, height = needle.shape[:2]
    free_x, free_y = haystack.shape[0] - width + 1, haystack.shape[1] - height + 1
    if free_x <= 0 or free_y <= 0:
        return []
    inked = np.argwhere(np.any(needle != np.asarray(background, dtype=needle.dtype), axis=2))
    if len(inked) == 0:
        raise ValueError(f"{text!r} draws nothing on its background: nothing to look for")
    candidates = np.ones((free_x, free_y), dtype=bool)
    for ix, iy in inked[:: max(1, len(inked) // _SAMPLE_PIXELS)]:
        candidates &= np.all(haystack[ix : ix + free_x, iy : iy + free_y] == needle[ix, iy], axis=2)
    return [
        (int(x), int(y))
        for x, y in np.argwhere(candidates)
        if np.array_equal(haystack[x : x + width, y : y + height], needle)
    ]


def shows_text(
    surface: pygame.Surface, text: str, font: pygame.font.Font, colour: Colour, *, background: Colour
) -> bool:
    """Whether ``text`` is drawn on ``surface`` (see :func:`text_positions`)."""
    return bool(text_positions(surface, text, font, colour, background=background))


def colour_at(surface: pygame.Surface, point_norm: tuple[float, float], offset_px: tuple[int, int] = (0, 0)) -> Colour:
    """The colour at screen point ``point_norm`` (0..1 of the width and height, as the game rounds it), moved by
    ``offset_px``."""
    width, height = surface.get_size()
    x = round(point_norm[0] * width) + offset_px[0]
    y = round(point_norm[1] * height) + offset_px[1]
    red, green, blue, _ = surface.get_at((x, y))
    return red, green, blue


def save_screenshot(surface: pygame.Surface, directory: Path, name: str) -> Path:
    """Save ``surface`` as ``directory/name.png`` for a person to look at, and check the file holds that picture."""
    path = directory / f"{name}.png"
    pygame.image.save(surface, str(path))
    saved = pygame.image.load(str(path))
    assert pygame.image.tobytes(saved, "RGB") == pygame.image.tobytes(surface, "RGB"), path
    return path
