"""The progress report's content as plain blocks (headings, paragraphs, tables, pictures), the same for HTML and PDF.

:func:`build_document` turns a :class:`~clinic.reports.progress_data.PatientProgress` into a :class:`Document`;
:mod:`clinic.reports.progress_render` writes it as a self-contained HTML page or a PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from clinic.records.types import DifficultyChangeRecord
from clinic.reports import progress_plots
from clinic.reports.progress_data import HEAD_RANGE_KEYS, REST_POSTURE_KEYS, LevelRunPoint, PatientProgress

NONE_YET = "None recorded yet."
DISCLAIMER = (
    "This is training feedback from a motor-retraining game, not a clinical score or a diagnosis. The numbers come "
    "from a camera and depend on lighting, position and the level's settings; read them as trends, next to your own "
    "clinical assessment."
)
HOW_TO_READ = (
    "Smoothness is SPARC (spectral arc length, Balasubramanian et al. 2012/2015): negative, closer to 0 is smoother; "
    "the median of a level's trials. Breaks per minute counts the dystonic breaks the game detected (arrests, jerks, "
    "reversals, posture drifts, tremor) per minute of play on the level's clock (pauses and lost tracking excluded). "
    "Success rate is the share of trials that reached their goal. Difficulty is the level's difficulty after the "
    "last change recorded in that session (blank when none was). Dotted grey lines are least-squares trends over "
    "sessions (from 3 sessions on); dashed red lines are botulinum toxin injections."
)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text."""

    text: str


