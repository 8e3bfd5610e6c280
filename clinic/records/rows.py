"""How the plain records (:mod:`clinic.records.types`) and the table rows (:mod:`clinic.records.models`) correspond.

Each tuple names the fields that a record and its row share under the same name and meaning; what differs (a
patient's code against its row id, an enum against its stored text) is converted where the record is read or written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

SESSION_FIELDS = ("uuid", "started_at", "ended_at", "complete", "station")
LEVEL_RUN_FIELDS = ("uuid", "level_name", "family", "position", "started_at")
TRIAL_FIELDS = (
    "uuid", "time_s", "start_s", "points", "params", "sparc", "ldlj", "stars", "sensory_trick_s", "measures", "ended_at"
)
DIFFICULTY_CHANGE_FIELDS = ("uuid", "from_value", "to_value", "reason", "changed_at")


def same_fields(source: object, names: Iterable[str]) -> dict[str, Any]:
    """Return the values of ``names`` in ``source`` (a record or a row), by name, to build the other one."""
    return {name: getattr(source, name) for name in names}
