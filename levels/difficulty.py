"""The difficulty index of a level: 0 the easiest, 1 the hardest, and the level's parameters at any index.

A level file may give any numeric parameter as a pair ``[easy, hard]`` instead of one number, for example
``target_radius_norm = [0.12, 0.06]``: at index ``d`` the parameter is ``easy + d * (hard - easy)`` (rounded for
a whole-number field such as ``trials``). Both ends are checked against the field's range by the family's own
schema, so every value in between is valid too (the ranges are intervals). The same file also holds the
adaptation settings of :class:`Adaptation` (step size, start index, the success rule's floors); they are taken out
before the family's schema sees the file.

Pure: no file is read here (:mod:`levels.loader` reads the files and calls :func:`split_level_data`).
"""

from __future__ import annotations

import math
import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from levels.families import FAMILIES, family_for, level_file_adapter
from levels.schema import LevelFile

# The staircase's step when the level file gives none: ten steps from the easiest to the hardest, coarse enough to
# move within a session of 20-30 trials (issue 8), fine enough that one step changes a target's size by ~10%.
DEFAULT_DIFFICULTY_STEP = 0.1
# Decimals kept of an interpolated value: 0.4 + 0.5 * 0.4 is 0.6, not 0.6000000000000001 (far below any unit's
# resolution: a millionth of a millimetre on a screen-height scale).
RAMP_DECIMALS = 9
# Fields never given as a pair: the format's version and the seed of the positions are not difficulties, nor is a
# patient's own range of motion (a head level's range_left_deg ...: a measure, which range_fraction scales).
NOT_RAMPABLE = frozenset(
    {"schema_version", "seed", "range_left_deg", "range_right_deg", "range_up_deg", "range_down_deg"}
)
# The adaptation settings a level file may hold on top of its family's fields.
ADAPTATION_FIELDS = (
    "difficulty_step",
    "start_difficulty",
    "success_sparc_floor",
    "success_in_tolerance_floor",
)


# A plan's caps on a level's parameters: field -> (lowest, highest), either side ``None`` when open.
Caps = Mapping[str, tuple[float | None, float | None]]


class DifficultyError(ValueError):
    """A pair or an adaptation setting of a level file is not usable; the message names the field."""


class Adaptation(BaseModel):
    """The adaptation settings of a level file (all optional).

    ``success_sparc_floor`` is the smoothness floor of the success rule (SPARC, a negative number: closer to 0 is
    smoother; a trial whose SPARC is below the floor is not a success). Hold levels use
    ``success_in_tolerance_floor`` instead: the fraction of the hold spent within tolerance.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

    difficulty_step: float = Field(
        default=DEFAULT_DIFFICULTY_STEP, gt=0.0, le=0.5, description="the staircase's step on the 0-1 index"
    )
    start_difficulty: float = Field(default=0.0, ge=0.0, le=1.0, description="the index a first session starts at")
    success_sparc_floor: float | None = Field(
        default=None, ge=-20.0, le=0.0, description="a success needs SPARC above this (smoother)"
    )
    success_in_tolerance_floor: float | None = Field(
        default=None, ge=0.0, le=1.0, description="a hold's success needs at least this fraction within tolerance"
    )


@dataclass(frozen=True)
class Ramp:
    """A parameter that moves with the index: ``easy`` at 0, ``hard`` at 1; ``whole`` rounds it (a count)."""

    field: str
    easy: float
    hard: float
    whole: bool

    def at(self, index: float) -> float | int:
        """Return the value at ``index`` (clamped into [0, 1])."""
        value = self.easy + clamp_index(index) * (self.hard - self.easy)
        return round(value) if self.whole else round(value, RAMP_DECIMALS)

    def index_where(self, value: float) -> float:
        """Return the index at which the parameter equals ``value`` (may be outside [0, 1]); nan when flat."""
        if self.hard == self.easy:
            return math.nan
        return (value - self.easy) / (self.hard - self.easy)


@dataclass(frozen=True)
class LevelSpec:
    """A level file with its ramps: the fixed fields, the ramps and the adaptation settings.

    ``fixed`` is the file's data without the pairs and the adaptation settings (a read-only mapping).
    """

    kind: str
    fixed: Mapping[str, Any]
    ramps: tuple[Ramp, ...]
    adaptation: Adaptation

    def data_at(self, index: float) -> dict[str, Any]:
        """Return the level file's data with every pair replaced by its value at ``index``."""
        data = dict(self.fixed)
        data.update({ramp.field: ramp.at(index) for ramp in self.ramps})
        return data

    def ramp(self, field: str) -> Ramp | None:
        """Return the ramp of ``field``, ``None`` when the field is fixed."""
        return next((ramp for ramp in self.ramps if ramp.field == field), None)


