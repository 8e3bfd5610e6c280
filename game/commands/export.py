"""``motorplay export --patient ID (--csv DIR | --fhir FILE.json)``: a patient's records as CSV files or FHIR R4.

``--csv DIR`` writes ``sessions.csv``, ``trials.csv`` and ``breaks.csv``; ``--fhir FILE.json`` a FHIR R4 Bundle with a
pseudonymous Patient and one Observation per measure per session. Both formats are documented in docs/reports.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from game.commands._files import FileArgumentError, check_outputs, display_name, naming_option
from game.commands.patients import add_store_options, console, iso_date, open_records, plain


def add_parser(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "export",
        help="export a patient's records as CSV files or a FHIR R4 Bundle",
        description="Export a patient's records: --csv DIR writes sessions.csv, trials.csv and breaks.csv; --fhir "
        "FILE.json writes a FHIR R4 Bundle (a pseudonymous Patient, one Observation per measure per session). "
        "The columns and codes are documented in docs/reports.md.",
    )
    parser.add_argument("--patient", dest="code", metavar="ID", required=True, help="the patient's ID")
    parser.add_argument("--csv", type=Path, metavar="DIR", help="a folder to write the three CSV files into "
                        "(created when missing; files of the same names in it are replaced)")
    parser.add_argument("--fhir", type=Path, metavar="FILE", help="a JSON file to write the FHIR R4 Bundle to")
    parser.add_argument("--since", type=iso_date, metavar="DATE",
                        help="only sessions started on or after this day (YYYY-MM-DD, UTC)")
    add_store_options(parser)
    parser.set_defaults(run=run)


def _csv_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise FileArgumentError(f"--csv {folder}: is a file; expected a folder for the three CSV files")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FileArgumentError(f"--csv {folder}: cannot create this folder ({error.strerror})") from None


def run(args: argparse.Namespace) -> int:
    from clinic.records.types import utc_now
    from clinic.reports.export_csv import export_csv
    from clinic.reports.export_fhir import export_fhir
    from clinic.reports.progress_data import read_progress

    if args.csv is None and args.fhir is None:
        raise FileArgumentError("nothing to export: give --csv DIR, --fhir FILE.json or both")
    if args.fhir is not None:
        check_outputs([], [("--fhir", args.fhir)])
    if args.csv is not None:
        _csv_folder(args.csv)
    with open_records(args) as store:
        progress = read_progress(store, args.code, since=args.since)
    output = console()
    if args.csv is not None:
        with naming_option("--csv"):
            written = export_csv(progress, args.csv)
        trials = sum(len(run.trials) for run in progress.runs)
        names = ", ".join(path.name for path in written)
        output.print(plain(f"Wrote {names} ({len(progress.sessions)} sessions, {trials} trials) to "
                           f"{display_name(args.csv)}"), soft_wrap=True)
    if args.fhir is not None:
        with naming_option("--fhir"):
            export_fhir(progress, args.fhir, generated_at=utc_now())
        output.print(plain(f"Wrote the FHIR R4 Bundle of {progress.patient.code} to {display_name(args.fhir)}"),
                     soft_wrap=True)
    return 0
