"""Runs of True in a boolean mask: the one run-finder of the analysis (tracked stretches, movements, holds, tremor)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class Span:
    """Samples ``[start, stop)`` of a signal."""

    start: int
    stop: int


def true_runs(mask: npt.NDArray[np.bool_], *, bridge: int = 0, restart_at: Sequence[int] = ()) -> list[Span]:
    """Return the runs of True in ``mask``, in order.

    Parameters
    ----------
    mask
        One boolean per sample.
    bridge
        The longest run of False (samples) that is bridged: True runs separated by at most ``bridge`` False samples
        are one run. 0: every False sample separates.
    restart_at
        Sorted sample indices where a run always ends and a new one may begin, even across a bridged gap (the
        pieces of a track split at long time gaps).

    Returns
    -------
    list[Span]
        Each run from its first to one past its last True sample; empty when ``mask`` has no True.
    """
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return []
    cut = np.diff(idx) > bridge + 1
    if len(restart_at):
        cut |= np.diff(np.searchsorted(np.asarray(restart_at), idx, side="right")) != 0
    cuts = np.flatnonzero(cut)
    starts = np.concatenate(([idx[0]], idx[cuts + 1]))
    stops = np.concatenate((idx[cuts], [idx[-1]])) + 1
    return [Span(int(a), int(b)) for a, b in zip(starts, stops, strict=True)]
