"""``motorplay simulate``: play the adaptation against a simulated patient, before a real patient meets it.

The simulated patient (:mod:`levels.simulation`): skill ``S`` 0-1, fatigue ``F`` 0-1 (how fast performance falls
over the trials), ``B`` the chance of a dystonic break in a trial at difficulty 0.5; success and breaks are drawn
from a logistic model of skill, difficulty and fatigue. With ``--plan FILE`` the plan's limits and caps apply (its
entry for the level). Output: a table trial by trial, or JSON (``--json``), and a plot (``--plot FILE.png``).
"""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracking.errors import UserFacingError

if TYPE_CHECKING:
    from levels.simulation import SimulationRun

# Most trials simulated in one run: a week of daily sessions is a few hundred; 10000 bounds a typo.
MAX_TRIALS = 10_000
PLOT_DPI = 100


class SimulateError(UserFacingError):
    """An option of ``motorplay simulate`` that cannot be used (the message names it)."""


# The option parsers' messages leave the option out: argparse names it ("argument --skill: expected ...").


def _unit(text: str) -> float:
    """A number from 0 to 1 (NaN refused: it is not in the range)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}")
    return value


def _trials(text: str) -> int:
    """A whole number of trials from 1 to :data:`MAX_TRIALS`."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 1 <= value <= MAX_TRIALS:
        raise argparse.ArgumentTypeError(f"expected 1 to {MAX_TRIALS}, got {text!r}")
    return value


def add_parser(subparsers: Any) -> None:
    """Add ``simulate``."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "simulate",
        help="play the adaptive difficulty against a simulated patient",
        description=__doc__,
    )
    parser.add_argument("--level", required=True, metavar="NAME", help="a catalogue level, or a .toml level file")
    parser.add_argument("--plan", metavar="FILE", help="a plan file: its limits and caps for the level apply")
    parser.add_argument("--skill", required=True, type=_unit, metavar="S", help="skill, 0-1")
    parser.add_argument("--fatigue", type=_unit, default=0.0, metavar="F",
                        help="how fast performance falls over the trials, 0-1 (default 0)")
    parser.add_argument("--break-rate", type=_unit, default=0.05, metavar="B",
                        help="the chance of a dystonic break in a trial at difficulty 0.5 (default 0.05)")
    parser.add_argument("--trials", type=_trials, default=30, metavar="N", help="trials to simulate (default 30)")
    parser.add_argument("--seed", type=int, default=0, metavar="K", help="seeds the draws (default 0)")
    parser.add_argument("--start", type=_unit, metavar="D",
                        help="the starting difficulty (default: the plan's start, else the level file's)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--plot", type=Path, metavar="FILE.png", help="plot difficulty and success to a PNG file")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from levels.loader import load_level_spec
    from levels.simulation import SimulatedPatient, simulate
    from levels.staircase import StaircaseRules

    if args.plot is not None:
        from game.commands._files import check_outputs

        check_outputs([], [("--plot", args.plot)])
    spec = load_level_spec(args.level)
    low, high, start = 0.0, 1.0, spec.adaptation.start_difficulty
    if args.plan is not None:
        low, high, start = _plan_limits(args.plan, args.level)
    start = start if args.start is None else args.start
    rules = StaircaseRules(step=spec.adaptation.difficulty_step, min_index=low, max_index=high)
    patient = SimulatedPatient(skill=args.skill, fatigue=args.fatigue, break_rate=args.break_rate)
    run = simulate(patient, rules, start, args.trials, args.seed)
    if args.json:
        print(json.dumps(run_json(run), indent=2))
    else:
        _print_table(run)
    if args.plot is not None:
        write_plot(run, args.plot, title=f"{args.level}: skill {args.skill:g}, fatigue {args.fatigue:g}, "
                   f"breaks {args.break_rate:g}")
        if not args.json:
            print(f"Wrote the plot to {args.plot}")
    return 0


def _plan_limits(plan_file: str, level: str) -> tuple[float, float, float]:
    from clinic.plan import check_plan
    from game.commands.plan import MAX_PLAN_FILE_BYTES
    from levels.loader import _where, load_level_spec
    from levels.plan import index_limits
    from tracking.input_files import InputFileError, read_text_file

    try:
        text = read_text_file(plan_file, expected="a .toml plan file", max_bytes=MAX_PLAN_FILE_BYTES)
    except InputFileError as error:
        raise SimulateError(f"--plan {error.path}: cannot read the plan file: {_where(error)}") from None
    plan = check_plan(text, plan_file)
    entry = next((item for item in plan.levels if item.name == level), None)
    if entry is None:
        names = ", ".join(item.name for item in plan.levels)
        raise SimulateError(f"--plan {plan_file}: the plan has no level {level!r} (its levels: {names})")
    low, high = index_limits(load_level_spec(level), entry)
    return low, high, entry.start_difficulty


def run_json(run: SimulationRun) -> dict[str, Any]:
    """Return the run as the documented JSON object."""
    from levels.simulation import success_rate

    return {
        "trials": [
            {"trial": t.trial, "difficulty": round(t.difficulty, 6), "success": t.success, "breaks": t.breaks,
             "reason": t.reason}
            for t in run.trials
        ],
        "success_rate": round(success_rate(run.trials), 6),
        "final_difficulty": round(run.final_difficulty, 6),
    }


def _print_table(run: SimulationRun) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from levels.simulation import success_rate

    table = Table(title=Text(f"{len(run.trials)} simulated trials"))
    for column in ("trial", "difficulty", "success", "breaks", "reason"):
        table.add_column(column)
    for t in run.trials:
        reason = t.reason + (" (rest suggested)" if t.rest_suggested else "")
        table.add_row(str(t.trial), f"{t.difficulty:.2f}", "yes" if t.success else "no", str(t.breaks),
                      Text(reason if t.changed or t.rest_suggested else f"({reason})"))
    console = Console(highlight=False)
    console.print(table)
    console.print(Text(f"success rate {success_rate(run.trials):.0%}; final difficulty {run.final_difficulty:.2f}"))


def write_plot(run: SimulationRun, path: Path, *, title: str) -> None:
    """Plot the difficulty (line) and each trial's success (markers) over the trials, as a PNG written atomically."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from tracking.atomic_files import write_bytes_atomic

    figure = Figure(figsize=(8, 4))
    axes = figure.add_subplot()
    numbers = [t.trial for t in run.trials]
    axes.step(numbers, [t.difficulty for t in run.trials], where="mid", label="difficulty")
    for success, colour, label in ((True, "tab:green", "success"), (False, "tab:red", "failure")):
        chosen = [t for t in run.trials if t.success is success]
        axes.scatter([t.trial for t in chosen], [t.difficulty for t in chosen], color=colour, s=18, label=label,
                     zorder=3)
    axes.set_ylim(-0.05, 1.05)
    axes.set_xlabel("trial")
    axes.set_ylabel("difficulty (0 easiest, 1 hardest)")
    axes.set_title(title)
    axes.legend(loc="upper right")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=PLOT_DPI)
    write_bytes_atomic(path, buffer.getvalue())
