"""What every level file has (TOML, one file per level in :mod:`levels.catalogue`), whatever its family.

A level file is validated as one member of a union discriminated on ``kind``: each family's schema
(``levels/<family>/schema.py``) subclasses :class:`LevelFile` with ``kind: Literal["<family>"]`` and its own fields,
and :mod:`levels.families` lists the families. Every file starts with ``schema_version = 1``.

Every field carries its unit in its name and its valid range; unknown fields are rejected so that a typo never
silently falls back to a default. Types are strict: ``trials = "8"`` or ``trials = 8.0`` is refused rather than
converted, so what the file says is what the game uses. Screen-normalised lengths (``_norm``) are fractions of the
screen height, so a round target stays round on any window shape. Text shown to the patient holds no control
characters (pygame cannot draw a NUL, and the others show as boxes).
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, field_validator

from tracking.types import TrackingModel

# The version of the level file format this program reads; a file says which it follows.
SCHEMA_VERSION = 1
# A level name is also a file name: lower-case letters, digits, '-' and '_' only.
LEVEL_NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
# Sets of a level: a therapist's plan rarely asks more than a handful in a row (fatigue worsens dystonic
# symptoms); 20 bounds a typo. The rest between sets defaults to 20 s, a short recovery pause, and at most 10 min.
MAX_SETS = 20
DEFAULT_REST_BETWEEN_SETS_S = 20.0
MAX_REST_BETWEEN_SETS_S = 600.0
# The fields every level has for its pacing; listed after the family's own fields (they are rarely changed).
PACING_FIELDS = ("sets", "rest_between_sets_s")


def first_control_character(text: str) -> str | None:
    """Return a description of the first control character in ``text``, or ``None`` when there is none.

    Control characters are Unicode category Cc: NUL, tab, newline, escape, DEL, the C1 controls.
    """
    for position, char in enumerate(text, start=1):
        if unicodedata.category(char) == "Cc":
            return f"U+{ord(char):04X} at character {position}"
    return None


class LevelFile(BaseModel):
    """The fields every level file has; a family's schema adds its own (and narrows ``kind`` to its name)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

    schema_version: Literal[1] = Field(description="the level file format's version: 1")
    name: str = Field(pattern=LEVEL_NAME_PATTERN, description="the file's name without .toml")
    title: str = Field(min_length=1, max_length=80, description="shown to the patient")
    description: str = Field(default="", max_length=400, description="one or two sentences for the menu")
    kind: str = Field(description="the level's family: its rules and its fields")
    models: tuple[Annotated[TrackingModel, Strict(False)], ...] = Field(
        min_length=1,
        strict=False,
        description="MediaPipe models the level needs",  # a TOML array of texts
    )
    sets: int = Field(
        default=1, ge=1, le=MAX_SETS, description="plays of the level's trials in a row, with a rest between them"
    )
    rest_between_sets_s: float = Field(
        default=DEFAULT_REST_BETWEEN_SETS_S,
        ge=0.0,
        le=MAX_REST_BETWEEN_SETS_S,
        description="the calm rest between two sets, seconds (the patient may go on sooner)",
    )
    sensory_trick: Literal["allowed", "not_allowed", "encouraged"] = Field(
        default="allowed",
        description="a hand on the chin or cheek (geste antagoniste): allowed, not_allowed or encouraged (hinted)",
    )

    @field_validator("title", "description")
    @classmethod
    def _printable(cls, text: str) -> str:
        found = first_control_character(text)
        if found is not None:
            raise ValueError(f"contains the control character {found}; expected text that can be shown")
        return text

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """Return the fields a level file of this family may have: the common ones, the family's, then pacing."""
        names = tuple(cls.model_fields)
        return tuple(name for name in names if name not in PACING_FIELDS) + PACING_FIELDS
