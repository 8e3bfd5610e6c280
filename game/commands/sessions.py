"""``motorplay sessions list --patient ID``: a patient's sessions, each placed in its injection cycle."""

from __future__ import annotations

import argparse
from typing import Any

from game.commands.patients import NO_ACTION_EXIT_CODE, add_store_options, console, local_time, open_records, plain

COLUMNS = ("#", "started", "ended", "station", "complete", "levels", "trials", "hits", "weeks since injection")
NUMBER_COLUMNS = frozenset({"#", "levels", "trials", "hits", "weeks since injection"})


def add_parser(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "sessions",
        help="list a patient's sessions",
        description="Sessions in the records: when, where, whether complete, levels and trials, and the weeks "
        "since the last botulinum toxin injection.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    listing = actions.add_parser("list", help="list a patient's sessions", description="List a patient's sessions.")
    listing.add_argument("--patient", dest="code", metavar="ID", required=True, help="the patient's ID")
    add_store_options(listing)
    listing.set_defaults(run=_list)
    parser.set_defaults(run=lambda args: _no_action(parser))


def _no_action(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return NO_ACTION_EXIT_CODE


def _list(args: argparse.Namespace) -> int:
    from rich.table import Table

    with open_records(args) as store:
        patient = store.patient(args.code)
        sessions = store.sessions(patient.code)
    output = console()
    if not sessions:
        output.print(plain(f"No sessions recorded for {patient.code} yet."), soft_wrap=True)
        return 0
    table = Table(title=plain(f"Sessions of {patient.code}"))
    for column in COLUMNS:
        table.add_column(column, justify="right" if column in NUMBER_COLUMNS else "left")
    for summary in sessions:
        session = summary.session
        weeks = summary.weeks_since_injection
        table.add_row(
            plain(summary.number),
            plain(local_time(session.started_at)),
            plain(local_time(session.ended_at)),
            plain(session.station),
            plain("yes" if session.complete else "no"),
            plain(summary.level_runs),
            plain(summary.trials),
            plain(summary.successes),
            plain("-" if weeks is None else f"{weeks:.1f}"),
        )
    output.print(table)
    return 0
