"""The progress report's pictures (matplotlib, Agg), each returned as PNG bytes to be embedded in the page or the PDF.

- :func:`level_figure`: one level over sessions, four panels (SPARC, breaks per minute, success rate, difficulty),
  each with its least-squares trend line and the injection dates as dashed vertical lines;
- :func:`cycle_figure`: each measure by week of the injection cycle, one line per level;
- :func:`assessment_figure`: head range of motion and resting head posture across assessments.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta, timezone

import matplotlib

matplotlib.use("Agg")  # files only: no display on clinic machines, CI or tests

import matplotlib.dates as mdates  # noqa: E402  (after choosing the backend)
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from clinic.reports.progress_data import (  # noqa: E402
    HEAD_RANGE_KEYS,
    REST_POSTURE_KEYS,
    AssessmentPoint,
    LevelRunPoint,
)

# A4 page width less margins is about 7 in: the pictures print at their size, readable without zooming.
FIGURE_WIDTH_IN = 7.5
PANEL_HEIGHT_IN = 2.1
# 100 dpi: sharp enough on screen and paper at this size; a 100-session report stays a few hundred kilobytes.
DPI = 100
# A trend needs at least this many sessions to be a line through them rather than through a single pair.
MIN_TREND_POINTS = 3
INJECTION_COLOUR = "tab:red"
# An injection up to two weeks before the first session shown is marked too: its effect builds over those weeks.
INJECTION_LEAD_DAYS = 14
NO_DATA_TEXT = "none recorded yet"
DATE_FORMAT = "%Y-%m-%d"
# Days shown each side of a single date (one assessment, one session).
SINGLE_DATE_SPAN_DAYS = 14


Getter = Callable[[LevelRunPoint], "float | None"]


def _percent(point: LevelRunPoint) -> float | None:
    return None if point.success_rate is None else 100.0 * point.success_rate


# (panel title, y label, value of a point); success as a percentage.
MEASURES: tuple[tuple[str, str, Getter], ...] = (
    ("Smoothness (SPARC, closer to 0 is smoother)", "SPARC", lambda p: p.sparc_median),
    ("Breaks per minute of play", "breaks / min", lambda p: p.breaks_per_min),
    ("Success rate", "% of trials", _percent),
    ("Difficulty (after the last recorded change)", "difficulty", lambda p: p.difficulty),
)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    try:
        figure.tight_layout()
        figure.savefig(buffer, format="png", dpi=DPI)
    finally:
        plt.close(figure)
    return buffer.getvalue()


def _injection_lines(axes: Axes, injections: Sequence[date], first: datetime, last: datetime) -> None:
    """Mark the injections from :data:`INJECTION_LEAD_DAYS` before the first session to the last one."""
    labelled = False
    for day in injections:
        moment = datetime.combine(day, time(0), tzinfo=timezone.utc)
        if first - timedelta(days=INJECTION_LEAD_DAYS) <= moment <= last:
            axes.axvline(moment, color=INJECTION_COLOUR, linestyle="--", linewidth=1.0,  # type: ignore[arg-type]
                         label=None if labelled else "injection")
            labelled = True


def _trend(axes: Axes, moments: Sequence[datetime], values: Sequence[float]) -> None:
    """Draw the least-squares line through the values against time (days), when there are enough of them."""
    if len(values) < MIN_TREND_POINTS:
        return
    first = min(moments)
    days = np.asarray([(moment - first) / timedelta(days=1) for moment in moments], dtype=np.float64)
    if np.ptp(days) == 0:
        return
    slope, intercept = np.polyfit(days, np.asarray(values, dtype=np.float64), 1)
    ends = [float(days.min()), float(days.max())]
    axes.plot([first + timedelta(days=day) for day in ends], [slope * day + intercept for day in ends],  # type: ignore[arg-type]
              color="tab:gray", linestyle=":", label="trend")


def _date_axis(axes: Axes) -> None:
    axes.xaxis.set_major_formatter(mdates.DateFormatter(DATE_FORMAT))  # type: ignore[no-untyped-call]
    axes.tick_params(axis="x", labelrotation=30, labelsize=7)


def _around_single_date(axes: Axes, moments: Sequence[datetime]) -> None:
    """Show a few weeks around a single date (one assessment, one session) rather than matplotlib's years."""
    if len(set(moments)) == 1:
        span = timedelta(days=SINGLE_DATE_SPAN_DAYS)
        axes.set_xlim(moments[0] - span, moments[0] + span)  # type: ignore[arg-type]


def _empty(axes: Axes) -> None:
    axes.text(0.5, 0.5, NO_DATA_TEXT, transform=axes.transAxes, ha="center", va="center", color="tab:gray")
    axes.set_yticks([])


