"""A small live camera preview, mirrored like a mirror, with the tracked hand and face drawn on it, so that a patient
sees how to place themselves (calibration, and the assessment's set-up step).

The image comes from the live tracker (:meth:`tracking.live.LiveTracker.latest_preview`), already downscaled; it is
drawn and forgotten, never stored. A recording has no image: nothing is drawn.
"""

from __future__ import annotations

import pygame

from game.input_source import InputSource
from game.theme import ACCENT, CURSOR, TEXT_SOFT, Theme
from game.tracking_input import TrackingInput
from tracking.live import Preview

# The preview's width as a fraction of the window's: readable from 1-2 m, small beside the instructions.
PREVIEW_WIDTH_FRACTION = 0.2
# Its margin from the window's edges (fraction of the window height).
PREVIEW_MARGIN_FRACTION = 0.02
# Every n-th face landmark is drawn: the face's outline shows without hiding it under 468 dots.
FACE_POINT_STEP = 12


def latest_preview(source: InputSource) -> Preview | None:
    """The newest camera or video image of ``source``, if it has one (not a recording, the mouse or no source)."""
    if not isinstance(source, TrackingInput):
        return None
    latest = getattr(source.tracker, "latest_preview", None)
    return None if latest is None else latest()


def wants_preview(state: object) -> bool:
    """Whether a level's state is a set-up step, where the patient places themselves (the assessment's first)."""
    step = getattr(state, "step", None)
    return getattr(step, "value", None) == "setup"


def preview_rect(
    surface_size_px: tuple[int, int], *, top_y: int | None = None, centre_x: int | None = None
) -> pygame.Rect:
    """Where the preview is drawn, 16:9: the top-right corner, or from ``top_y`` and centred on ``centre_x``."""
    width, height = surface_size_px
    margin = round(height * PREVIEW_MARGIN_FRACTION)
    rect = pygame.Rect(0, 0, round(width * PREVIEW_WIDTH_FRACTION), round(width * PREVIEW_WIDTH_FRACTION * 9 / 16))
    rect.topright = (width - margin, margin if top_y is None else top_y)
    if centre_x is not None:
        rect.centerx = centre_x
    return rect


def draw_preview(
    surface: pygame.Surface,
    preview: Preview | None,
    theme: Theme,
    *,
    top_y: int | None = None,
    centre_x: int | None = None,
    label: str = "Camera (not recorded)",
) -> None:
    """Draw ``preview`` mirrored, fitted into :func:`preview_rect`, with its hand and face landmarks, and ``label``
    (what it shows: the camera, or the video file) under it."""
    if preview is None:
        return
    box = preview_rect(surface.get_size(), top_y=top_y, centre_x=centre_x)
    image = pygame.surfarray.make_surface(preview.rgb.swapaxes(0, 1))
    image = pygame.transform.flip(image, True, False)  # mirrored: the patient's left hand is on the left
    scale = min(box.width / image.get_width(), box.height / image.get_height())
    size = (max(1, round(image.get_width() * scale)), max(1, round(image.get_height() * scale)))
    rect = pygame.Rect((0, 0), size)
    rect.topright = box.topright
    surface.blit(pygame.transform.scale(image, size), rect)

    def at(x_norm: float, y_norm: float) -> tuple[int, int]:
        return rect.x + round((1.0 - x_norm) * rect.width), rect.y + round(y_norm * rect.height)

    dot_px = max(2, rect.height // 60)
    face = preview.frame.face
    if face is not None:
        for point in face[::FACE_POINT_STEP]:
            pygame.draw.circle(surface, ACCENT, at(float(point[0]), float(point[1])), dot_px)
    for hand in preview.frame.hands:
        for point in hand.landmarks_norm:
            pygame.draw.circle(surface, CURSOR, at(float(point[0]), float(point[1])), dot_px + 1)
    pygame.draw.rect(surface, ACCENT, rect, width=2)
    rendered = theme.small.render(label, True, TEXT_SOFT)
    surface.blit(rendered, rendered.get_rect(midtop=(rect.centerx, rect.bottom + 4)))
