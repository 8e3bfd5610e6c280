"""The family registry: every family's schema names its kind, every catalogue level belongs to a known family, and
the union the loader validates has one member per family."""

from __future__ import annotations

import typing
from typing import Any

import pytest

from levels.families import FAMILIES, Family, family_for, known_kinds, level_file_adapter
from levels.loader import list_levels, load_level
from levels.screen import ScreenShape
from levels.trial import LevelProgress


@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family.kind)
def test_each_family_schema_accepts_exactly_its_kind(family: Family[Any, Any]) -> None:
    assert typing.get_args(family.schema.model_fields["kind"].annotation) == (family.kind,)
    assert family_for(family.kind) is family


def test_kinds_are_unique_and_unknown_kinds_are_named() -> None:
    assert len(set(known_kinds())) == len(FAMILIES)
    with pytest.raises(KeyError, match="no level family 'jump'; the known kinds are reach"):
        family_for("jump")


@pytest.mark.parametrize("name", list_levels())
def test_every_catalogue_level_starts_through_its_family(name: str) -> None:
    level = load_level(name)
    family = family_for(level.kind)
    assert isinstance(level, family.schema)
    state = family.start(level, ScreenShape(aspect=16 / 9, top_reserved_norm=0.08), frozenset({family.effector}))
    assert isinstance(state.progress, LevelProgress) and state.progress.clock.effector is family.effector
    state = family.step(state, [], 0.5)
    assert state.progress.clock.elapsed_s == 0.5 and not state.progress.finished


def test_the_union_validates_each_family_by_kind() -> None:
    level = load_level("reach")
    assert level_file_adapter().validate_python(level.model_dump()) == level
