"""The therapist's plan for one patient (TOML): levels in order, sets and repetitions, limits and caps (pure).

A plan file::

    schema_version = 1
    affected_side = "left"          # left, right, both or none
    session_limit_min = 30          # the session ends after this many minutes (at the end of a level)
    rest_between_sets_s = 30.0      # the default rest between sets (a level may set its own)

    [[levels]]
    name = "reach"                  # a catalogue level
    repetitions = 8                 # trials (targets, holds...) in a set: replaces the level's trials
    sets = 2
    start_difficulty = 0.3          # a first session's start (later: one step below where the last ended)
    min_difficulty = 0.1
    max_difficulty = 0.7
    caps = { target_radius_norm = { min = 0.07 } }   # never smaller than 0.07, whatever the difficulty

Every error names the field (``levels.1.caps.range_fraction.max``). A plan whose caps contradict a level's
ranges is refused: a cap on a parameter the level does not have, or one that the level breaks already at the
plan's lowest difficulty. The caps always win (:func:`levels.difficulty.level_at` clamps to them), and the
staircase never goes above the highest difficulty at which every cap holds (:func:`index_limits`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from levels.difficulty import Caps, LevelSpec, level_at, numeric_kind
from levels.errors import LevelFileError
from levels.families import family_for
from levels.schema import LevelFile
from tracking.errors import UserFacingError
from tracking.input_files import InputFileError
from tracking.json_input import toml_loads_checked

# The longest session a plan may ask: dystonia worsens with fatigue; 3 hours bounds a typo (minutes for 180 h).
MAX_SESSION_LIMIT_MIN = 180
# The most levels in one plan, and repetitions in a set (the level files allow 100 trials).
MAX_PLAN_LEVELS = 30
MAX_REPETITIONS = 100
# The repetition fields of the families: trials (reach, grasp, head, trace) or repetitions (hold).
REPETITION_FIELDS = ("trials", "repetitions")
# A plan file is a few KB; the records keep at most 256 KiB.
MAX_PLAN_BYTES = 256 * 1024


class PlanFileError(UserFacingError):
    """A plan cannot be used: the message names the plan (file or patient), the field and what was expected."""


class Cap(BaseModel):
    """The lowest and highest value a parameter may take under this plan (either may be left out)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, allow_inf_nan=False)

    min: float | None = Field(default=None, description="the parameter never goes below this")
    max: float | None = Field(default=None, description="the parameter never goes above this")

    @model_validator(mode="after")
    def _ordered(self) -> Cap:
        if self.min is None and self.max is None:
            raise ValueError("expected min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) above max ({self.max})")
        return self


class PlanLevel(BaseModel):
    """One level of a plan, with its sets, repetitions, difficulty limits and caps."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

    name: str = Field(min_length=1, max_length=64, description="a catalogue level's name")
    repetitions: int | None = Field(default=None, ge=1, le=MAX_REPETITIONS, description="trials in one set")
    sets: int = Field(default=1, ge=1, le=20, description="sets of the level, with a rest between them")
    rest_between_sets_s: float | None = Field(default=None, ge=0.0, le=600.0, description="the rest, seconds")
    start_difficulty: float = Field(default=0.0, ge=0.0, le=1.0, description="a first session's difficulty")
    min_difficulty: float = Field(default=0.0, ge=0.0, le=1.0, description="the easiest the game may go")
    max_difficulty: float = Field(default=1.0, ge=0.0, le=1.0, description="the hardest the game may go")
    caps: dict[str, Cap] = Field(default_factory=dict, strict=False, description="parameter -> {min, max}")

    @model_validator(mode="after")
    def _limits_ordered(self) -> PlanLevel:
        if self.min_difficulty > self.max_difficulty:
            raise ValueError(f"min_difficulty ({self.min_difficulty}) above max_difficulty ({self.max_difficulty})")
        if not self.min_difficulty <= self.start_difficulty <= self.max_difficulty:
            raise ValueError(
                f"start_difficulty ({self.start_difficulty}) outside min_difficulty..max_difficulty "
                f"({self.min_difficulty}..{self.max_difficulty})"
            )
        return self

    def cap_bounds(self) -> Caps:
        """Return the caps as field -> (lowest, highest), for :func:`levels.difficulty.level_at`."""
        return {field: (cap.min, cap.max) for field, cap in self.caps.items()}


class Plan(BaseModel):
    """A patient's plan, as written in its TOML file."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

    schema_version: Literal[1] = Field(description="the plan format's version: 1")
    affected_side: Literal["left", "right", "both", "none"] = Field(description="the side dystonia affects")
    session_limit_min: float = Field(gt=0.0, le=MAX_SESSION_LIMIT_MIN, strict=False, description="minutes")
    rest_between_sets_s: float = Field(default=30.0, ge=0.0, le=600.0, strict=False, description="seconds")
    levels: tuple[PlanLevel, ...] = Field(min_length=1, max_length=MAX_PLAN_LEVELS, strict=False)


def parse_plan(text: str, *, source: str, load_spec: Callable[[str], LevelSpec]) -> Plan:
    """Check a plan's text against its format and its levels; ``source`` names it in errors.

    ``load_spec`` returns a level by name (:func:`levels.loader.load_level_spec`).

    Raises
    ------
    PlanFileError
        Naming ``source``, the field and what was expected.
    """
    try:
        raw = toml_loads_checked(text, source=source)
    except InputFileError as error:
        raise PlanFileError(str(error)) from None
    try:
        plan = Plan.model_validate(raw)
    except ValidationError as error:
        raise PlanFileError(f"{source}: " + "; ".join(_problem(item) for item in error.errors())) from None
    for position, entry in enumerate(plan.levels):
        _check_level(plan, entry, f"levels.{position}", source, load_spec)
    return plan


