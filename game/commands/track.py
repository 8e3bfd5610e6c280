"""``motorplay track INPUT --out FILE.jsonl``: track a video (or re-derive a recording's signals) into a recording.

Every frame is tracked, none dropped, as fast as the machine allows. The output is a landmark recording (format
v1, described in the README) whose frame lines also carry "signals": cursor (palm centre, normalised image
coordinates), grasp aperture 0..1 and open/closed state, head yaw/pitch/roll in degrees relative to a neutral
(the --neutral file, or else the median over the first second of the input in which a face is seen), and whether a
hand is on the face (hand_on_face: a sensory trick; null without a face). Sign
conventions: README, "Signals and sign conventions". The recording is written to a temporary file beside --out
and renamed when complete: a failure or Ctrl-C leaves nothing half-written and keeps a previous --out file.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.commands._files import check_outputs, display_name, naming_option, open_output
from game.commands._game_options import parse_models
from tracking.errors import UserFacingError
from tracking.recording import RecordingWriter
from tracking.types import TrackingModel

if TYPE_CHECKING:
    from tracking.pipeline import TrackedFile
    from tracking.types import TrackedSample

DEFAULT_MODELS_ARG = "hands"
# The summary line's counts, in this order: "a hand in 180, a face in 0, a pose in 12".
_SEEN_ORDER = (TrackingModel.HANDS, TrackingModel.FACE, TrackingModel.POSE)
_SEEN_WORDS = {TrackingModel.HANDS: "a hand", TrackingModel.FACE: "a face", TrackingModel.POSE: "a pose"}


class TrackCommandError(UserFacingError):
    """A bad argument or file given to ``motorplay track``."""


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "track",
        help="track a video (or a recording) into a landmark recording with control signals",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    parser.add_argument("input", type=Path, metavar="INPUT", help="a video file, or a .jsonl landmark recording")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.jsonl", help="the recording to write")
    parser.add_argument(
        "--models",
        default=DEFAULT_MODELS_ARG,
        metavar="hands,pose,face",
        help=f"MediaPipe models to run on a video, comma-separated (default: {DEFAULT_MODELS_ARG}); "
        "ignored for a recording",
    )
    parser.add_argument(
        "--neutral",
        type=Path,
        metavar="FILE.json",
        help='neutral head posture {"yaw_deg": deg, "pitch_deg": deg, "roll_deg": deg} (README); default: the '
        "median over the first second of the input",
    )
    parser.set_defaults(run=run)


def _check_paths(input_path: Path, out_path: Path, neutral_path: Path | None) -> None:
    if not out_path.name.lower().endswith(".jsonl"):
        raise TrackCommandError(f"--out {out_path}: expected a .jsonl file name (a landmark recording)")
    inputs = [("INPUT", input_path)] + ([("--neutral", neutral_path)] if neutral_path is not None else [])
    check_outputs(inputs, [("--out", out_path)])
    open_output(out_path, "--out").discard()  # a read-only folder or /proc: refused before the models load
    from tracking.sources import check_input_file  # loads OpenCV, not MediaPipe

    check_input_file(input_path)  # a still image or a text file: refused before the models load


def _with_progress(tracked: TrackedFile, input_path: Path) -> Iterator[TrackedSample]:
    """The samples, with a rich progress bar on stderr when MediaPipe runs (a video) and stderr is a terminal."""
    if tracked.models is None or not sys.stderr.isatty():
        yield from tracked.samples()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    # markup=False: the file name is shown as it is, even when it contains [brackets] (rich markup).
    columns = (
        TextColumn("Tracking {task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True, highlight=False), transient=True) as progress:
        task = progress.add_task(display_name(input_path.name), total=tracked.frame_count_hint)
        for sample in tracked.samples():
            yield sample
            progress.advance(task)


def _describe_neutral(tracked: TrackedFile, given: bool) -> str:
    neutral = tracked.head_neutral
    if neutral is None:
        return ""
    origin = "from --neutral" if given else "median of the first second"
    return (
        f"; head neutral ({origin}): yaw {neutral.yaw_deg:.1f}, pitch {neutral.pitch_deg:.1f}, "
        f"roll {neutral.roll_deg:.1f} deg"
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _describe_seen(seen: dict[TrackingModel, int], models: frozenset[TrackingModel] | None) -> str:
    """What was found, for the models that ran on a video (``models``), or for a recording (``None``: no model
    ran): the kinds of landmarks it holds."""
    shown = [model for model in _SEEN_ORDER if (seen[model] > 0 if models is None else model in models)]
    if not shown:
        return "no hand, face or pose landmarks"
    return ", ".join(f"{_SEEN_WORDS[model]} in {seen[model]}" for model in shown)


def _describe_hand_on_face(frames: int, seen: dict[TrackingModel, int], models: frozenset[TrackingModel] | None) -> str:
    """How often a hand was on the face (a sensory trick), when both hands and a face could be seen."""
    hands_ran = models is None or TrackingModel.HANDS in models
    if not hands_ran or seen[TrackingModel.FACE] == 0:
        return ""
    return f", a hand on the face in {frames}"


def run(args: argparse.Namespace) -> int:
    input_path: Path = args.input
    out_path: Path = args.out
    _check_paths(input_path, out_path, args.neutral)
    from tracking.head_neutral import read_head_neutral

    neutral = read_head_neutral(args.neutral) if args.neutral is not None else None
    from tracking.pipeline import open_tracked_file  # a video loads MediaPipe (seconds): once the arguments are good

    models = parse_models(args.models)
    started_s = time.perf_counter()
    frames = 0
    seen = dict.fromkeys(_SEEN_ORDER, 0)
    hand_on_face = 0  # frames with a hand on the face (signals.hand_on_face)
    with open_tracked_file(input_path, models, head_neutral=neutral) as tracked, naming_option("--out"):
        # The recording is written to a temporary file beside --out and renamed over it only when complete: bad
        # input half-way, Ctrl-C, SIGKILL or a full disk leave the previous --out file as it was.
        try:
            with RecordingWriter(out_path, tracked.info) as writer:
                for sample in _with_progress(tracked, input_path):
                    writer.write(sample.frame, sample.signals)
                    frames += 1
                    seen[TrackingModel.HANDS] += bool(sample.frame.hands)
                    seen[TrackingModel.FACE] += sample.frame.face is not None
                    seen[TrackingModel.POSE] += sample.frame.pose is not None
                    hand_on_face += bool(sample.signals.hand_on_face)
        except KeyboardInterrupt:
            print(f"--out {out_path}: not written (stopped before the end of the input)", file=sys.stderr)
            raise
        elapsed_s = time.perf_counter() - started_s
        rate = f" ({frames / elapsed_s:.0f} frames/s)" if elapsed_s > 0 else ""
        print(
            f"{display_name(input_path)}: {_plural(frames, 'frame')} in {elapsed_s:.1f} s{rate}; "
            f"{_describe_seen(seen, tracked.models)}{_describe_hand_on_face(hand_on_face, seen, tracked.models)}"
            f"{_describe_neutral(tracked, neutral is not None)} -> {display_name(out_path)}"
        )
    return 0
