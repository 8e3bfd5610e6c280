"""A separate process that records a session, as the game will: for the concurrency and SIGKILL tests.

``python -m tests.support.records_writer --data-dir DIR [--db URL] --patient ID --trials N [--station NAME]
[--hang]`` opens the store, starts a session and a level run, commits N trials (each with a break), printing
``trial K`` after each commit, then ends the session complete, or with ``--hang`` prints ``hanging`` and waits to be
killed (the session left without an end, as a game killed mid-session leaves it).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from clinic.records.store import open_store
from clinic.records.types import BreakRecord, TrialOutcome, TrialRecord
from tracking.quality_types import BreakKind

# How long a --hang process waits before giving up on being killed (a test that forgot it must not leave it).
HANG_LIMIT_S = 120.0


def trial(index: int) -> TrialRecord:
    """The ``index``-th trial: its values derive from the index, so that a reader can check each one."""
    return TrialRecord(
        index=index,
        outcome=TrialOutcome.SUCCESS if index % 3 else TrialOutcome.MISS,
        time_s=1.0 + index / 100,
        params={"target": index},
        sparc=-1.5 - index / 1000,
        breaks=(BreakRecord(t_s=0.5, kind=BreakKind.ARREST),),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--db")
    parser.add_argument("--patient", required=True)
    parser.add_argument("--trials", type=int, required=True)
    parser.add_argument("--station")
    parser.add_argument("--hang", action="store_true")
    args = parser.parse_args(argv)
    with open_store(data_dir=args.data_dir, db=args.db, station=args.station, environ={}) as store:
        session = store.start_session(args.patient)
        run = store.start_level_run(session.uuid, "reach", "reach")
        print(f"session {session.uuid}", flush=True)
        for index in range(args.trials):
            store.add_trial(run.uuid, trial(index))
            print(f"trial {index}", flush=True)
        if args.hang:
            print("hanging", flush=True)
            time.sleep(HANG_LIMIT_S)
            return 1
        store.end_session(session.uuid, complete=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
