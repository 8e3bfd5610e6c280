"""Headless sessions played with the mouse whose data folder loses its write permissions after the first trial.

Run as a child process that cannot override file permissions (``setpriv`` without ``CAP_DAC_OVERRIDE``): as root
``chmod`` stops nothing, so the test drops that capability for this process only. After the first trial of the first
session has been recorded, every folder and file in the data folder loses its write permission; then a second session
is played in the folder as it is (the patient plays again before anyone has fixed it). Prints one JSON line per
session: whether it was complete, the messages the game gave, the trials played.

Run: ``python -m tests.support.read_only_session DATA_DIR LEVEL_FILE RESULTS_JSON PATIENT``
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

from game.session_results import SessionJournal
from levels.feedback import TrialFeedback
from levels.trial import TrialResult
from tests.support.session_flows import MouseClock, play_with_mouse

WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


def set_writable(folder: Path, *, writable: bool) -> None:
    """Give or take the owner's write permission on ``folder`` and everything in it."""
    for path in [folder, *folder.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        path.chmod(mode | stat.S_IWUSR if writable else mode & ~WRITE_BITS)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("level", type=Path)
    parser.add_argument("results_json", type=Path)
    parser.add_argument("patient")
    args = parser.parse_args(argv)
    original = SessionJournal.add_trial
    played: list[int] = []

    def add_trial(journal: SessionJournal, result: TrialResult, feedback: TrialFeedback | None, **kw: Any) -> None:
        original(journal, result, feedback, **kw)
        played.append(journal.trial_count)
        if journal.trial_count == 1 and os.access(args.data_dir, os.W_OK):
            set_writable(args.data_dir, writable=False)
            assert not os.access(args.data_dir, os.W_OK), "this process can still write: run it without DAC override"

    SessionJournal.add_trial = add_trial  # type: ignore[method-assign]
    for session in (1, 2):
        played.clear()
        result = play_with_mouse(
            [args.level], lambda: MouseClock(), data_dir=args.data_dir, max_seconds=20.0, patient=args.patient,
            results_json=args.results_json.with_name(f"{args.results_json.stem}-{session}.json"), offer_choices=False,
        )  # fmt: skip
        print(json.dumps({
            "complete": result.session_complete,
            "errors": [str(error) for error in result.errors],
            "played": list(played),
        }))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
