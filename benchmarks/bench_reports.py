"""How long the progress report and the exports take for a patient with 100 sessions (SQLite records).

The records are filled through the store's API (:mod:`tests.support.progress_records`: two levels a session, six
trials a level, breaks, difficulty changes, two injections, an assessment, a plan). Each step is timed over a few
rounds and the median printed, with its ratio to reading the records (the baseline, measured in the same run): how
much the plots, the page, the PDF and the exports add to the database reads. Prints figures, never fails on noise.

Usage: ``.venv/bin/python -m benchmarks.bench_reports [--sessions N] [--rounds N]``
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from clinic.records.store import open_store
from clinic.records.types import utc_now
from clinic.reports.export_csv import export_csv
from clinic.reports.export_fhir import export_fhir
from clinic.reports.progress_data import PatientProgress, read_progress
from clinic.reports.progress_document import build_document
from clinic.reports.progress_render import write_html, write_pdf
from tests.support.progress_records import PATIENT, fill_store


def _median_s(step: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        start = time.perf_counter()
        filled = fill_store(data_dir, sessions=args.sessions)
        print(f"filled: {filled.sessions} sessions, {filled.trials} trials, {filled.breaks} breaks "
              f"in {time.perf_counter() - start:.1f} s")
        with open_store(data_dir=data_dir, environ={}) as store:
            def read() -> PatientProgress:
                return read_progress(store, PATIENT)

            progress = read()
            read_s = _median_s(read, args.rounds)

            def report(path: Path, writer: Callable[..., Path]) -> Callable[[], object]:
                return lambda: writer(build_document(read(), generated_at=utc_now()), path)

            steps = {
                "report HTML (read + plots + page)": report(data_dir / "r.html", write_html),
                "report PDF (read + plots + PDF)": report(data_dir / "r.pdf", write_pdf),
                "export CSV (3 files, from read records)": lambda: export_csv(progress, data_dir),
                "export FHIR (from read records)": lambda: export_fhir(progress, data_dir / "b.json",
                                                                       generated_at=utc_now()),
            }
            print(f"{'read the records (baseline)':42s} {read_s:7.2f} s   1.0 x")
            for name, step in steps.items():
                seconds = _median_s(step, args.rounds)
                print(f"{name:42s} {seconds:7.2f} s {seconds / read_s:5.1f} x")
        html_kb = (data_dir / "r.html").stat().st_size / 1024
        pdf_kb = (data_dir / "r.pdf").stat().st_size / 1024
        print(f"sizes: HTML {html_kb:.0f} KiB, PDF {pdf_kb:.0f} KiB (median of {args.rounds} rounds above)")


if __name__ == "__main__":
    main()
