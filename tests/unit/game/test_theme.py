"""The palette stays distinct for colour-blind players, and instruction text is large enough at 720p."""

from __future__ import annotations

import itertools

import numpy as np
import pygame
import pytest

from game import theme
from game.theme import MIN_INSTRUCTION_HEIGHT_720P_PX, Theme, text_height_px

# Colour-vision deficiency simulation in linear RGB: Viénot, Brettel & Mollon (1999), "Digital video
# colourmaps for checking the legibility of displays by dichromats", for protanopia and deuteranopia; tritanopia
# from Machado, Oliveira & Fernandes (2009), severity 1.0.
SIMULATIONS = {
    "protanopia": np.array([[0.11238, 0.88762, 0.0], [0.11238, 0.88762, 0.0], [0.00401, -0.00401, 1.0]]),
    "deuteranopia": np.array([[0.29275, 0.70725, 0.0], [0.29275, 0.70725, 0.0], [-0.02234, 0.02234, 1.0]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
# The colours that carry a meaning next to each other: targets, the cursor, "well done", "not seen".
MEANINGFUL = ("ACCENT", "CURSOR", "GOOD", "NOTICE")
# The least distance between two of them as a dichromat sees them, in CIE L*a*b* (delta E 1976): about 20 is
# clearly different at a glance (the old teal targets and green "good" were 9.5 apart for a tritanope; now 21).
MIN_DELTA_E = 20.0


def _linear(colour: tuple[int, int, int]) -> np.ndarray:
    c = np.asarray(colour, dtype=float) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = m @ np.clip(linear_rgb, 0.0, 1.0) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16.0 / 116.0)
    return np.array([116.0 * f[1] - 16.0, 500.0 * (f[0] - f[1]), 200.0 * (f[1] - f[2])])


@pytest.mark.parametrize("vision", [None, *SIMULATIONS])
def test_meaningful_colours_stay_apart_for_every_colour_vision(vision: str | None) -> None:
    for first, second in itertools.combinations(MEANINGFUL, 2):
        a, b = _linear(getattr(theme, first)), _linear(getattr(theme, second))
        if vision is not None:
            a, b = SIMULATIONS[vision] @ a, SIMULATIONS[vision] @ b
        distance = float(np.linalg.norm(_lab(a) - _lab(b)))
        assert distance >= MIN_DELTA_E, f"{first} and {second} are {distance:.1f} apart for {vision or 'typical'}"


def test_instruction_fonts_are_at_least_28_px_high_at_720p() -> None:
    pygame.font.init()
    fonts = Theme.for_height(720)
    for name in ("title", "heading", "body"):
        rendered = getattr(fonts, name).render("Hold your hand there", True, theme.TEXT)
        assert rendered.get_height() >= MIN_INSTRUCTION_HEIGHT_720P_PX, name
        assert text_height_px(getattr(fonts, name)) >= MIN_INSTRUCTION_HEIGHT_720P_PX, name
    assert text_height_px(fonts.small) < MIN_INSTRUCTION_HEIGHT_720P_PX  # small is for secondary notes only
