"""The level families: ``kind`` -> the family's schema, effector and rules. The only list of families in ``levels/``.

The loader validates a level file against the union of the families' schemas (discriminated on ``kind``), and the
game starts and steps any level through its :class:`Family` without code of its own per family. Adding a family:
its ``levels/<family>/schema.py`` and ``rules.py``, and one line in :data:`FAMILIES` (README: "Adding a level
family").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Generic, TypeVar, Union

from pydantic import Field, TypeAdapter

from levels.assessment import rules as assessment_rules
from levels.assessment.schema import AssessmentLevel
from levels.breathe import rules as breathe_rules
from levels.breathe.schema import BreatheLevel
from levels.events import InputEvent
from levels.grasp import rules as grasp_rules
from levels.grasp.schema import GraspLevel
from levels.head import rules as head_rules
from levels.head.schema import HeadLevel
from levels.hold import rules as hold_rules
from levels.hold.schema import HoldLevel
from levels.reach import rules as reach_rules
from levels.reach.schema import ReachLevel
from levels.schema import LevelFile
from levels.screen import ScreenShape
from levels.trace import rules as trace_rules
from levels.trace.schema import TraceLevel
from levels.trial import LevelState
from tracking.types import Effector

LevelT = TypeVar("LevelT", bound=LevelFile)
StateT = TypeVar("StateT", bound=LevelState)


@dataclass(frozen=True)
class Family(Generic[LevelT, StateT]):
    """One family of levels: the ``kind`` its files name, their schema, what moves, and the pure rules.

    ``start(level, screen, seen)`` is the state before the first trial (``seen``: the effectors the input sees
    now); ``step(state, events, dt_s)`` advances it by ``dt_s`` seconds of game time after applying ``events``.
    """

    kind: str
    schema: type[LevelT]
    effector: Effector
    start: Callable[[LevelT, ScreenShape, frozenset[Effector]], StateT]
    step: Callable[[StateT, Sequence[InputEvent], float], StateT]


FAMILIES: tuple[Family[Any, Any], ...] = (
    Family("reach", ReachLevel, reach_rules.EFFECTOR, reach_rules.start, reach_rules.step),
    Family("hold", HoldLevel, hold_rules.EFFECTOR, hold_rules.start, hold_rules.step),
    Family("breathe", BreatheLevel, breathe_rules.EFFECTOR, breathe_rules.start, breathe_rules.step),
    Family("grasp", GraspLevel, grasp_rules.EFFECTOR, grasp_rules.start, grasp_rules.step),
    Family("trace", TraceLevel, trace_rules.EFFECTOR, trace_rules.start, trace_rules.step),
    Family("head", HeadLevel, head_rules.EFFECTOR, head_rules.start, head_rules.step),
    Family("assessment", AssessmentLevel, assessment_rules.EFFECTOR, assessment_rules.start, assessment_rules.step),
)


def known_kinds() -> tuple[str, ...]:
    """Return the ``kind`` of every family, in :data:`FAMILIES` order."""
    return tuple(family.kind for family in FAMILIES)


def family_for(kind: str) -> Family[Any, Any]:
    """Return the family of ``kind``.

    Raises
    ------
    KeyError
        No family has that kind; the message lists the known kinds.
    """
    for family in FAMILIES:
        if family.kind == kind:
            return family
    raise KeyError(f"no level family {kind!r}; the known kinds are {', '.join(known_kinds())}")


@cache
def level_file_adapter() -> TypeAdapter[LevelFile]:
    """Return the validator of a level file's data: the union of the families' schemas, discriminated on ``kind``."""
    members = tuple(family.schema for family in FAMILIES)
    union: Any = Annotated[Union[members], Field(discriminator="kind")]  # noqa: UP007 (a union built at run time)
    adapter: TypeAdapter[LevelFile] = TypeAdapter(union)
    return adapter
