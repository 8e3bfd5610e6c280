"""``motorplay report --patient ID --out FILE.html|FILE.pdf [--since DATE]``: a patient's progress report.

A self-contained page (pictures inline, no network, printable) or a PDF of the same content: per level over
sessions (smoothness, breaks per minute, success rate, difficulty, with trends), head range of motion and resting
posture across assessments, injections and each measure by week of the injection cycle, the current plan and the
difficulty changes with their reasons. Training feedback, not clinical scores.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from game.commands._files import check_outputs, display_name, naming_option
from game.commands.patients import add_store_options, console, iso_date, open_records, plain

REPORT_SUFFIXES = (".html", ".htm", ".pdf")


def add_parser(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "report",
        help="write a patient's progress report (HTML or PDF)",
        description="Write a patient's progress report: a self-contained HTML page (plots inline, printable, no "
        "network needed) or a PDF with the same content. Training feedback, not clinical scores.",
    )
    parser.add_argument("--patient", dest="code", metavar="ID", required=True, help="the patient's ID")
    parser.add_argument("--out", type=Path, metavar="FILE", required=True,
                        help="the report file: FILE.html (or .htm) for a page, FILE.pdf for a PDF")
    parser.add_argument("--since", type=iso_date, metavar="DATE",
                        help="only sessions started on or after this day (YYYY-MM-DD, UTC)")
    add_store_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from clinic.records.types import utc_now
    from clinic.reports.progress_data import read_progress
    from clinic.reports.progress_document import build_document
    from clinic.reports.progress_render import write_report
    from game.commands._files import FileArgumentError

    out: Path = args.out
    if out.suffix.lower() not in REPORT_SUFFIXES:
        raise FileArgumentError(f"--out {out}: expected a file name ending in .html or .pdf")
    check_outputs([], [("--out", out)])
    with open_records(args) as store:
        progress = read_progress(store, args.code, since=args.since)
    document = build_document(progress, generated_at=utc_now())
    with naming_option("--out"):
        write_report(document, out)
    line = f"Wrote the progress report of {progress.patient.code} ({len(progress.sessions)} sessions) to "
    console().print(plain(line + display_name(out)), soft_wrap=True)
    return 0
