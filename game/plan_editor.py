"""The therapist screen's edits of a plan, pure: a level's difficulty limits, its sets, the session's limit, and
the plan written back as TOML.

The steps keep a level's difficulties within 0..1 and in order (lowest <= start <= highest): a step that would
break the order is not taken, and :func:`step_difficulty` says why. Sets and the session's limit step without an
upper bound here: saving checks the whole plan with the plan files' own validation
(:func:`clinic.plan.check_plan`), which names the field of anything out of range. The text written is the plan's
fields, not the therapist's original text (comments are not kept; the records keep every earlier version).
"""

from __future__ import annotations

import json
import math
import re
from typing import Literal

from levels.plan import Cap, Plan, PlanLevel

# One press changes a difficulty by this much: a twentieth of the 0..1 index, a step a therapist can see in play.
DIFFICULTY_STEP = 0.05
# One press changes the session's limit by five minutes, never below five minutes (a short session).
SESSION_LIMIT_STEP_MIN = 5.0
LEAST_SESSION_LIMIT_MIN = 5.0
# Difficulties are kept to this many decimals, so that steps of 0.05 add up exactly (0.3 + 0.05 is 0.35).
DIFFICULTY_DECIMALS = 2

Which = Literal["start", "min", "max"]
FIELD_OF: dict[Which, str] = {"start": "start_difficulty", "min": "min_difficulty", "max": "max_difficulty"}
WORDS_OF: dict[Which, str] = {"start": "start", "min": "lowest", "max": "highest"}
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _level(plan: Plan, index: int, entry: PlanLevel) -> Plan:
    levels = list(plan.levels)
    levels[index] = entry
    return plan.model_copy(update={"levels": tuple(levels)})


def step_difficulty(plan: Plan, index: int, which: Which, direction: int) -> tuple[Plan, str | None]:
    """Return the plan with level ``index``'s ``which`` difficulty one step up (``direction`` 1) or down (-1).

    The difficulty stays within 0..1 and lowest <= start <= highest; a step that would leave them is not taken,
    and the second value says why (``None`` when the step was taken).
    """
    entry = plan.levels[index]
    values = {key: getattr(entry, field) for key, field in FIELD_OF.items()}
    stepped = round(values[which] + direction * DIFFICULTY_STEP, DIFFICULTY_DECIMALS)
    if not 0.0 <= stepped <= 1.0:
        return plan, f"The {WORDS_OF[which]} difficulty stays between 0 and 1."
    values[which] = stepped
    if not values["min"] <= values["start"] <= values["max"]:
        return plan, "The difficulties stay in order: lowest, then start, then highest."
    return _level(plan, index, entry.model_copy(update={FIELD_OF[which]: stepped})), None


def step_sets(plan: Plan, index: int, direction: int) -> Plan:
    """Return the plan with level ``index`` played in one set more or fewer (never fewer than one)."""
    entry = plan.levels[index]
    return _level(plan, index, entry.model_copy(update={"sets": max(1, entry.sets + direction)}))


def step_session_limit(plan: Plan, direction: int) -> Plan:
    """Return the plan with the session's limit :data:`SESSION_LIMIT_STEP_MIN` longer or shorter."""
    limit_min = max(LEAST_SESSION_LIMIT_MIN, plan.session_limit_min + direction * SESSION_LIMIT_STEP_MIN)
    return plan.model_copy(update={"session_limit_min": limit_min})


def plan_to_toml(plan: Plan) -> str:
    """Return the plan as the text of a plan file (:mod:`levels.plan`), which reads back as the same plan."""
    lines = [
        f"schema_version = {plan.schema_version}",
        f"affected_side = {_string(plan.affected_side)}",
        f"session_limit_min = {_number(plan.session_limit_min)}",
        f"rest_between_sets_s = {_number(plan.rest_between_sets_s)}",
    ]
    for entry in plan.levels:
        lines += ["", "[[levels]]", f"name = {_string(entry.name)}"]
        if entry.repetitions is not None:
            lines.append(f"repetitions = {entry.repetitions}")
        lines.append(f"sets = {entry.sets}")
        if entry.rest_between_sets_s is not None:
            lines.append(f"rest_between_sets_s = {_number(entry.rest_between_sets_s)}")
        lines += [f"{field} = {_number(getattr(entry, field))}" for field in FIELD_OF.values()]
        if entry.caps:
            caps = ", ".join(f"{_key(field)} = {_cap(cap)}" for field, cap in entry.caps.items())
            lines.append(f"caps = {{ {caps} }}")
    return "\n".join(lines) + "\n"


def _cap(cap: Cap) -> str:
    bounds = [f"{name} = {_number(value)}" for name, value in (("min", cap.min), ("max", cap.max)) if value is not None]
    return "{ " + ", ".join(bounds) + " }"


def _number(value: float) -> str:
    """A TOML float (always with a point: the plan's difficulty fields take floats only)."""
    if not math.isfinite(value):
        raise ValueError(f"a plan holds finite numbers only, got {value}")
    return repr(float(value))


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a TOML basic string: JSON's escapes are TOML's


def _key(name: str) -> str:
    return name if _BARE_KEY.match(name) else _string(name)
