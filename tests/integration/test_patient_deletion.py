"""``motorplay patients delete ID`` on SQLite and PostgreSQL: a patient with something in every table, in the local
queue and in every kind of file is gone from all of them, another patient's data is untouched, and a deletion not
confirmed deletes nothing."""

from __future__ import annotations

import io

import pytest

from clinic.records.deletion import DELETION_ORDER
from clinic.records.location import QUEUE_FILE_NAME
from clinic.records.models import Base
from game.cli import main
from tests.support import postgres
from tests.support.patient_data import snapshot, traces, write_patient
from tests.support.postgres import RecordsDb

postgres_server = postgres.postgres_server  # fixtures, shared with the other records tests
records_db = postgres.records_db
# The tables that hold no patient's data: Alembic's version number.
NOT_PATIENT_DATA = {"alembic_version"}


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("MOTORPLAY_DB", raising=False)
    monkeypatch.delenv("MOTORPLAY_DATA_DIR", raising=False)


def _cli(capsys: pytest.CaptureFixture[str]) -> object:
    def run(*argv: str) -> int:
        code = main(list(argv))
        capsys.readouterr()
        return code

    return run


def _where(records_db: RecordsDb) -> list[str]:
    return ["--data-dir", str(records_db.data_dir)] + ([] if records_db.url is None else ["--db", records_db.url])


def test_every_table_of_the_records_is_deleted_from() -> None:
    assert {table.__tablename__ for table in DELETION_ORDER} == set(Base.metadata.tables)


def test_delete_removes_everything_about_one_patient_and_nothing_else(
    records_db: RecordsDb, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir, url, cli = records_db.data_dir, records_db.url, _cli(capsys)
    kept = write_patient(data_dir, url, "bert-02", "Bert Keepme", cli=cli, monkeypatch=monkeypatch)
    before = snapshot(data_dir, url)
    gone = write_patient(data_dir, url, "anna-07", "Anna Forgetme", cli=cli, monkeypatch=monkeypatch)
    full = snapshot(data_dir, url)
    # anna has rows in every table, queued writes and files of every kind.
    grown = {name for name, rows in full.tables.items() if len(rows) > len(before.tables.get(name, []))}
    assert grown == set(full.tables) - NOT_PATIENT_DATA
    assert len(full.queue) > len(before.queue)
    anna_files = sorted(name for name in full.files if name not in before.files)
    assert [name.replace("anna-07", "ID") for name in anna_files if "assessments" not in name] == [
        "patients/ID/calibration.json", "patients/ID/calibration.json.bak", "pins/ID.pin"
    ]
    assert any("patients/anna-07/assessments/" in name for name in anna_files)

    # A wrong answer, or none, deletes nothing (exit 1).
    for answer in ("anna-0\n", "bert-02\n", ""):
        monkeypatch.setattr("sys.stdin", io.StringIO(answer))
        code = main(["patients", "delete", "anna-07", *_where(records_db)])
        out, err = capsys.readouterr()
        assert code == 1 and "Nothing was deleted" in err
        assert "This deletes everything stored about patient anna-07" in out and "1 calibration imports" in out
        assert snapshot(data_dir, url) == full

    monkeypatch.setattr("sys.stdin", io.StringIO("anna-07\n"))
    assert main(["patients", "delete", "anna-07", *_where(records_db)]) == 0
    assert "Deleted everything stored about patient anna-07." in capsys.readouterr().out

    after = snapshot(data_dir, url)
    assert after == before  # bert's rows, queued writes and files exactly as they were; nothing of anna's left
    for table, rows in after.tables.items():
        for row in rows:
            assert not [needle for needle in gone.needles() if needle.decode() in repr(row)], (table, row)
    assert traces(data_dir, gone) == []  # nor in any file: names or bytes (the SQLite files' free pages and logs)
    assert traces(data_dir, kept) != []
    assert (data_dir / QUEUE_FILE_NAME).exists()

    # Deleted: unknown now (exit 2), and bert's deletion with --yes asks nothing.
    assert main(["patients", "delete", "anna-07", "--yes", *_where(records_db)]) == 2
    assert "patient 'anna-07' not found" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["patients", "delete", "bert-02", "--yes", *_where(records_db)]) == 0
    assert traces(data_dir, kept) == []
