"""A picture of an analysis: speed over time, each movement shaded, each break marked by kind (matplotlib, Agg)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display on clinic machines, CI or tests

import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
import numpy as np  # noqa: E402

from tracking.movement_analysis import AnalysisReport  # noqa: E402
from tracking.quality_types import BreakKind  # noqa: E402

BREAK_STYLE: dict[BreakKind, tuple[str, str]] = {
    BreakKind.ARREST: ("tab:red", "v"),
    BreakKind.JERK: ("tab:purple", "*"),
    BreakKind.REVERSAL: ("tab:orange", "<"),
    BreakKind.POSTURE: ("tab:brown", "s"),
    BreakKind.TREMOR: ("tab:green", "D"),
}
FIGURE_SIZE_IN = (11.0, 4.0)
DPI = 110


def plot_analysis(report: AnalysisReport, out_path: str | Path) -> Path:
    """Write a PNG of ``report``: the filtered speed (gaps where untracked), movements shaded with their SPARC,
    breaks marked on the curve with a legend by kind. Returns the path written."""
    trace = report.trace
    figure, axes = plt.subplots(figsize=FIGURE_SIZE_IN, dpi=DPI)
    try:
        axes.plot(trace.t_s, trace.speed, color="tab:blue", linewidth=1.2, label="speed")
        for movement in report.result.movements:
            axes.axvspan(movement.start_s, movement.end_s, color="tab:blue", alpha=0.10)
            axes.annotate(f"SPARC {movement.sparc:.2f}", (movement.start_s, 1.0), xycoords=("data", "axes fraction"),
                          fontsize=7, va="top")
        shown: set[BreakKind] = set()
        for event in report.result.breaks:
            colour, marker = BREAK_STYLE[event.kind]
            at = int(np.clip(np.searchsorted(trace.t_s, event.t_s), 0, max(trace.t_s.size - 1, 0)))
            height = float(trace.speed[at]) if trace.t_s.size and np.isfinite(trace.speed[at]) else 0.0
            axes.plot([event.t_s], [height], marker=marker, color=colour, markersize=10, linestyle="none",
                      label=None if event.kind in shown else event.kind.value)
            axes.axvline(event.t_s, color=colour, alpha=0.4, linewidth=0.8)
            shown.add(event.kind)
        axes.set_xlabel("time from the start of the input (s)")
        axes.set_ylabel(f"{report.result.effector.value} speed ({trace.unit})")
        axes.set_title(f"{report.source}: {len(report.result.movements)} movements, "
                       f"{len(report.result.breaks)} breaks (training feedback, not a clinical score)", fontsize=9)
        axes.legend(loc="upper right", fontsize=8)
        axes.set_ylim(bottom=0)
        figure.tight_layout()
        path = Path(out_path)
        figure.savefig(path)
    finally:
        plt.close(figure)
    return path
