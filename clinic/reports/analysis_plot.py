"""A picture of an analysis: speed over time, each movement shaded, each break marked by kind (matplotlib, Agg)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import matplotlib

matplotlib.use("Agg")  # files only: no display on clinic machines, CI or tests

import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
import numpy as np  # noqa: E402

from tracking.analysis_report import AnalysisReport  # noqa: E402
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
# Longest input name shown whole in the title; longer ones keep their start and end (the title is one line).
TITLE_NAME_CHARS = 60
# Formats matplotlib lists but cannot write on its own: PGF runs a LaTeX program (xelatex) that is not installed
# with motorplay (measured: RuntimeError "'xelatex' not found").
FORMATS_NEEDING_TEX = frozenset({"pgf"})


def plot_formats() -> dict[str, str]:
    """Return the file formats a plot can be written in, by file name ending without the dot.

    For example ``{"png": "Portable Network Graphics", ...}``: those of matplotlib's Agg canvas, less
    :data:`FORMATS_NEEDING_TEX`.
    """
    figure = plt.figure()
    try:
        supported = figure.canvas.get_supported_filetypes()
    finally:
        plt.close(figure)
    return {ending: name for ending, name in supported.items() if ending not in FORMATS_NEEDING_TEX}


@contextlib.contextmanager
def _postscript_quiet() -> Iterator[None]:
    """Silence PostScript's (.ps, .eps) log that it draws the shaded spans opaque.

    The plot stays readable, so the warning is not shown to the person.
    """
    logger = logging.getLogger("matplotlib.backends.backend_ps")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _title_name(name: str) -> str:
    """``name`` shortened for the title, with ``$`` escaped: matplotlib reads text between two ``$`` as maths."""
    if len(name) > TITLE_NAME_CHARS:
        keep = TITLE_NAME_CHARS - 1
        name = name[: keep // 2] + "…" + name[len(name) - (keep - keep // 2) :]
    return name.replace("$", r"\$")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def plot_analysis(
    report: AnalysisReport, out: str | Path | IO[bytes], *, file_format: str | None = None
) -> str | Path | IO[bytes]:
    """Write a picture of ``report``.

    The filtered speed (gaps where untracked), movements shaded with their SPARC, breaks marked on the curve with a
    legend by kind.

    Parameters
    ----------
    out
        A file name (its ending gives the format) or a binary stream (then ``file_format`` is required); for an
        output a person keeps, a stream of :class:`tracking.atomic_files.AtomicFile`.
    file_format
        One of :func:`plot_formats`, e.g. ``"png"``; default: from the file name.

    Returns ``out``.
    """
    trace = report.trace
    figure, axes = plt.subplots(figsize=FIGURE_SIZE_IN, dpi=DPI)
    try:
        axes.plot(trace.t_s, trace.speed_units_per_s, color="tab:blue", linewidth=1.2, label="speed")
        for movement in report.result.movements:
            axes.axvspan(movement.start_s, movement.end_s, color="tab:blue", alpha=0.10)
            axes.annotate(f"SPARC {movement.sparc:.2f}", (movement.start_s, 1.0), xycoords=("data", "axes fraction"),
                          fontsize=7, va="top")
        shown: set[BreakKind] = set()
        for event in report.result.breaks:
            colour, marker = BREAK_STYLE[event.kind]
            at = int(np.clip(np.searchsorted(trace.t_s, event.t_s), 0, max(trace.t_s.size - 1, 0)))
            speed = trace.speed_units_per_s
            height = float(speed[at]) if trace.t_s.size and np.isfinite(speed[at]) else 0.0
            axes.plot([event.t_s], [height], marker=marker, color=colour, markersize=10, linestyle="none",
                      label=None if event.kind in shown else event.kind.value)
            axes.axvline(event.t_s, color=colour, alpha=0.4, linewidth=0.8)
            shown.add(event.kind)
        axes.set_xlabel("time from the start of the input (s)")
        axes.set_ylabel(f"{report.result.effector.value} speed ({trace.unit})")
        name = _title_name(report.input_name or report.source)
        axes.set_title(f"{name}: {_plural(len(report.result.movements), 'movement')}, "
                       f"{_plural(len(report.result.breaks), 'break')} (training feedback, not a clinical score)",
                       fontsize=9)
        axes.legend(loc="upper right", fontsize=8)
        axes.set_ylim(bottom=0)
        figure.tight_layout()
        with _postscript_quiet():
            figure.savefig(out, format=file_format)
    finally:
        plt.close(figure)
    return out
