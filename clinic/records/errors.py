"""Errors of the records store that reach a person: each names the value, file or database it is about."""

from __future__ import annotations

from clinic.errors import ClinicError


class RecordsError(ClinicError):
    """Base class for the records store's errors."""


class UnknownPatientError(RecordsError):
    """A patient ID that is not in the records."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(
            f"patient {code!r} not found; `motorplay patients list` shows the patients, "
            "`motorplay patients add` adds one"
        )


class DuplicatePatientError(RecordsError):
    """A patient ID that is already taken."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"patient {code!r} already exists; choose another ID (or leave --id out to generate one)")


class RecordValueError(RecordsError):
    """A value given for a record that cannot be stored (a bad patient ID, name, date or plan)."""


class DatabaseLocationError(RecordsError):
    """A ``--db`` URL or ``--data-dir`` that cannot be used (bad URL, unsupported database, folder not writable)."""


class DatabaseUnreachableError(RecordsError):
    """The database server cannot be reached (or refused the connection)."""


class NotADatabaseError(RecordsError):
    """A file (or database) that is not a motorplay records database, or one made by a newer motorplay."""


class RecordsWriteError(RecordsError):
    """A record could be written neither to the database nor to the local queue (a full disk, a read-only folder)."""