@dataclass(frozen=True)
class Preformatted:
    """Text shown as written (a plan file)."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table of plain-text cells."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Picture:
    """A PNG picture with its text alternative."""

    png: bytes
    alt: str


Block = Paragraph | Preformatted | Table | Picture


@dataclass(frozen=True)
class Section:
    """A titled part of the report; ``level`` 2 for a part, 3 for a level within one."""

    title: str
    blocks: tuple[Block, ...]
    level: int = 2
    anchor: str = ""


@dataclass(frozen=True)
class Document:
    """The whole report: its title, a subtitle line and the sections in order."""

    title: str
    subtitle: str
    sections: tuple[Section, ...]


def _number(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _moment(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC")


def _cell_moment(value: datetime) -> str:
    """Return a time for a table whose heading says UTC."""
    return value.strftime("%Y-%m-%d %H:%M")


def _day(value: datetime) -> str:
    return value.strftime("%Y-%m-%d")


def _level_table(points: Sequence[LevelRunPoint]) -> Table:
    columns = ("session", "date (UTC)", "trials", "success %", "SPARC (median)", "breaks", "breaks / min",
               "difficulty", "weeks since injection")
    rows = tuple(
        (
            str(p.session_number),
            _cell_moment(p.started_at),
            str(p.trials),
            _number(None if p.success_rate is None else 100.0 * p.success_rate, 0),
            _number(p.sparc_median),
            str(p.breaks),
            _number(p.breaks_per_min),
            _number(p.difficulty, 1),
            _number(p.weeks_since_injection, 1),
        )
        for p in points
    )
    return Table(columns, rows)


def _level_sections(progress: PatientProgress) -> list[Section]:
    injections = [shot.injected_on for shot in progress.injections]
    sections = []
    for number, level in enumerate(progress.levels(), 1):
        points = [p for p in progress.points if p.level_name == level]
        picture = Picture(progress_plots.level_figure(level, points, injections),
                          f"{level}: smoothness, breaks per minute, success rate and difficulty per session")
        sections.append(Section(f"Level: {level}", (picture, _level_table(points)), 3, f"level-{number}"))
    return sections


def _overview(progress: PatientProgress) -> Section:
    sessions = progress.sessions
    complete = sum(1 for s in sessions if s.session.complete)
    trials = sum(s.trials for s in sessions)
    span = NONE_YET if not sessions else (
        f"{len(sessions)} sessions ({complete} complete) from {_moment(sessions[0].session.started_at)} to "
        f"{_moment(sessions[-1].session.started_at)}; {trials} trials; levels played: {', '.join(progress.levels())}."
    )
    return Section("Overview", (Paragraph(DISCLAIMER), Paragraph(span), Paragraph(HOW_TO_READ)), anchor="overview")


def _injections(progress: PatientProgress) -> Section:
    if not progress.injections:
        return Section("Botulinum toxin injections", (Paragraph(NONE_YET),), anchor="injections")
    rows = tuple((shot.injected_on.isoformat(), shot.note or "") for shot in progress.injections)
    return Section("Botulinum toxin injections", (Table(("date", "note"), rows),), anchor="injections")


def _cycle(progress: PatientProgress) -> Section:
    placed = [p for p in progress.points if p.weeks_since_injection is not None]
    if not placed:
        text = "No session falls after a recorded injection yet: none recorded yet."
        return Section("By week of the injection cycle", (Paragraph(text),), anchor="cycle")
    picture = Picture(progress_plots.cycle_figure(placed, progress.levels()),
                      "smoothness, breaks per minute and success rate by week since the last injection")
    return Section("By week of the injection cycle", (picture,), anchor="cycle")


def _angle_label(key: str) -> str:
    return key.removesuffix("_deg").replace("_", " ") + " (deg)"


def _assessments(progress: PatientProgress) -> Section:
    points = progress.assessments
    if not points:
        return Section("Head range of motion and resting posture", (Paragraph(NONE_YET),), anchor="assessments")
    keys = [*HEAD_RANGE_KEYS, *REST_POSTURE_KEYS]
    # One column per assessment, one row per angle: a dozen angles stay readable on a printed page.
    columns = ("measure", *(f"v{p.version} {_day(p.recorded_at)}" for p in points))
    rows = tuple(
        (_angle_label(key), *(_number({**p.head_range_deg, **p.rest_posture_deg}.get(key), 1) for p in points))
        for key in keys
    )
    sources = Paragraph("Read from: " + ", ".join(f"v{p.version}: {p.source}" for p in points) + ".")
    alt = "head range of motion and resting posture by assessment"
    picture = Picture(progress_plots.assessment_figure(points), alt)
    return Section("Head range of motion and resting posture", (picture, Table(columns, rows), sources),
                   anchor="assessments")


def _plan(progress: PatientProgress) -> Section:
    plan = progress.plan
    if plan is None:
        return Section("Current plan", (Paragraph(NONE_YET),), anchor="plan")
    line = f"Version {plan.version} by {plan.author}, {_moment(plan.created_at)} ({plan.format.value}):"
    return Section("Current plan", (Paragraph(line), Preformatted(plan.text)), anchor="plan")


def _change_value(change: DifficultyChangeRecord, attribute: str) -> str:
    value = getattr(change, attribute)
    return str(value) if not isinstance(value, (dict, list)) else ", ".join(
        f"{k}={v}" for k, v in (value.items() if isinstance(value, dict) else enumerate(value))
    )


def _changes(progress: PatientProgress) -> Section:
    if not progress.difficulty_changes:
        return Section("Difficulty changes", (Paragraph(NONE_YET),), anchor="changes")
    level_of = {p.level_run: p.level_name for p in progress.points}
    rows = tuple(
        (_cell_moment(c.changed_at), level_of.get(c.level_run, ""), _change_value(c, "from_value"),
         _change_value(c, "to_value"), c.reason)
        for c in progress.difficulty_changes
    )
    return Section("Difficulty changes", (Table(("when (UTC)", "level", "from", "to", "reason"), rows),),
                   anchor="changes")


def build_document(progress: PatientProgress, *, generated_at: datetime) -> Document:
    """Return the report of ``progress`` (pictures drawn now), dated ``generated_at``."""
    patient = progress.patient
    name = f" ({patient.display_name})" if patient.display_name else ""
    since = f", sessions since {progress.since.isoformat()}" if progress.since else ""
    levels = _level_sections(progress)
    per_level = Section("Progress per level", () if levels else (Paragraph(NONE_YET),), anchor="levels")
    return Document(
        title=f"motorplay progress report: {patient.code}{name}",
        subtitle=f"Generated {_moment(generated_at)}{since}. Training feedback, not clinical scores.",
        sections=(_overview(progress), _injections(progress), per_level, *levels, _cycle(progress),
                  _assessments(progress), _plan(progress), _changes(progress)),
    )
