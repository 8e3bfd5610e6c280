"""``motorplay patients``: add, list, show and delete patients, and record botulinum toxin injections.

Every action takes ``--data-dir DIR`` and ``--db URL`` (default: ``$MOTORPLAY_DB``, else the SQLite file in the data
folder). Names are printed as plain text, never as rich markup.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the records load SQLAlchemy: only when a command runs, so that --help stays instant
    from rich.console import Console
    from rich.text import Text

    from clinic.records.deletion import PatientData
    from clinic.records.store import RecordsStore

NO_ACTION_EXIT_CODE = 2
# A deletion the person did not confirm: nothing was deleted (1, as for a question answered no; 2 is a bad input).
NOT_CONFIRMED_EXIT_CODE = 1


def add_store_options(parser: argparse.ArgumentParser) -> None:
    """``--data-dir`` and ``--db``, for every command that reads or writes the records."""
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="where patient data is kept (default: $MOTORPLAY_DATA_DIR, else the user's data folder, "
        "~/.local/share/motorplay on Linux)",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="the records database: postgresql+psycopg://USER@HOST/DBNAME for a clinic server shared by the "
        "stations (default: $MOTORPLAY_DB, else the SQLite file motorplay.sqlite3 in the data folder)",
    )


def open_records(args: argparse.Namespace) -> RecordsStore:
    """The records named by ``--data-dir`` and ``--db`` (or the environment, or the defaults)."""
    from clinic.records.store import open_store

    return open_store(data_dir=args.data_dir, db=args.db)


def console() -> Console:
    from rich.console import Console

    # highlight=False: no colouring of numbers or names inside plain text.
    return Console(highlight=False)


def plain(value: object) -> Text:
    """A table cell or line shown exactly as it is (a name with [brackets] is not rich markup)."""
    from rich.text import Text

    return Text("-" if value is None else str(value))


def local_time(moment: datetime | None) -> str:
    """A stored (UTC) time in this computer's time zone, to the minute."""
    return "-" if moment is None else moment.astimezone().strftime("%Y-%m-%d %H:%M")