def clamp_index(index: float) -> float:
    """``index`` within [0, 1]; a NaN becomes 0 (the easiest), never passed on."""
    if math.isnan(index):
        return 0.0
    return min(1.0, max(0.0, index))


def numeric_kind(schema: type[LevelFile], field: str) -> str | None:
    """``"int"`` or ``"float"`` for a numeric field of ``schema`` (optional or not), else ``None``."""
    info = schema.model_fields.get(field)
    if info is None:
        return None
    annotation = info.annotation
    members = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else (annotation,)
    # An optional field of a shared type (``DwellTime | None``) keeps its Annotated wrapper inside the union.
    kinds = {get_args(member)[0] if get_origin(member) is Annotated else member for member in members}
    kinds.discard(type(None))
    if kinds == {int}:
        return "int"
    if kinds == {float}:
        return "float"
    return None


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _ramp(schema: type[LevelFile], field: str, value: list[Any]) -> Ramp:
    kind = numeric_kind(schema, field)
    if kind is None or field in NOT_RAMPABLE:
        raise DifficultyError(f"field {field!r}: an [easy, hard] pair is only for a numeric difficulty parameter")
    if len(value) != 2 or not all(_is_number(end) for end in value):
        raise DifficultyError(f"field {field!r}: expected a number or a pair [easy, hard] of numbers, got {value!r}")
    easy, hard = (float(end) for end in value)
    if not (math.isfinite(easy) and math.isfinite(hard)):
        raise DifficultyError(f"field {field!r}: expected finite numbers, got {value!r}")
    if kind == "int" and not all(isinstance(end, int) for end in value):
        raise DifficultyError(f"field {field!r}: expected a pair of whole numbers, got {value!r}")
    return Ramp(field=field, easy=easy, hard=hard, whole=kind == "int")


