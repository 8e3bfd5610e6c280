"""``motorplay calibrate``: measure a patient's comfortable reach range and neutral head posture, and save them."""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING, Any

from game.commands._game_options import add_common_options, parse_models, session_options

if TYPE_CHECKING:
    from game.session import SessionResult  # imports pygame: only when the command runs

DEFAULT_MODELS = "hands,face"


def add_parser(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "calibrate",
        help="calibrate a patient's reach range and neutral head posture",
        description="Guided calibration with the camera (or --source FILE): the neutral head posture when the "
        "face model runs, then the comfortable reach range of the hand. Saved for --patient and reused by play.",
    )
    parser.add_argument(
        "--models",
        default=DEFAULT_MODELS,
        help="tracking models, comma-separated: hands, face (default: hands,face; the head step needs face)",
    )
    add_common_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Calibrate. Exit status 0 when saved; 2 with the reason when it could not be saved (or the file is bad);
    1, saying why, when it was not finished (the time ran out, the file ended or was too short, Q)."""
    started_s = time.monotonic()  # before the game's imports: --max-seconds counts the whole start
    from game.early_window import show_loading_screen
    from game.errors import GameSetupError
    from tracking.priority import shorten_time_slices
    from tracking.types import TrackingModel

    models = parse_models(args.models)
    if TrackingModel.HANDS not in models:
        raise GameSetupError("--models: calibration measures the hand's reach, so 'hands' is needed")
    show_loading_screen(headless=args.headless, fullscreen=args.fullscreen)  # window at once; game imported behind
    shorten_time_slices()  # the game's loop, and the tracking it starts, get a core at once (tracking.priority)
    from game.session import run_session

    options = session_options(args, started_s=started_s, calibrate_only=True, models=models)
    result = run_session(options)
    for error in result.errors[1:]:
        print(f"motorplay calibrate: error: {error}", file=sys.stderr)
    if result.errors:
        raise result.errors[0]
    if not result.calibration_saved:
        print(f"motorplay calibrate: {_why_not_finished(result)}", file=sys.stderr)
        return 1
    return result.exit_code


def _why_not_finished(result: SessionResult) -> str:
    note = result.calibration_note
    if note is not None:
        return note  # says what happened and that nothing was saved
    stopped = "the time ran out" if result.timed_out else "it was stopped"
    return f"the calibration was not finished ({stopped}); nothing was saved."
