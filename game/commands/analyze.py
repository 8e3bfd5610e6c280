"""``motorplay analyze INPUT [--json OUT] [--plot OUT.png] [--effector hand|head]``: movement quality of a file.

INPUT is a video (tracked with MediaPipe, with a progress bar) or a ``.jsonl`` landmark recording. Without
``--effector``, the hand and the face are tracked on every frame of a video and the effector is chosen over the
whole input: the hand when it is seen for at least half a second, else the head; the choice is printed. Prints a
summary table; the JSON and the plot are documented in docs/movement-quality.md. Training feedback, not a clinical
score.

Outputs are written to a temporary file beside them and renamed when complete: a failure leaves nothing
half-written and keeps a previous file of the same name. An output may not be the input or another output.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.commands._files import check_outputs, display_name, naming_option, open_output
from game.texts import FREE_ANALYSIS_NOTE
from tracking.errors import UserFacingError

if TYPE_CHECKING:
    from rich.console import Console

    from tracking.analysis_report import AnalysisReport
    from tracking.atomic_files import AtomicFile


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
    parser.add_argument(
        "--plot",
        type=Path,
        metavar="OUT.png",
        help="write a speed plot with movements and breaks; the file name's ending gives the format (png, pdf, svg, "
        "...)",
    )
    parser.add_argument("--effector", choices=("hand", "head"), help="what to analyse (default: what INPUT has)")
    parser.set_defaults(run=run)


def _plot_format(path: Path) -> str:
    """The plot's format from its file name, refused (naming ``--plot`` and the choices) when matplotlib cannot
    write it."""
    from clinic.reports.analysis_plot import plot_formats

    formats = plot_formats()
    ending = path.suffix.lower().lstrip(".")
    if ending not in formats:
        what = f"cannot write a plot as '.{ending}'" if ending else "no file name ending to tell the image format"
        raise AnalyzeCommandError(f"--plot {path}: {what}; expected one of: {', '.join(sorted(formats))}")
    return ending


def _check_arguments(args: argparse.Namespace) -> str | None:
    """Everything that can be refused before the (long) analysis; returns the plot format."""
    from tracking.sources import check_input_file  # loads OpenCV, not MediaPipe

    input_path: Path = args.input
    check_input_file(input_path)  # a still image or a text file: refused before the models load
    outputs = [(option, path) for option, path in (("--json", args.json), ("--plot", args.plot)) if path is not None]
    check_outputs([("INPUT", input_path)], outputs)
    return None if args.plot is None else _plot_format(args.plot)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from tracking.types import Effector

    plot_format = _check_arguments(args)
    effector = None if args.effector is None else Effector(args.effector)
    # highlight=False: rich's highlighter is slow on long text (minutes for a 100 KB recording source) and would
    # colour parts of file names; every name is printed as plain Text, never as markup.
    console = Console(highlight=False)
    with contextlib.ExitStack() as outputs:
        # Opened before the analysis, so that an unwritable place is refused at once; each is renamed into place
        # only when complete, and discarded on any error or Ctrl-C.
        json_out = None if args.json is None else outputs.enter_context(open_output(args.json, "--json"))
        plot_out = None if args.plot is None else outputs.enter_context(open_output(args.plot, "--plot", binary=True))
        report = _analyze(args.input, effector, console=console)
        _print_summary(report, console)
        if json_out is not None:
            _write_json(report, json_out)
            _print_plain(console, f"JSON written to {display_name(args.json)}")
        if plot_out is not None and plot_format is not None:
            _write_plot(report, plot_out, plot_format)
            _print_plain(console, f"Plot written to {display_name(args.plot)}")
    return 0


def _write_json(report: AnalysisReport, output: AtomicFile) -> None:
    with naming_option("--json"):
        output.write(json.dumps(report.to_json(), indent=2, allow_nan=False) + "\n")
        output.commit()


def _write_plot(report: AnalysisReport, output: AtomicFile, file_format: str) -> None:
    from clinic.reports.analysis_plot import plot_analysis

    image = io.BytesIO()  # drawn in memory first (a few hundred KB), so that a write error is reported as one
    plot_analysis(report, image, file_format=file_format)
    with naming_option("--plot"):
        output.write(image.getvalue())
        output.commit()


def _print_plain(console: Console, text: str) -> None:
    from rich.text import Text

    console.print(Text(text), soft_wrap=True)  # soft_wrap: a file name is never broken over two lines


def _analyze(path: Path, effector: Any, *, console: Console) -> AnalysisReport:
    """The analysis of ``path``, with a progress bar while MediaPipe tracks a video (a recording is only read)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from tracking.analysis_input import analyze_samples, open_for_analysis

    with open_for_analysis(path, effector=effector) as tracked:
        if tracked.models is None:
            return analyze_samples(tracked.samples(), info=tracked.info, effector=effector, name=str(path))
        # markup=False: the file name is shown as it is, even with [brackets] in it (rich markup).
        columns = (
            TextColumn("tracking {task.description}", markup=False),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=console, transient=True) as progress:
            # Shown as soon as the video is open, with the frame count it declares.
            task = progress.add_task(display_name(path.name), total=tracked.frame_count_hint)
            return analyze_samples(
                tracked.samples(), info=tracked.info, effector=effector, name=str(path),
                on_sample=lambda: progress.advance(task),
            )


def _fmt(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _effector_line(report: AnalysisReport) -> str:
    """Which effector is analysed and why (when it was chosen, not asked for)."""
    effector = report.result.effector.value
    if report.effector_given:
        return f"analysing the {effector} (--effector): tracked in {report.tracked_frames} of {report.frames} frames"
    other, other_frames = ("face", report.head_frames) if effector == "hand" else ("hand", report.hand_frames)
    return (
        f"analysing the {effector}: seen in {report.tracked_frames} of {report.frames} frames "
        f"(a {other} in {other_frames}; --effector chooses)"
    )


def _print_summary(report: AnalysisReport, console: Console) -> None:
    from rich.table import Table
    from rich.text import Text

    data = report.to_json()
    summary = data["summary"]
    effector = report.result.effector.value
    unit = report.trace.unit
    heading = Text(display_name(report.input_name or report.source), style="bold")
    heading.append(
        f": {_plural(report.frames, 'frame')} at {report.fps:g} fps ({report.duration_s:.1f} s); "
        f"{_effector_line(report)}"
    )
    console.print(heading, soft_wrap=True)
    table = Table(title=Text(f"{_plural(summary['movements'], 'movement')} ({effector})"))
    for column in ("#", "start s", "end s", f"peak {unit}", "SPARC", "LDLJ", "peaks", "breaks"):
        table.add_column(column, justify="right")
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
    _print_plain(
        console,
        f"mean SPARC {_fmt(summary['mean_sparc'], 3)} (closer to 0 is smoother); "
        f"{_plural(len(data['breaks']), 'break')}, {_fmt(summary['breaks_per_minute'], 1)} a minute. "
        "Training feedback, not a clinical score.",
    )
    _print_plain(console, FREE_ANALYSIS_NOTE)