def level_figure(level: str, points: Sequence[LevelRunPoint], injections: Sequence[date]) -> bytes:
    """Return the picture of one level over sessions (PNG): the four measures of :data:`MEASURES` against date."""
    figure, panels = plt.subplots(len(MEASURES), 1, sharex=True, dpi=DPI,
                                  figsize=(FIGURE_WIDTH_IN, PANEL_HEIGHT_IN * len(MEASURES)))
    moments = [point.started_at for point in points]
    for axes, (title, label, value_of) in zip(panels, MEASURES, strict=True):
        pairs = [(point.started_at, value) for point in points if (value := value_of(point)) is not None]
        axes.set_title(title, fontsize=9, loc="left")
        if not pairs:
            _empty(axes)
            continue
        xs, ys = zip(*pairs, strict=True)
        axes.plot(xs, ys, marker="o", color="tab:blue", linewidth=1.2, markersize=4, label=level)
        _trend(axes, xs, ys)
        _injection_lines(axes, injections, min(moments), max(moments))
        _around_single_date(axes, xs)
        axes.set_ylabel(label, fontsize=8)
        axes.tick_params(labelsize=7)
        axes.legend(fontsize=7, loc="best")
    _date_axis(panels[-1])
    figure.suptitle(f"{level}: per session (training feedback, not a clinical score)", fontsize=10)
    return _png(figure)


def _week_means(points: Sequence[LevelRunPoint], value_of: Getter) -> tuple[list[int], list[float]]:
    by_week: dict[int, list[float]] = {}
    for point in points:
        value = value_of(point)
        if value is not None and point.weeks_since_injection is not None:
            by_week.setdefault(int(point.weeks_since_injection), []).append(value)
    weeks = sorted(by_week)
    return weeks, [float(np.mean(by_week[week])) for week in weeks]


def cycle_figure(points: Sequence[LevelRunPoint], levels: Sequence[str]) -> bytes:
    """Return each measure's mean by whole week since the last injection (PNG), one line per level."""
    shown = MEASURES[:3]  # difficulty is the therapist's setting, not a response to the cycle
    figure, panels = plt.subplots(len(shown), 1, sharex=True, dpi=DPI,
                                  figsize=(FIGURE_WIDTH_IN, PANEL_HEIGHT_IN * len(shown)))
    for axes, (title, label, value_of) in zip(panels, shown, strict=True):
        axes.set_title(title, fontsize=9, loc="left")
        drawn = False
        for level in levels:
            weeks, means = _week_means([p for p in points if p.level_name == level], value_of)
            if weeks:
                axes.plot(weeks, means, marker="o", linewidth=1.2, markersize=4, label=level)
                drawn = True
        if not drawn:
            _empty(axes)
            continue
        axes.set_ylabel(label, fontsize=8)
        axes.tick_params(labelsize=7)
        axes.legend(fontsize=7, loc="best")
    panels[-1].set_xlabel("weeks since the last botulinum toxin injection (0 = the week of the injection)", fontsize=8)
    figure.suptitle("Each measure by week of the injection cycle (mean of the sessions in that week)", fontsize=10)
    return _png(figure)


def _angle_panel(axes: Axes, points: Sequence[AssessmentPoint], keys: Sequence[str], title: str, which: str) -> None:
    axes.set_title(title, fontsize=9, loc="left")
    drawn = False
    moments: list[datetime] = []
    for key in keys:
        pairs = [(p.recorded_at, v) for p in points if (v := getattr(p, which).get(key)) is not None]
        if pairs:
            xs, ys = zip(*pairs, strict=True)
            axes.plot(xs, ys, marker="o", linewidth=1.2, markersize=4, label=key.removesuffix("_deg").replace("_", " "))
            moments.extend(xs)
            drawn = True
    if not drawn:
        _empty(axes)
        return
    _around_single_date(axes, moments)
    axes.set_ylabel("degrees", fontsize=8)
    axes.tick_params(labelsize=7)
    axes.legend(fontsize=6, loc="center left", bbox_to_anchor=(1.0, 0.5))


def assessment_figure(points: Sequence[AssessmentPoint]) -> bytes:
    """Return the head's range of motion and resting posture across assessments (PNG)."""
    size_in = (FIGURE_WIDTH_IN, 2 * PANEL_HEIGHT_IN + 0.6)
    figure, (top, bottom) = plt.subplots(2, 1, sharex=True, dpi=DPI, figsize=size_in)
    _angle_panel(top, points, HEAD_RANGE_KEYS, "Head range of motion: largest angle reached each way", "head_range_deg")
    _angle_panel(bottom, points, REST_POSTURE_KEYS, "Resting head posture: median angle at rest", "rest_posture_deg")
    _date_axis(bottom)
    figure.suptitle("Head assessments (training feedback, not a clinical score)", fontsize=10)
    return _png(figure)
