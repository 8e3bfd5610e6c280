"""``motorplay report`` and ``motorplay export`` on the command line: files written, people's mistakes named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.cli import main
from tests.support.progress_records import PATIENT, FilledStore, fill_store


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> FilledStore:
    return fill_store(tmp_path_factory.mktemp("records"), sessions=3)


def _run(filled: FilledStore, *argv: str) -> int:
    return main([*argv, "--data-dir", str(filled.data_dir)])


def test_report_writes_a_pdf_and_an_html_page(filled: FilledStore, tmp_path: Path) -> None:
    assert _run(filled, "report", "--patient", PATIENT, "--out", str(tmp_path / "r.pdf")) == 0
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF-")
    assert _run(filled, "report", "--patient", PATIENT, "--out", str(tmp_path / "r.html"), "--since",
                "2026-01-07") == 0
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "sessions since 2026-01-07" in page and "2 sessions (2 complete)" in page


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("report", "--patient", PATIENT, "--out", "{tmp}/r.txt"), "--out {tmp}/r.txt: expected a file name ending"),
        (("report", "--patient", PATIENT, "--out", "{tmp}/missing/r.pdf"), "--out {tmp}/missing/r.pdf"),
        (("report", "--patient", "P-NOBODY", "--out", "{tmp}/r.html"), "'P-NOBODY' not found"),
        (("export", "--patient", PATIENT), "nothing to export"),
        (("export", "--patient", PATIENT, "--csv", "{tmp}/file.txt"), "--csv {tmp}/file.txt: is a file"),
    ],
)
def test_mistakes_are_named_with_exit_2(filled: FilledStore, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        argv: tuple[str, ...], expected: str) -> None:
    (tmp_path / "file.txt").write_text("a file, not a folder")
    assert _run(filled, *(arg.format(tmp=tmp_path) for arg in argv)) == 2
    assert expected.format(tmp=tmp_path) in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists() and not (tmp_path / "r.txt").exists()


def test_export_writes_the_three_csv_files_and_the_fhir_bundle(filled: FilledStore, tmp_path: Path) -> None:
    folder = tmp_path / "csv" / "new"
    assert _run(filled, "export", "--patient", PATIENT, "--csv", str(folder), "--fhir", str(tmp_path / "b.json")) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["breaks.csv", "sessions.csv", "trials.csv"]
    trial_lines = (folder / "trials.csv").read_text(encoding="utf-8").splitlines()
    assert len(trial_lines) == 1 + filled.trials
    bundle = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle" and bundle["entry"][0]["resource"]["resourceType"] == "Patient"
