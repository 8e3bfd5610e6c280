"""One renderer per level family, found by the level's ``kind``: the only game code a family needs."""

from __future__ import annotations

from game.renderers.assessment import AssessmentRenderer
from game.renderers.base import LevelRenderer
from game.renderers.breathe import BreatheRenderer
from game.renderers.grasp import GraspRenderer
from game.renderers.head import HeadRenderer
from game.renderers.hold import HoldRenderer
from game.renderers.reach import ReachRenderer
from game.renderers.trace import TraceRenderer

RENDERERS: dict[str, LevelRenderer] = {
    "reach": ReachRenderer(),
    "hold": HoldRenderer(),
    "breathe": BreatheRenderer(),
    "grasp": GraspRenderer(),
    "trace": TraceRenderer(),
    "head": HeadRenderer(),
    "assessment": AssessmentRenderer(),
}


def renderer_for(kind: str) -> LevelRenderer:
    """The renderer of the family ``kind`` (every family in :data:`levels.families.FAMILIES` has one)."""
    try:
        return RENDERERS[kind]
    except KeyError:
        raise KeyError(f"no renderer for the level family {kind!r}; add one to game/renderers/") from None
