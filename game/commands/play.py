"""``motorplay play``: play a level with the camera, a video or recording, or the mouse."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from game.commands._game_options import add_common_options, level_list, session_options


def add_parser(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "play",
        help="play a level, or the patient's plan for today",
        description="Play a level. The camera is used unless --source or --input mouse is given; with no camera "
        "the game says so and offers the mouse. The first time, the game calibrates your comfortable reach. "
        "With --patient and no --level or --levels, a patient whose records hold a therapist's plan plays today's "
        "plan: its levels in order, with their sets, repetitions and rests, until the plan's session limit (checked "
        "at the end of each set: the set under way is finished, then the session ends). The difficulty of a level "
        "follows the patient's results trial by trial, within the plan's limits and caps, and starts one step below "
        "where the patient ended it last time (from the records).",
    )
    parser.add_argument(
        "--level",
        default=None,
        help="a level name or the path of a .toml file (default: the patient's plan for today, else reach)",
    )
    parser.add_argument(
        "--levels",
        type=level_list,
        metavar="A,B,C",
        help="a session of several levels played in this order (names or .toml paths, comma-separated); "
        "each level's results then offer the next",
    )
    parser.add_argument(
        "--results-json",
        type=Path,
        metavar="FILE",
        help="write the session's results here (format motorplay-session, version 1): rewritten after every "
        "trial and when play ends",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="record the session in this records database (postgresql+psycopg://... for a clinic server); "
        "by default sessions are recorded when $MOTORPLAY_DB is set or the data folder holds records",
    )
    parser.add_argument(
        "--record",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="record the session in the clinic records (--no-record: do not); the patient must be in the records "
        "(motorplay patients add)",
    )
    parser.add_argument(
        "--input",
        choices=("camera", "mouse"),
        default="camera",
        help="camera tracking (default) or the mouse and keyboard",
    )
    parser.add_argument(
        "--live-view",
        action="store_true",
        help="serve a live view of the session for the therapist (patient, level, trial, the movement's trace, "
        "breaks as they happen) at a URL with a random token, printed and shown in the game; on this machine only "
        "(127.0.0.1, a free port) unless --live-view-host says otherwise",
    )
    parser.add_argument(
        "--live-view-host",
        metavar="HOST",
        help="serve the live view on this address instead of 127.0.0.1 (implies --live-view; prints a warning: "
        "anyone who reaches it with the URL can watch)",
    )
    add_common_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Play; a headless run prints a one-line summary. A person's error met during play (a bad line in the
    recording, a calibration that could not be saved) is raised when the game has ended: exit status 2."""
    started_s = time.monotonic()  # before the game's imports: --max-seconds counts the whole start
    from game.early_window import show_loading_screen
    from tracking.priority import shorten_time_slices

    show_loading_screen(headless=args.headless, fullscreen=args.fullscreen)  # window at once; game imported behind
    shorten_time_slices()  # the game's loop, and the tracking it starts, get a core at once (tracking.priority)
    from game.input_source import InputKind
    from game.session import run_session

    options = session_options(
        args,
        started_s=started_s,
        level=args.level,
        levels=args.levels or (),
        input_kind=InputKind(args.input),
        results_json=args.results_json,
        db=args.db,
        record=args.record,
    )
    live_view = None
    if args.live_view or args.live_view_host is not None:
        from clinic.live_view.server import LOOPBACK_HOST
        from game.live_view import LiveView

        live_view = LiveView.start(args.live_view_host or LOOPBACK_HOST)
        live_view.announce()
    try:
        result = run_session(options, live_view=live_view)
    finally:
        if live_view is not None:
            live_view.close()
    if options.headless:
        print(result.summary)
    for error in result.errors[1:]:
        print(f"motorplay play: error: {error}", file=sys.stderr)
    if result.errors:
        raise result.errors[0]
    return result.exit_code
