"""``motorplay analyze INPUT [--json OUT] [--plot OUT.png] [--effector hand|head]``: movement quality of a file.

INPUT is a video (tracked with MediaPipe, with a progress bar) or a ``.jsonl`` landmark recording. The effector
defaults to what the input contains (the hand when a hand is seen, else the head). Prints a summary table; the
JSON and the plot are documented in docs/movement-quality.md. Training feedback, not a clinical score.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracking.errors import UserFacingError

if TYPE_CHECKING:
    from tracking.movement_analysis import AnalysisReport


class AnalyzeCommandError(UserFacingError):
    """A bad argument or output path given to ``motorplay analyze``."""


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "analyze",
        help="movement quality (smoothness, dystonic breaks) of a video or landmark recording",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("input", type=Path, metavar="INPUT", help="a video file or a .jsonl landmark recording")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the analysis as JSON to OUT")
    parser.add_argument("--plot", type=Path, metavar="OUT.png", help="write a speed plot with movements and breaks")
    parser.add_argument("--effector", choices=("hand", "head"), help="what to analyse (default: what INPUT has)")
    parser.set_defaults(run=run)


def _check_output(path: Path | None, what: str) -> None:
    if path is not None and not path.parent.exists():
        raise AnalyzeCommandError(f"{what} {path}: the folder {path.parent} does not exist")


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from tracking.quality_types import Effector
    from tracking.recording import is_recording_path

    _check_output(args.json, "--json")
    _check_output(args.plot, "--plot")
    if not args.input.exists():
        raise AnalyzeCommandError(f"{args.input}: no such file (expected a video or a .jsonl landmark recording)")
    effector = None if args.effector is None else Effector(args.effector)
    console = Console()
    report = _analyze(args.input, effector, show_progress=not is_recording_path(args.input), console=console)
    _print_summary(report, console)
    if args.json is not None:
        args.json.write_text(json.dumps(report.to_json(), indent=2, allow_nan=False) + "\n", encoding="utf-8")
        console.print(f"JSON written to {args.json}")
    if args.plot is not None:
        from tracking.analysis_plot import plot_analysis

        plot_analysis(report, args.plot)
        console.print(f"Plot written to {args.plot}")
    return 0


def _analyze(path: Path, effector: Any, *, show_progress: bool, console: Any) -> AnalysisReport:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from tracking.movement_analysis import analyze_file

    if not show_progress:
        return analyze_file(path, effector=effector)
    columns = (TextColumn("tracking {task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(path.name, total=None)

        def advance(done: int, total: int | None) -> None:
            progress.update(task, completed=done, total=total)

        return analyze_file(path, effector=effector, on_progress=advance)


def _fmt(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _print_summary(report: AnalysisReport, console: Any) -> None:
    from rich.table import Table

    data = report.to_json()
    summary = data["summary"]
    effector = report.result.effector.value
    unit = report.trace.unit
    console.print(
        f"[bold]{report.source}[/bold]: {report.frames} frames at {report.fps:g} fps "
        f"({report.duration_s:.1f} s), {effector} tracked in {report.tracked_frames}"
    )
    table = Table(title=f"{summary['movements']} movements ({effector})")
    for heading in ("#", "start s", "end s", f"peak {unit}", "SPARC", "LDLJ", "peaks", "breaks"):
        table.add_column(heading, justify="right")
    for index, movement in enumerate(data["movements"], start=1):
        kinds = ", ".join(f"{b['kind']}@{b['t']:.2f}" for b in movement["breaks"]) or "-"
        table.add_row(
            str(index),
            _fmt(movement["start"], 2),
            _fmt(movement["end"], 2),
            _fmt(movement["peak_speed"], 0),
            _fmt(movement["sparc"], 3),
            _fmt(movement["ldlj"], 2),
            str(movement["velocity_peaks"]),
            kinds,
        )
    console.print(table)
    console.print(
        f"mean SPARC {_fmt(summary['mean_sparc'], 3)} (closer to 0 is smoother); "
        f"{len(data['breaks'])} breaks, {_fmt(summary['breaks_per_minute'], 1)} a minute. "
        "Training feedback, not a clinical score."
    )
