"""``motorplay calibrate``: measure a patient's comfortable reach range and neutral head posture, and save them."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from game.commands._game_options import add_common_options, parse_models, session_options

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
    from game.errors import GameSetupError
    from game.session import run_session
    from tracking.frames import TrackingModel

    models = parse_models(args.models)
    if TrackingModel.HANDS not in models:
        raise GameSetupError("--models: calibration measures the hand's reach, so 'hands' is needed")
    options = session_options(args, calibrate_only=True, models=models)
    result = run_session(options)
    if not result.calibration_saved:
        print("motorplay calibrate: the calibration was not finished; nothing was saved.", file=sys.stderr)
        return 1
    return result.exit_code
