"""Time spent using a sensory trick (geste antagoniste: a hand on the chin, cheek or jaw), for every family.

The per-frame signal is ``signals.hand_on_face`` (:mod:`tracking.sensory_trick`): ``True``, ``False``, or ``None``
when the face is not tracked. A level's ``sensory_trick`` field says whether the trick is allowed, not allowed or
encouraged; whatever it says, each trial records the seconds the trick was used (``sensory_trick_s`` in its
measures), for the therapist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from levels.events import InputEvent, TrackedFrame
from tracking.types import TrackedSample


def trick_seconds(samples: Sequence[TrackedSample]) -> float:
    """Return the seconds of ``samples`` during which a hand was on the face.

    Each sample counts until the next one's time (the frame's own time, ``frame.t_s``); the last sample counts for
    nothing, as its length is unknown. Frames without a face (``None``) count as no trick.
    """
    seconds = 0.0
    for current, following in zip(samples, samples[1:], strict=False):
        if current.signals.hand_on_face:
            seconds += max(following.frame.t_s - current.frame.t_s, 0.0)
    return seconds


@dataclass(frozen=True)
class TrickTimer:
    """Counts the trick's seconds on a level clock: the last ``hand_on_face`` seen and the seconds so far."""

    on_face: bool = False
    seconds: float = 0.0

    def take(self, event: InputEvent) -> TrickTimer:
        """Return the timer after ``event``: a tracked frame updates whether the hand is on the face."""
        if isinstance(event, TrackedFrame):
            on_face = bool(event.sample.signals.hand_on_face)
            return self if on_face == self.on_face else replace(self, on_face=on_face)
        return self

    def advance(self, dt_s: float) -> TrickTimer:
        """Return the timer ``dt_s`` seconds of level clock later (counted while the hand is on the face)."""
        return replace(self, seconds=self.seconds + dt_s) if self.on_face else self

    def restart(self) -> TrickTimer:
        """Return the timer with its seconds back at 0 (a new trial), still knowing where the hand is."""
        return replace(self, seconds=0.0)
