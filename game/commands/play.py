"""``motorplay play``: play a level with the camera, a video or recording, or the mouse."""

from __future__ import annotations

import argparse
from typing import Any

from game.commands._game_options import add_common_options, session_options


def add_parser(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "play",
        help="play a level",
        description="Play a level. The camera is used unless --source or --input mouse is given; with no camera "
        "the game says so and offers the mouse. The first time, the game calibrates your comfortable reach.",
    )
    parser.add_argument("--level", default="reach", help="a level name or the path of a .toml file (default: reach)")
    parser.add_argument(
        "--input",
        choices=("camera", "mouse"),
        default="camera",
        help="camera tracking (default) or the mouse and keyboard",
    )
    add_common_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from game.input_source import InputKind
    from game.session import run_session

    options = session_options(args, level=args.level, input_kind=InputKind(args.input))
    return run_session(options).exit_code
