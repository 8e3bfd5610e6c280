"""The ``motorplay`` console command: one subcommand a module in :mod:`game.commands`.

Each command module has ``add_parser(subparsers)`` and ``run(args) -> int``; heavy imports (pygame, mediapipe, cv2)
happen inside ``run`` so that ``--help`` is instant, and so that the quiet logging environment
(:mod:`game.native_logs`) is in place before MediaPipe or OpenCV load.

Exit codes: 0 done; 2 a person's error (bad argument or file: one line naming it, no traceback), and also
``motorplay`` alone, which prints the help (no command was run); 130 stopped with Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import re
import sys
from collections.abc import Sequence

from game.native_logs import native_stderr_silenced, quiet_library_environment
from game.texts import DISCLAIMER
from tracking.errors import UserFacingError

COMMAND_MODULES = (
    "play", "calibrate", "track", "analyze", "patients", "sessions", "levels", "report", "export", "plan", "simulate"
)
NO_COMMAND_EXIT_CODE = 2  # like any other usage error: a script that runs plain `motorplay` did nothing

# Sphinx cross-references and literals in the docstrings that serve as descriptions: ":mod:`x`" -> "x",
# ":class:`~a.B`" -> "B"... kept readable for a person reading --help.
_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")
_LITERAL = re.compile(r"``([^`]+)``")


def plain_text(text: str) -> str:
    """``text`` without Sphinx markup (roles and double-backtick literals)."""
    return _LITERAL.sub(r"\1", _ROLE.sub(lambda match: match.group(1), text))


class _Parser(argparse.ArgumentParser):
    """An argument parser whose help shows docstring text without Sphinx markup."""

    def format_help(self) -> str:
        return plain_text(super().format_help())

    def format_usage(self) -> str:
        return plain_text(super().format_usage())


def _version() -> str:
    import importlib.metadata  # here, not at the top: 40 ms that `motorplay play` need not wait for its window

    try:
        return importlib.metadata.version("motorplay")
    except importlib.metadata.PackageNotFoundError:
        return "unknown (not installed: run `pip install -e .`)"


class _VersionAction(argparse.Action):
    """``--version``: print the installed version and exit (looked up only when asked for)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        print(f"motorplay {_version()}")
        parser.exit()


def command_named(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names (its first word that is not an option), when it is one of ours."""
    for word in argv:
        if not word.startswith("-"):
            return word if word in COMMAND_MODULES else None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The ``motorplay`` parser; with ``only``, that command's module alone is imported (the others are bare names,
    never shown: they are only there for a command line that names ``only``), so that ``motorplay play`` does not
    wait for every other command's imports before its window opens."""
    parser = _Parser(
        prog="motorplay",
        description="Camera-based motor-retraining games for people with dystonia. " + DISCLAIMER,
        epilog="Run `motorplay COMMAND --help` for a command's options. Without a command, this help is printed "
        f"(exit code {NO_COMMAND_EXIT_CODE}).",
    )
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="show the log lines of MediaPipe, TensorFlow Lite and OpenCV (hidden by default)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        if only is not None and name != only:
            subparsers.add_parser(name)
            continue
        module = importlib.import_module(f"game.commands.{name}")
        module.add_parser(subparsers)
    for command in subparsers.choices.values():
        # Also accepted after the command (`motorplay track ... --verbose`); SUPPRESS keeps the global value.
        command.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(only=command_named(words))
    args = parser.parse_args(words)
    if args.command is None:
        parser.print_help()
        return NO_COMMAND_EXIT_CODE
    if not args.verbose:
        quiet_library_environment()  # before run() imports mediapipe or cv2
    quiet = contextlib.nullcontext() if args.verbose else native_stderr_silenced()
    try:
        with quiet:
            return int(args.run(args))
    except UserFacingError as error:
        print(f"motorplay {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
