"""The offline analysis of one input and its published JSON (``motorplay analyze --json``).

The JSON's keys and rounding are published in ``docs/movement-quality.md``: they do not follow the field names of
the Python objects. Values that do not exist are ``null``, never NaN.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from tracking.analysis import SpeedTrace
from tracking.quality_types import Break, MovementQuality, QualityResult


@dataclass(frozen=True)
class AnalysisReport:
    """An offline analysis: what was read, and the movement quality found in it.

    Attributes
    ----------
    source
        The input's own name: a video's file name, or the ``source`` of a recording's header (the JSON field).
    input_name
        The input as the person named it (a path), for printed lines and messages.
    tracked_frames
        Frames in which the analysed effector was tracked; ``hand_frames`` and ``head_frames`` count each effector,
        and ``effector_given`` says whether the effector was asked for or chosen from them.
    """

    source: str
    fps: float
    frames: int
    tracked_frames: int
    result: QualityResult
    trace: SpeedTrace = field(repr=False)
    input_name: str = ""
    hand_frames: int = 0
    head_frames: int = 0
    effector_given: bool = False

    @property
    def duration_s(self) -> float:
        """The input's duration in seconds (frames / fps); 0 when the frame rate is unknown."""
        return self.frames / self.fps if self.fps > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        """Return the documented JSON of ``motorplay analyze --json`` (seconds; no NaN: null instead)."""
        minutes = self.duration_s / 60.0
        return {
            "source": self.source,
            "fps": _num(self.fps, 3),
            "frames": self.frames,
            "tracked_frames": self.tracked_frames,
            "movements": [_movement_json(m) for m in self.result.movements],
            "breaks": [_break_json(b) for b in self.result.breaks],
            "summary": {
                "movements": len(self.result.movements),
                "mean_sparc": _num(self.result.mean_sparc, 4),
                "breaks_per_minute": _num(len(self.result.breaks) / minutes if minutes > 0 else None, 2),
            },
        }


def _num(value: float | None, digits: int) -> float | None:
    """``value`` rounded to ``digits`` decimals, or ``None`` (JSON null) when it is missing, NaN or infinite."""
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


def _break_json(event: Break) -> dict[str, Any]:
    return {"t": _num(event.t_s, 3), "kind": event.kind.value, "effector": event.effector.value,
            "severity": _num(event.severity, 3)}


def _movement_json(movement: MovementQuality) -> dict[str, Any]:
    return {
        "effector": movement.effector.value,
        "start": _num(movement.start_s, 3),
        "end": _num(movement.end_s, 3),
        "duration": _num(movement.duration_s, 3),
        "peak_speed": _num(movement.peak_speed_units_per_s, 2),
        "path_length": _num(movement.path_length_units, 2),
        "sparc": _num(movement.sparc, 4),
        "ldlj": _num(movement.ldlj, 4),
        "velocity_peaks": movement.velocity_peaks,
        "breaks": [_break_json(b) for b in movement.breaks],
    }
