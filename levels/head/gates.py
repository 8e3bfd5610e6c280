"""Gates of the head level, as plain geometry: where a path's gates stand and whether a cursor's move passed one.

A gate is an opening between two posts, with a direction: the head cursor passes it when it crosses the line
between the posts, the way the gate's arrow points, between the posts. Crossing that line the other way changes
nothing (the patient may come back and try again); crossing it the right way outside the posts means the gate was
gone round, and it slips by.

Points are screen points, 0..1 of the width (x) and of the height (y); distances and directions are worked out in
screen heights (x times the screen's aspect), so a gate's opening is as wide whichever way it faces.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

import numpy as np

Point = tuple[float, float]

# How far an intermediate gate may stand to the side of the straight path, as a share of the distance between two
# gates: enough that the path bends and the patient steers, not only turns one way; little enough that no gate
# turns more than ~35 degrees from the one before (atan(2 * 0.35)).
GATE_SWAY_FRACTION = 0.35
# The random stream of a path's sway, apart from the stream of its goal (levels.common_rules.placement_rng).
SWAY_STREAM = 1


class Crossing(enum.Enum):
    """What a move of the cursor did at the current gate."""

    NONE = "none"  # the line between the posts was not crossed the gate's way
    PASSED = "passed"  # crossed between the posts, the gate's way
    WENT_ROUND = "went_round"  # crossed the gate's line the gate's way, outside the posts


@dataclass(frozen=True)
class Gate:
    """One gate: the centre of its opening, its direction and the opening's width.

    ``centre`` is a screen point (0..1), ``direction`` a unit vector in screen heights (the way to pass the gate),
    ``width_norm`` the opening in screen heights.
    """

    centre: Point
    direction: Point
    width_norm: float

    def posts(self, aspect: float) -> tuple[Point, Point]:
        """Return the two posts (screen 0..1): half the width to either side of the centre, across the direction."""
        across = (-self.direction[1], self.direction[0])
        dx, dy = self.width_norm / 2.0 * across[0] / aspect, self.width_norm / 2.0 * across[1]
        return (self.centre[0] - dx, self.centre[1] - dy), (self.centre[0] + dx, self.centre[1] + dy)

    def crossing(self, before: Point, after: Point, aspect: float) -> Crossing:
        """Return what the cursor's move from ``before`` to ``after`` (screen 0..1) did at this gate."""
        ahead_before = self._ahead(before, aspect)
        ahead_after = self._ahead(after, aspect)
        if not (ahead_before < 0.0 <= ahead_after):
            return Crossing.NONE
        share = ahead_before / (ahead_before - ahead_after)
        at = (before[0] + share * (after[0] - before[0]), before[1] + share * (after[1] - before[1]))
        across = (-self.direction[1], self.direction[0])
        aside = (at[0] - self.centre[0]) * aspect * across[0] + (at[1] - self.centre[1]) * across[1]
        return Crossing.PASSED if abs(aside) <= self.width_norm / 2.0 else Crossing.WENT_ROUND

    def _ahead(self, point: Point, aspect: float) -> float:
        """Return how far ``point`` lies beyond the gate's line, the gate's way (screen heights; < 0 before it)."""
        dx, dy = (point[0] - self.centre[0]) * aspect, point[1] - self.centre[1]
        return dx * self.direction[0] + dy * self.direction[1]


def _unit(dx: float, dy: float) -> Point:
    length = math.hypot(dx, dy)
    return (1.0, 0.0) if length == 0.0 else (dx / length, dy / length)


def gate_path(
    start: Point,
    goal: Point,
    *,
    gates: int,
    width_norm: float,
    aspect: float,
    rng: np.random.Generator,
    bounds: tuple[Point, Point],
) -> tuple[Gate, ...]:
    """Return ``gates`` gates from ``start`` (not a gate) to ``goal`` (the last gate), evenly spaced along the way.

    Each gate but the last stands up to :data:`GATE_SWAY_FRACTION` of the spacing to the side (drawn from ``rng``),
    within ``bounds`` ((x_min, y_min), (x_max, y_max)) so that its posts stay on screen; each faces the way from the
    gate before it (the first: from ``start``).
    """
    (x_min, y_min), (x_max, y_max) = bounds
    path = _unit((goal[0] - start[0]) * aspect, goal[1] - start[1])
    spacing = math.hypot((goal[0] - start[0]) * aspect, goal[1] - start[1]) / gates
    centres: list[Point] = []
    for number in range(1, gates + 1):
        share = number / gates
        x = start[0] + share * (goal[0] - start[0])
        y = start[1] + share * (goal[1] - start[1])
        if number < gates:
            aside = float(rng.uniform(-1.0, 1.0)) * GATE_SWAY_FRACTION * spacing
            x, y = x - aside * path[1] / aspect, y + aside * path[0]
        centres.append((min(max(x, x_min), x_max), min(max(y, y_min), y_max)))
    placed: list[Gate] = []
    previous = start
    for centre in centres:
        direction = _unit((centre[0] - previous[0]) * aspect, centre[1] - previous[1])
        placed.append(Gate(centre, direction, width_norm))
        previous = centre
    return tuple(placed)