def iso_date(text: str) -> date:
    """A date written as YYYY-MM-DD (for argparse: a bad one is named, exit 2)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date as YYYY-MM-DD (for example 2026-03-14), got {text!r}"
        ) from None


def add_parser(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "patients",
        help="add, list, show and delete patients; record botulinum toxin injections",
        description="Patients in the records: a pseudonymous ID (such as P-7F3A2C) and an optional display name.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    add = actions.add_parser("add", help="add a patient", description="Add a patient to the records.")
    add.add_argument("--id", dest="code", metavar="ID",
                     help="the patient's ID: letters, digits, '.', '_', '-' (default: a new one such as P-7F3A2C)")
    add.add_argument("--name", metavar="NAME", help="a display name (optional; the ID alone is pseudonymous)")
    add_store_options(add)
    add.set_defaults(run=_add)
    listing = actions.add_parser("list", help="list the patients", description="List the patients in the records.")
    add_store_options(listing)
    listing.set_defaults(run=_list)
    show = actions.add_parser("show", help="show a patient", description="Show a patient's records.")
    show.add_argument("code", metavar="ID", help="the patient's ID")
    add_store_options(show)
    show.set_defaults(run=_show)
    injection = actions.add_parser(
        "injection",
        help="record a botulinum toxin injection",
        description="Record a botulinum toxin injection: sessions are then placed in their injection cycle "
        "(weeks since the last injection).",
    )
    injection.add_argument("code", metavar="ID", help="the patient's ID")
    injection.add_argument("injected_on", metavar="DATE", type=iso_date, help="the day of the injection, YYYY-MM-DD")
    injection.add_argument("--note", metavar="TEXT", help="a note (muscles, dose...)")
    add_store_options(injection)
    injection.set_defaults(run=_injection)
    removal = actions.add_parser(
        "delete",
        help="delete everything stored about a patient",
        description="Delete everything stored about a patient: their records (sessions, trials, breaks, "
        "calibrations, assessments, plans, difficulty changes, injections), the records waiting in the local queue, "
        "and the files motorplay wrote for them in the data folder (calibration, assessments, PIN). It cannot be "
        "undone: you are asked to type the patient's ID again.",
    )
    removal.add_argument("code", metavar="ID", help="the patient's ID")
    removal.add_argument("--yes", action="store_true",
                         help="do not ask for confirmation (for scripts): delete at once")
    add_store_options(removal)
    removal.set_defaults(run=_delete)
    parser.set_defaults(run=lambda args: _no_action(parser))


def _no_action(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return NO_ACTION_EXIT_CODE


def _add(args: argparse.Namespace) -> int:
    with open_records(args) as store:
        patient = store.add_patient(args.code, args.name)
    line = plain(f"Added patient {patient.code}")
    if patient.display_name is not None:
        line.append(f" ({patient.display_name})")
    console().print(line, soft_wrap=True)
    return 0


def _list(args: argparse.Namespace) -> int:
    from rich.table import Table

    with open_records(args) as store:
        rows = [(patient, store.sessions(patient.code)) for patient in store.patients()]
    output = console()
    if not rows:
        output.print(plain("No patients yet: `motorplay patients add` adds one."))
        return 0
    table = Table(title=plain(f"{len(rows)} patient{'s' if len(rows) != 1 else ''}"))
    for column in ("ID", "name", "added", "sessions", "last session"):
        table.add_column(column)
    for patient, sessions in rows:
        last = sessions[-1].session.started_at if sessions else None
        table.add_row(
            plain(patient.code),
            plain(patient.display_name),
            plain(local_time(patient.created_at)),
            plain(len(sessions)),
            plain(local_time(last)),
        )
    output.print(table)
    return 0


def _show(args: argparse.Namespace) -> int:
    from rich.table import Table

    from clinic.records.types import utc_now

    with open_records(args) as store:
        patient = store.patient(args.code)
        sessions = store.sessions(patient.code)
        calibrations = store.calibrations(patient.code)
        plan = store.plan(patient.code)
        injections = store.injections(patient.code)
        weeks = store.weeks_since_injection(patient.code, utc_now())
    output = console()
    heading = plain(patient.code)
    heading.stylize("bold")
    if patient.display_name is not None:
        heading.append(f" ({patient.display_name})")
    output.print(heading, soft_wrap=True)
    complete = sum(1 for summary in sessions if summary.session.complete)
    lines = [
        f"added {local_time(patient.created_at)}",
        f"sessions: {len(sessions)} ({complete} complete), {sum(s.trials for s in sessions)} trials",
        "calibration: none" if not calibrations
        else f"calibration: version {calibrations[-1].version}, saved {local_time(calibrations[-1].saved_at)}",
        "plan: none" if plan is None
        else f"plan: version {plan.version} by {plan.author}, {local_time(plan.created_at)}",
        "injections: none" if weeks is None else f"weeks since the last injection: {weeks:.1f}",
    ]
    for line in lines:
        output.print(plain(line), soft_wrap=True)
    if injections:
        table = Table(title=plain("Botulinum toxin injections"))
        table.add_column("date")
        table.add_column("note")
        for shot in injections:
            table.add_row(plain(shot.injected_on.isoformat()), plain(shot.note))
        output.print(table)
    return 0


def _injection(args: argparse.Namespace) -> int:
    with open_records(args) as store:
        shot = store.add_injection(args.code, args.injected_on, args.note)
    line = f"Recorded an injection for {shot.patient} on {shot.injected_on.isoformat()}"
    console().print(plain(line), soft_wrap=True)
    return 0


def _delete(args: argparse.Namespace) -> int:
    with open_records(args) as store:
        found = store.patient_data(args.code)
        output = console()
        for line in _deletion_lines(found, store.location.data_dir):
            output.print(plain(line), soft_wrap=True)
        if not args.yes and not _confirmed(found.patient):
            print(f"Nothing was deleted: the ID typed was not {found.patient}.", file=sys.stderr)
            return NOT_CONFIRMED_EXIT_CODE
        store.delete_patient(found.patient)
    output.print(plain(f"Deleted everything stored about patient {found.patient}."), soft_wrap=True)
    return 0


def _deletion_lines(found: PatientData, data_dir: Path) -> list[str]:
    """What is about to be deleted, for the person who confirms it."""
    lines = [f"This deletes everything stored about patient {found.patient}:"]
    if found.rows:
        lines.append("  records: " + ", ".join(f"{count} {table.replace('_', ' ')}" for table, count in
                                               found.rows.items()))
    if found.queued_writes:
        lines.append(f"  {found.queued_writes} records waiting in the local queue")
    for path in found.files:
        shown = path.relative_to(data_dir) if path.is_relative_to(data_dir) else path
        lines.append(f"  {shown}{'/' if path.is_dir() else ''} in {data_dir}")
    lines.append("It cannot be undone.")
    return lines


def _confirmed(patient: str) -> bool:
    """Ask the person to type the patient's ID again; ``True`` when they did (no answer at all is a no)."""
    try:
        answer = input(f"Type the patient's ID ({patient}) to delete, anything else to keep it: ")
    except EOFError:
        print()
        return False
    return answer.strip() == patient