def split_level_data(raw: Mapping[str, Any]) -> LevelSpec:
    """Split a level file's data into its fixed fields, its ramps and its adaptation settings.

    The family's schema is not applied here (:func:`check_ends` does it); an unknown ``kind`` keeps every field
    fixed, so that the schema's own message about ``kind`` is the one shown.

    Raises
    ------
    DifficultyError
        A pair that is not two numbers, a pair on a field that is not a numeric parameter, or an adaptation
        setting out of range; the message names the field.
    """
    settings = {name: raw[name] for name in ADAPTATION_FIELDS if name in raw}
    try:
        adaptation = Adaptation.model_validate(settings)
    except ValidationError as error:
        item = error.errors()[0]
        field = ".".join(str(part) for part in item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        raise DifficultyError(f"field {field!r}: {message}, got {item.get('input')!r}") from None
    kind = raw.get("kind")
    try:
        schema: type[LevelFile] | None = family_for(kind).schema if isinstance(kind, str) else None
    except KeyError:
        schema = None
    fixed: dict[str, Any] = {}
    ramps: list[Ramp] = []
    for field, value in raw.items():
        if field in ADAPTATION_FIELDS:
            continue
        if schema is not None and isinstance(value, list) and numeric_kind(schema, field) is not None:
            ramps.append(_ramp(schema, field, value))
        else:
            fixed[field] = value
    return LevelSpec(
        kind=str(kind), fixed=types.MappingProxyType(fixed), ramps=tuple(ramps), adaptation=adaptation
    )


def ends(spec: LevelSpec) -> tuple[tuple[str, float], ...]:
    """Return the indices at which a level file is checked, with their names: both ends when it has ramps."""
    if not spec.ramps:
        return (("", spec.adaptation.start_difficulty),)
    return (("easy end (difficulty 0)", 0.0), ("hard end (difficulty 1)", 1.0))


def level_at(spec: LevelSpec, index: float, caps: Caps | None = None) -> Any:
    """Return the concrete level at ``index`` (clamped into [0, 1]), with ``caps`` applied: field -> (lowest, highest).

    A cap always wins over the ramp: a value beyond it is set to the cap. The level is validated by its family's
    schema (both ends were checked when the file was read, so this holds for every index in between).
    """
    data = spec.data_at(clamp_index(index))
    for field, (lowest, highest) in (caps or {}).items():
        value = data.get(field)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            data[field] = _capped(value, lowest, highest)
    return level_file_adapter().validate_python(data)


def _capped(value: float, lowest: float | None, highest: float | None) -> float:
    """``value`` within [lowest, highest]; a whole number stays whole (rounded inwards)."""
    whole = isinstance(value, int)
    if lowest is not None:
        value = max(value, math.ceil(lowest) if whole else lowest)
    if highest is not None:
        value = min(value, math.floor(highest) if whole else highest)
    return value


# The JSON Schema keywords of a number's range and type, kept in a pair's ends.
_NUMBER_KEYWORDS = ("type", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def pair_json_schema(number: Mapping[str, Any]) -> dict[str, Any]:
    """Return the JSON Schema of an ``[easy, hard]`` pair whose two ends are each ``number`` (its type and range)."""
    return {
        "type": "array",
        "prefixItems": [dict(number), dict(number)],
        "items": False,
        "minItems": 2,
        "maxItems": 2,
        "description": "[easy, hard]: the value at difficulty 0 and at difficulty 1, each within the range",
    }


def _number_or_pair(prop: Mapping[str, Any]) -> dict[str, Any]:
    """Return a numeric property's JSON Schema that also takes a pair of numbers in the same range."""
    members = prop.get("anyOf")
    if isinstance(members, list):  # an optional field: the number, a pair of it, or null
        numbers = [member for member in members if member.get("type") in ("number", "integer")]
        others = [member for member in members if member not in numbers]
        return {**prop, "anyOf": [*numbers, *(pair_json_schema(number) for number in numbers), *others]}
    number = {key: prop[key] for key in _NUMBER_KEYWORDS if key in prop}
    rest = {key: value for key, value in prop.items() if key not in _NUMBER_KEYWORDS}
    return {**rest, "anyOf": [number, pair_json_schema(number)]}


def with_pairs(schema: Mapping[str, Any]) -> dict[str, Any]:
    """Return the level file's JSON Schema (the families' union) as a level file may really be written.

    Every difficulty parameter (a numeric field, not in :data:`NOT_RAMPABLE`) accepts a number or an
    ``[easy, hard]`` pair, both ends within the field's range; every family also takes the adaptation settings of
    :class:`Adaptation` (``difficulty_step``, ``start_difficulty``, the success rule's floors).
    """
    definitions = {name: dict(definition) for name, definition in schema.get("$defs", {}).items()}
    adaptation = Adaptation.model_json_schema()["properties"]
    for family in FAMILIES:
        definition = definitions.get(family.schema.__name__)
        if definition is None:
            continue
        properties = dict(definition.get("properties", {}))
        for field, prop in properties.items():
            if field not in NOT_RAMPABLE and numeric_kind(family.schema, field) is not None:
                properties[field] = _number_or_pair(prop)
        properties.update(adaptation)
        definitions[family.schema.__name__] = {**definition, "properties": properties}
    return {**schema, "$defs": definitions}


def by_kind(schema: Mapping[str, Any]) -> dict[str, Any]:
    """Return the union ``schema`` with its ``oneOf`` written as one ``if kind == ... then`` per family.

    A plain JSON Schema validator (an editor's) then checks a file against its own family only, and names the
    field that is wrong (with ``oneOf`` it only says that no family matched). The ``discriminator`` (OpenAPI's
    word for the same) is kept for the tools that read it.
    """
    mapping: Mapping[str, str] = schema.get("discriminator", {}).get("mapping", {})
    if not mapping:
        return dict(schema)
    rest = {key: value for key, value in schema.items() if key != "oneOf"}
    return {
        **rest,
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": sorted(mapping), "description": "the level's family"}},
        "allOf": [
            {"if": {"properties": {"kind": {"const": kind}}}, "then": {"$ref": reference}}
            for kind, reference in mapping.items()
        ],
    }


def level_file_json_schema() -> dict[str, Any]:
    """Return the JSON Schema of a level file, ``[easy, hard]`` pairs and adaptation settings included."""
    return by_kind(with_pairs(level_file_adapter().json_schema()))
