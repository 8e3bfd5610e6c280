"""The mouse as a simulated head in whole-game runs: a scripted clock that is told the head level's state after every
level update, and moves the pointer (posting motion events) where the level wants the head."""

from __future__ import annotations

from typing import Protocol

import pygame
import pytest

from levels.head.rules import HeadState


class HeadStateHolder(Protocol):
    """A clock (or anything) that moves the mouse from the head level's latest state."""

    state: HeadState | None


def follow_head_state(monkeypatch: pytest.MonkeyPatch, holder: HeadStateHolder) -> None:
    """After every update of the level scene, assert that it plays the head level and give its state to ``holder``."""
    from game.scenes import level as level_scene

    original_update = level_scene.LevelScene.update

    def watched(self: level_scene.LevelScene, events: list, dt_s: float):  # type: ignore[no-untyped-def, type-arg]
        route = original_update(self, events, dt_s)
        assert isinstance(self.state, HeadState)
        holder.state = self.state
        return route

    monkeypatch.setattr(level_scene.LevelScene, "update", watched)


def post_mouse_motion(surface: pygame.Surface, point_norm: tuple[float, float]) -> None:
    """Move the pointer to ``point_norm`` (fractions of ``surface``, the window the game fits to the desktop)."""
    width_px, height_px = surface.get_size()
    pos = (round(point_norm[0] * width_px), round(point_norm[1] * height_px))
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
