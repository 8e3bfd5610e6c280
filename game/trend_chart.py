"""The patient's own trend on the results screen: a small chart of their recent sessions of the level.

Drawn into a given rectangle and nowhere else (clipped to it): one bar a session for the share of goals reached,
and a line through the sessions' smoothness (the patient's own range: higher is steadier), the latest session on
the right with a bright edge. A line of plain words above it says how today compares ("steadier than before"),
and a legend names the bar and the line: no raw SPARC, no number a patient must interpret. Words are drawn in body
type (at least 28 px at 720p). Data: :class:`clinic.records.trends.LevelTrend`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from clinic.records.trend_types import Direction, LevelTrend
from game.theme import ACCENT, ACCENT_FILL, CURSOR, LINE_SPACING, PANEL, TEXT, TEXT_SOFT, Theme, draw_text, wrap

# The smoothness line spans at least this much SPARC from its bottom to its top, so that differences smaller than
# the per-trial "smoother" margin (levels.feedback.SMOOTHER_MARGIN, 0.15) do not look like big swings.
MIN_SPARC_SPAN = 0.6
# The chart needs this much height in all (as lines of body text): a line of words, a line of legend and at least one
# and a half for the bars and the smoothness line; in less, the words alone are shown.
CHART_MIN_LINES = 3.5
# Each bar fills this fraction of its column; the rest is the gap between sessions.
BAR_FRACTION = 0.6
# The smoothness line's width and its dots' radius, as fractions of a body line's height.
LINE_WIDTH_FRACTION = 0.12
DOT_FRACTION = 0.2

# The words for the comparison of the last session with the earlier ones shown.
_STEADINESS_WORDS = {
    Direction.BETTER: "steadier than before - well done",
    Direction.SAME: "as steady as before - keep it up",
    Direction.WORSE: "a little less steady today - rest helps",
}
_GOALS_WORDS = {
    Direction.BETTER: "more goals reached than before",
    Direction.SAME: "keep going - every session counts",
    Direction.WORSE: "keep going - every session counts",
}
FIRST_SESSION_WORDS = "Your progress shows here after your next session of this level."
GOALS_LABEL = "goals reached"
SMOOTHNESS_LABEL = "smoothness"
LATEST_LABEL = "latest"
LEGEND_LABELS = (GOALS_LABEL, SMOOTHNESS_LABEL, LATEST_LABEL)
# The legend's swatches, as a fraction of a body line's height.
SWATCH_FRACTION = 0.6


def trend_words(trend: LevelTrend) -> str:
    """Return one plain line on the trend, e.g. "Your last 6 sessions: steadier than before - well done"."""
    if not trend.comparable:
        return FIRST_SESSION_WORDS
    steadiness = trend.smoothness_direction()
    if steadiness is not None:
        comparison = _STEADINESS_WORDS[steadiness]
    else:
        goals = trend.success_direction()
        comparison = _GOALS_WORDS[Direction.SAME if goals is None else goals]
    return f"Your last {len(trend.points)} sessions: {comparison}"


@dataclass(frozen=True)
class ChartLayout:
    """Where the chart's parts go within its rectangle (pixels): the words' lines, the plot, the legend's rows."""

    words: tuple[str, ...]
    plot: pygame.Rect
    legend_top: int
    legend_rows: tuple[tuple[int, ...], ...]  # the legend's items (indexes of LEGEND_LABELS) row by row


def chart_layout(rect: pygame.Rect, trend: LevelTrend, theme: Theme, *, words: bool = True) -> ChartLayout | None:
    """Return the layout of the chart in ``rect`` (with its words above it, or not), or ``None`` when the bars do not
    fit (fewer than :data:`CHART_MIN_LINES` body lines of plot, words and legend) or there is no trend to draw."""
    if not trend.comparable:
        return None
    line_px = theme.body.get_linesize()
    said = tuple(wrap(trend_words(trend), theme.body, rect.width)) if words else ()
    rows = _legend_rows(rect.width, theme)
    pad = line_px // 4
    plot_top = rect.top + round(len(said) * line_px * LINE_SPACING) + pad
    legend_top = rect.bottom - len(rows) * line_px - pad
    if legend_top - pad - plot_top < (CHART_MIN_LINES - 2) * line_px:
        return None
    plot = pygame.Rect(rect.left + pad, plot_top, rect.width - 2 * pad, legend_top - pad - plot_top)
    return ChartLayout(words=said, plot=plot, legend_top=legend_top, legend_rows=rows)


