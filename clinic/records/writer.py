"""The session writes: straight to the database when it answers, else into the local queue, in order.

A write first lets the queued ones go (a trial after its level run); when the database cannot be reached, the write
joins the queue and, for :data:`RETRY_INTERVAL_S`, so do the next ones without trying the database again (a trial's
end never waits on a dead server more than once in that interval).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from clinic.records.engine import is_connection_problem, user_error
from clinic.records.errors import RecordValueError
from clinic.records.location import StoreLocation
from clinic.records.queue import LocalQueue
from clinic.records.types import WriteOutcome
from clinic.records.writes import Write, apply_write

# How long writes go straight to the queue after the database was found unreachable. Five seconds: a few trials
# at most, and a server back from a restart is written to within one trial or two.
RETRY_INTERVAL_S = 5.0
_NEVER = float("-inf")


class QueuedWriter:
    """Applies :mod:`~clinic.records.writes` to the database at ``location``, through ``queue`` when it is down."""

    def __init__(
        self,
        location: StoreLocation,
        sessions: sessionmaker[OrmSession],
        queue: LocalQueue,
        *,
        clock: Callable[[], float] = time.monotonic,
        retry_interval_s: float = RETRY_INTERVAL_S,
    ) -> None:
        self.location = location
        self.queue = queue
        self._sessions = sessions
        self._clock = clock
        self._retry_interval_s = retry_interval_s
        self._retry_at = _NEVER

    def write(self, write: Write) -> WriteOutcome:
        """Apply ``write`` now, or queue it (durably) when the database cannot be reached."""
        if self._clock() >= self._retry_at and self._queue_drained() and self._applied(write):
            return WriteOutcome.WRITTEN
        self.queue.push(write)
        return WriteOutcome.QUEUED

    def flush(self) -> int:
        """Write what waits in the queue now (whatever the retry interval).

        Returns how many were written. Stops, leaving the rest queued, when the database is still unreachable; a write
        the database refuses (it names something not there) is set aside in the queue with the reason.
        """
        written = 0
        while True:
            batch = self.queue.pending()
            if not batch:
                self._retry_at = _NEVER  # the database answers: the next write goes straight to it
                return written
            for queued in batch:
                try:
                    applied = self._applied(queued.write)
                except RecordValueError as error:
                    self.queue.mark_failed(queued.seq, str(error))
                    continue
                if not applied:
                    return written
                self.queue.remove(queued.seq)
                written += 1

    def _queue_drained(self) -> bool:
        if self.queue.count() == 0:
            return True
        self.flush()
        return self.queue.count() == 0

    def _applied(self, write: Write) -> bool:
        """Return ``True`` when written (or written before); ``False``, the retry put off, when the database is away.

        Raises
        ------
        RecordValueError
            The write names something that is not in the records, or contradicts them.
        RecordsError
            Any other database error, naming the database.
        """
        try:
            apply_write(self._sessions, write)
        except DBAPIError as error:
            if not is_connection_problem(error):
                raise user_error(self.location, error) from error
            self._retry_at = self._clock() + self._retry_interval_s
            return False
        return True
