"""``motorplay patients`` and ``motorplay sessions`` through ``game.cli.main``, on SQLite and PostgreSQL; a person's
errors are one message naming the value, exit 2."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from clinic.records.store import open_store
from clinic.records.types import TrialOutcome, TrialRecord
from game.cli import main
from tests.support import postgres
from tests.support.postgres import RecordsDb

postgres_server = postgres.postgres_server  # fixtures, shared with the other records tests
records_db = postgres.records_db


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # rich tables laid out on one line each, whatever the test's terminal
    monkeypatch.delenv("MOTORPLAY_DB", raising=False)
    monkeypatch.delenv("MOTORPLAY_DATA_DIR", raising=False)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _where(records_db: RecordsDb) -> list[str]:
    return ["--data-dir", str(records_db.data_dir)] + ([] if records_db.url is None else ["--db", records_db.url])


def test_patients_and_sessions_commands(records_db: RecordsDb, capsys: pytest.CaptureFixture[str]) -> None:
    where = _where(records_db)
    assert _run(capsys, "patients", "add", "--id", "anna-07", "--name", "Anna [bold]E[/bold]", *where) == (
        0, "Added patient anna-07 (Anna [bold]E[/bold])\n", ""
    )
    code, out, _ = _run(capsys, "patients", "add", *where)
    assert code == 0 and out.startswith("Added patient P-")
    generated = out.split()[2]

    code, out, _ = _run(capsys, "patients", "list", *where)
    assert code == 0 and "2 patients" in out
    assert "Anna [bold]E[/bold]" in out and generated in out  # names printed as they are, not as markup

    assert _run(capsys, "patients", "injection", "anna-07", "2026-01-05", "--note", "cervical [200 U]", *where) == (
        0, "Recorded an injection for anna-07 on 2026-01-05\n", ""
    )
    with open_store(data_dir=records_db.data_dir, db=records_db.url, environ={}, station="clinic-2") as store:
        session = store.start_session("anna-07", started_at=datetime(2026, 1, 26, tzinfo=timezone.utc))
        run = store.start_level_run(session.uuid, "reach", "reach")
        for index, outcome in enumerate([TrialOutcome.SUCCESS, TrialOutcome.MISS, TrialOutcome.SUCCESS]):
            store.add_trial(run.uuid, TrialRecord(index=index, outcome=outcome, time_s=2.0))
        store.end_session(session.uuid, complete=True)

    code, out, _ = _run(capsys, "patients", "show", "anna-07", *where)
    assert code == 0
    assert "sessions: 1 (1 complete), 3 trials" in out and "cervical [200 U]" in out and "2026-01-05" in out
    code, out, _ = _run(capsys, "sessions", "list", "--patient", "anna-07", *where)
    assert code == 0
    [row] = [line for line in out.splitlines() if "clinic-2" in line]
    cells = [cell.strip() for cell in row.strip("│ ").split("│")]
    assert cells[3:] == ["clinic-2", "yes", "1", "3", "2", "3.0"]  # station, complete, levels, trials, hits, weeks
    assert _run(capsys, "sessions", "list", "--patient", generated, *where)[1] == (
        f"No sessions recorded for {generated} yet.\n"
    )


def test_a_persons_errors_are_named_with_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    where = ["--data-dir", str(tmp_path / "data")]
    assert _run(capsys, "patients", "add", "--id", "anna", *where)[0] == 0
    for argv, expected in [
        (["patients", "show", "nobody"], "motorplay patients: error: patient 'nobody' not found"),
        (["patients", "injection", "nobody", "2026-01-05"], "patient 'nobody' not found"),
        (["sessions", "list", "--patient", "nobody"], "motorplay sessions: error: patient 'nobody' not found"),
        (["patients", "add", "--id", "anna"], "patient 'anna' already exists"),
        (["patients", "add", "--id", "a/b"], "Patient name 'a/b' cannot be used"),
        (["patients", "add", "--name", "two\nlines"], "display name 'two\\nlines'"),
    ]:
        code, out, err = _run(capsys, *argv, *where)
        assert (code, out) == (2, ""), argv
        assert err.startswith(expected) or expected in err, (argv, err)
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err

    with pytest.raises(SystemExit) as exited:
        main(["patients", "injection", "anna", "2026-02-30", *where])
    assert exited.value.code == 2
    assert "argument DATE: expected a date as YYYY-MM-DD (for example 2026-03-14), got '2026-02-30'" in (
        capsys.readouterr().err
    )
    _run(capsys, "patients", "injection", "anna", "2026-02-03", *where)
    code, _, err = _run(capsys, "patients", "injection", "anna", "2026-02-03", *where)
    assert code == 2 and "an injection on 2026-02-03 is already recorded for patient 'anna'" in err


def test_a_database_that_cannot_be_used_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    not_a_database = tmp_path / "motorplay.sqlite3"
    not_a_database.write_text("my notes\n" * 500, encoding="utf-8")
    code, _, err = _run(capsys, "patients", "list", "--data-dir", str(tmp_path))
    assert code == 2 and f"{not_a_database}: is not a motorplay database" in err

    closed = f"postgresql+psycopg://therapist:secret@127.0.0.1:{postgres.free_port()}/motorplay"
    code, _, err = _run(capsys, "sessions", "list", "--patient", "anna", "--db", closed, "--data-dir", str(tmp_path))
    assert code == 2 and "--db postgresql+psycopg://therapist:***@127.0.0.1" in err and "secret" not in err
    code, _, err = _run(capsys, "patients", "list", "--db", "mysql://x@y/z", "--data-dir", str(tmp_path))
    assert code == 2 and "--db 'mysql://x@y/z': unsupported database 'mysql'" in err


def test_the_environment_names_the_database(
    tmp_path: Path, records_db: RecordsDb, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTORPLAY_DATA_DIR", str(records_db.data_dir))
    if records_db.url is not None:
        monkeypatch.setenv("MOTORPLAY_DB", records_db.url)
    assert _run(capsys, "patients", "add", "--id", "anna")[0] == 0
    with open_store(data_dir=records_db.data_dir, db=records_db.url, environ={}) as store:
        store.add_injection("anna", date(2026, 1, 5))
    code, out, _ = _run(capsys, "patients", "show", "anna")
    assert code == 0 and "2026-01-05" in out