def draw_trend_chart(
    surface: pygame.Surface, rect: pygame.Rect, trend: LevelTrend, theme: Theme, *, words: bool = True
) -> bool:
    """Draw the trend into ``rect`` (nothing outside it); return whether the bars were drawn.

    ``words``: the line of words above the bars (without it, only the bars and the legend); where the bars do not
    fit, the words alone are drawn (nothing when ``words`` is off).
    """
    previous_clip = surface.get_clip()
    surface.set_clip(rect.clip(previous_clip))
    try:
        layout = chart_layout(rect, trend, theme, words=words)
        if layout is None:
            if words:
                draw_trend_words(surface, rect, trend, theme)
            return False
        if layout.words:
            draw_trend_words(surface, rect, trend, theme)
        pygame.draw.rect(surface, PANEL, layout.plot, border_radius=max(2, layout.plot.height // 12))
        _draw_bars(surface, layout.plot, trend, theme)
        _draw_smoothness(surface, layout.plot, trend, theme)
        _draw_legend(surface, rect.centerx, layout.legend_top, layout.legend_rows, theme)
        return True
    finally:
        surface.set_clip(previous_clip)


def draw_trend_words(surface: pygame.Surface, rect: pygame.Rect, trend: LevelTrend, theme: Theme) -> int:
    """Draw :func:`trend_words` at the top of ``rect``, centred and wrapped to it; return the y below them."""
    previous_clip = surface.get_clip()
    surface.set_clip(rect.clip(previous_clip))
    try:
        text = trend_words(trend)
        return draw_text(surface, text, theme.body, TEXT, centre_x=rect.centerx, top_y=rect.top, width_px=rect.width)
    finally:
        surface.set_clip(previous_clip)


def _column(plot: pygame.Rect, index: int, count: int) -> tuple[int, int]:
    """Return the centre x and the width of session ``index``'s column (of ``count``) in ``plot``."""
    width = plot.width / count
    return round(plot.left + width * (index + 0.5)), max(1, round(width * BAR_FRACTION))


def _edge_px(theme: Theme) -> int:
    """Return the width of the latest session's bright edge (as the smoothness line's)."""
    return max(2, round(theme.body.get_linesize() * LINE_WIDTH_FRACTION))


def _draw_bars(surface: pygame.Surface, plot: pygame.Rect, trend: LevelTrend, theme: Theme) -> None:
    """One bar a session, as high as the share of its goals reached; the latest with a bright edge."""
    inner_top, inner_height = plot.top + plot.height // 8, plot.height - plot.height // 8
    for index, point in enumerate(trend.points):
        centre_x, width = _column(plot, index, len(trend.points))
        height = max(2, round(inner_height * point.success_rate))
        bar = pygame.Rect(0, 0, width, height)
        bar.midbottom = (centre_x, plot.bottom)
        bar.top = max(bar.top, inner_top)
        pygame.draw.rect(surface, ACCENT_FILL, bar)
        if index == len(trend.points) - 1:
            pygame.draw.rect(surface, ACCENT, bar, width=_edge_px(theme))


def _draw_smoothness(surface: pygame.Surface, plot: pygame.Rect, trend: LevelTrend, theme: Theme) -> None:
    """The sessions' smoothness as a line with a dot a session, scaled to the patient's own range (up: steadier)."""
    measured = [(index, point.mean_sparc) for index, point in enumerate(trend.points) if point.mean_sparc is not None]
    if not measured:
        return
    values = [sparc for _, sparc in measured]
    middle = (max(values) + min(values)) / 2
    span = max(max(values) - min(values), MIN_SPARC_SPAN)
    margin_px = max(4, plot.height // 6)
    usable_px = plot.height - 2 * margin_px
    points = [
        (
            _column(plot, index, len(trend.points))[0],
            round(plot.bottom - margin_px - usable_px * (0.5 + (sparc - middle) / span)),
        )
        for index, sparc in measured
    ]
    line_px = theme.body.get_linesize()
    if len(points) > 1:
        pygame.draw.lines(surface, CURSOR, False, points, max(2, round(line_px * LINE_WIDTH_FRACTION)))
    for point in points:
        pygame.draw.circle(surface, CURSOR, point, max(3, round(line_px * DOT_FRACTION)))


def _legend_item_px(index: int, theme: Theme) -> int:
    """Return the width of legend item ``index``: its swatch, a gap and its label."""
    line_px = theme.body.get_linesize()
    return round(line_px * SWATCH_FRACTION) + line_px // 3 + theme.body.size(LEGEND_LABELS[index])[0]


def _legend_rows(width_px: int, theme: Theme) -> tuple[tuple[int, ...], ...]:
    """Return the legend's items row by row: as many side by side as ``width_px`` holds (one at least)."""
    spacing_px = theme.body.get_linesize()
    rows: list[list[int]] = [[]]
    used_px = 0
    for index in range(len(LEGEND_LABELS)):
        item_px = _legend_item_px(index, theme)
        if rows[-1] and used_px + spacing_px + item_px > width_px:
            rows.append([])
            used_px = 0
        used_px += item_px + (spacing_px if len(rows[-1]) else 0)
        rows[-1].append(index)
    return tuple(tuple(row) for row in rows)


def _draw_legend(
    surface: pygame.Surface, centre_x: int, top_y: int, rows: tuple[tuple[int, ...], ...], theme: Theme
) -> None:
    """Name the parts, each row centred: a bar swatch "goals reached", a dot "smoothness", an edged swatch for the
    latest session."""
    font = theme.body
    line_px = font.get_linesize()
    swatch_px = round(line_px * SWATCH_FRACTION)
    for row_index, row in enumerate(rows):
        total = sum(_legend_item_px(index, theme) for index in row) + line_px * (len(row) - 1)
        x = centre_x - total // 2
        middle_y = top_y + row_index * line_px + line_px // 2
        for index in row:
            swatch = pygame.Rect(x, middle_y - swatch_px // 2, swatch_px, swatch_px)
            if index == 1:
                pygame.draw.circle(surface, CURSOR, swatch.center, swatch_px // 2)
            else:
                pygame.draw.rect(surface, ACCENT_FILL, swatch)
            if index == 2:
                pygame.draw.rect(surface, ACCENT, swatch, width=_edge_px(theme))
            label = font.render(LEGEND_LABELS[index], True, TEXT_SOFT)
            surface.blit(label, label.get_rect(midleft=(x + swatch_px + line_px // 3, middle_y)))
            x += _legend_item_px(index, theme) + line_px