def _problem(item: Any) -> str:
    field = ".".join(str(part) for part in item["loc"]) or "(file)"
    if item["type"] == "missing":
        return f"field {field!r}: missing (this field is required)"
    if item["type"] == "extra_forbidden":
        return f"field {field!r}: unknown field (see docs/adaptive-difficulty.md)"
    message = str(item["msg"]).removeprefix("Value error, ")
    shown = repr(item.get("input"))
    return f"field {field!r}: {message}, got {shown if len(shown) <= 60 else shown[:57] + '...'}"


def _check_level(
    plan: Plan, entry: PlanLevel, where: str, source: str, load_spec: Callable[[str], LevelSpec]
) -> None:
    try:
        spec = load_spec(entry.name)
    except LevelFileError as error:
        raise PlanFileError(f"{source}, field '{where}.name': {error}") from None
    schema = family_for(spec.kind).schema
    if entry.repetitions is not None and not any(name in schema.model_fields for name in REPETITION_FIELDS):
        raise PlanFileError(f"{source}, field '{where}.repetitions': a {spec.kind} level has no repetitions")
    for field, cap in entry.caps.items():
        _check_cap(spec, entry, field, cap, f"{source}, field '{where}.caps.{field}")
    try:
        for index in (entry.min_difficulty, entry.max_difficulty):
            planned_level(spec, entry, plan, index)
    except ValidationError as error:
        item = error.errors()[0]
        field = ".".join(str(part) for part in item["loc"] if part != spec.kind)
        part = "repetitions" if field in REPETITION_FIELDS else f"caps.{field}"
        raise PlanFileError(f"{source}, field '{where}.{part}': outside the level's range: {item['msg']}") from None


def _check_cap(spec: LevelSpec, entry: PlanLevel, field: str, cap: Cap, where: str) -> None:
    schema = family_for(spec.kind).schema
    if numeric_kind(schema, field) is None:
        raise PlanFileError(f"{where}': the {spec.kind} level {spec.fixed.get('name')!r} has no numeric parameter "
                            f"{field!r}")
    lowest, highest = field_range(schema, field)
    for name, bound in (("min", cap.min), ("max", cap.max)):
        if bound is not None and not lowest <= bound <= highest:
            raise PlanFileError(f"{where}.{name}': {bound} is outside the level's range of {field} "
                                f"({lowest}..{highest}): the cap contradicts the level's range")
    value = spec.data_at(entry.min_difficulty).get(field)
    if value is None:
        value = schema.model_fields[field].default
    if not isinstance(value, (int, float)):
        return
    if cap.max is not None and value > cap.max:
        raise PlanFileError(f"{where}.max': {cap.max} is below the level's {field} at min_difficulty "
                            f"{entry.min_difficulty} ({value}): the cap contradicts the level's range")
    if cap.min is not None and value < cap.min:
        raise PlanFileError(f"{where}.min': {cap.min} is above the level's {field} at min_difficulty "
                            f"{entry.min_difficulty} ({value}): the cap contradicts the level's range")


def field_range(schema: type[LevelFile], field: str) -> tuple[float, float]:
    """Return the valid range of a numeric field of a level schema (its ``ge``/``gt`` and ``le``/``lt``)."""
    lowest, highest = -math.inf, math.inf
    for item in schema.model_fields[field].metadata:
        lowest = float(getattr(item, "ge", getattr(item, "gt", lowest)))
        highest = float(getattr(item, "le", getattr(item, "lt", highest)))
    return lowest, highest


def index_limits(spec: LevelSpec, entry: PlanLevel) -> tuple[float, float]:
    """Return the lowest and highest difficulty the staircase may use: the plan's, lowered so that caps hold.

    A cap crossed by a ramp at index ``i`` lowers the highest index to ``i`` (the parameter is also clamped, so a
    cap holds even without this; this keeps the staircase from climbing where nothing changes).
    """
    highest = entry.max_difficulty
    for field, cap in entry.caps.items():
        ramp = spec.ramp(field)
        if ramp is None:
            continue
        for bound, over in ((cap.max, ramp.hard > ramp.easy), (cap.min, ramp.hard < ramp.easy)):
            if bound is None or not over:
                continue
            crossing = ramp.index_where(bound)
            if not math.isnan(crossing):
                highest = min(highest, max(entry.min_difficulty, crossing))
    return entry.min_difficulty, highest


def planned_level(spec: LevelSpec, entry: PlanLevel, plan: Plan, index: float) -> Any:
    """Return the concrete level of a plan's entry at ``index``: caps, repetitions, sets and rest applied."""
    low, high = index_limits(spec, entry)
    level = level_at(spec, min(high, max(low, index)), entry.cap_bounds())
    rest_s = plan.rest_between_sets_s if entry.rest_between_sets_s is None else entry.rest_between_sets_s
    # Only the fields the level sets: a full dump would also hand back values that a validator works out (a head
    # hold's target and tolerance), which the schema refuses as given.
    data = {**level.model_dump(exclude_unset=True), "sets": entry.sets, "rest_between_sets_s": rest_s}
    if entry.repetitions is not None:
        field = next(name for name in REPETITION_FIELDS if name in type(level).model_fields)
        data[field] = entry.repetitions
    return type(level).model_validate(data)


def plan_summary(plan: Plan) -> Mapping[str, Any]:
    """Return the plan's settings other than its levels (for a printed summary)."""
    return {"affected side": plan.affected_side, "session limit (min)": plan.session_limit_min,
            "rest between sets (s)": plan.rest_between_sets_s}
