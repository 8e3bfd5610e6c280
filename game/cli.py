"""The ``motorplay`` console command: one subcommand a module in :mod:`game.commands`.

Each command module has ``add_parser(subparsers)`` and ``run(args) -> int``; heavy imports (pygame, mediapipe)
happen inside ``run`` so that ``--help`` is instant.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from tracking.errors import UserFacingError

COMMAND_MODULES = ("play", "calibrate", "track", "analyze")

DISCLAIMER = (
    "motorplay supports a therapist's programme of exercises. It does not diagnose and is not a medical device: "
    "its measures are training feedback, not clinical scores."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="motorplay",
        description="Camera-based motor-retraining games for people with dystonia. " + DISCLAIMER,
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"game.commands.{name}")
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except UserFacingError as error:
        print(f"motorplay {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
