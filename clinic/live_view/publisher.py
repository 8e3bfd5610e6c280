"""A thread-safe, bounded, non-blocking channel from the game loop to the live view's clients.

The game thread calls :meth:`LivePublisher.publish`; it takes a lock held only for an append, never waits for a
client, and drops the oldest event when the buffer is full. The server's event loop reads what is new with
:meth:`LivePublisher.since` when a waker (registered with :meth:`LivePublisher.add_waker`) tells it something came.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

# Events kept for clients that fall behind or join late: at 20 samples a second plus a few state changes, about
# 20 s of a session. A slow client skips what was dropped; the game never waits for it.
DEFAULT_CAPACITY = 400
# The kinds whose latest event a page joining late is sent first, so it shows the current patient, level and trial.
STATE_KINDS = ("session", "scene", "level", "trial")
# The kinds a page joining late is sent again (the last LOG_CAPACITY of them), so that it lists the breaks and the
# trials so far: a therapist who opens the page mid-session misses nothing that matters.
LOG_KINDS = ("break", "result")
LOG_CAPACITY = 500

JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]


@dataclass(frozen=True)
class LiveEvent:
    """One event for the live view.

    Attributes
    ----------
    seq : int
        Its number, from 1, in the order published (the SSE ``id``).
    kind : str
        What happened: ``session``, ``scene``, ``level``, ``trial``, ``sample``, ``break`` or ``result``.
    data : Mapping[str, JsonValue]
        Its fields, JSON-ready.
    published_unix_s : float
        Wall-clock time (``time.time()``) of publication: a client on the same machine measures the delay with it.
    """

    seq: int
    kind: str
    data: Mapping[str, JsonValue]
    published_unix_s: float

    def as_dict(self) -> dict[str, JsonValue]:
        """Return the event as the JSON object a client receives."""
        return {"seq": self.seq, "kind": self.kind, "published_unix_s": self.published_unix_s, **self.data}


class LivePublisher:
    """Publishes events to any number of readers without blocking the publisher.

    Parameters
    ----------
    capacity : int
        How many events are kept; when full, publishing drops the oldest (counted in :attr:`dropped`).
    """

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self._lock = threading.Lock()
        self._events: deque[LiveEvent] = deque(maxlen=capacity)
        self._latest: dict[str, LiveEvent] = {}
        self._log: deque[LiveEvent] = deque(maxlen=LOG_CAPACITY)
        self._seq = itertools.count(1)
        self._wakers: list[Callable[[], None]] = []
        self.dropped = 0

    def publish(self, kind: str, data: Mapping[str, JsonValue]) -> LiveEvent:
        """Add an event and wake the readers; never blocks on a reader. Return the event."""
        with self._lock:
            event = LiveEvent(next(self._seq), kind, dict(data), time.time())
            if len(self._events) == self._events.maxlen:
                self.dropped += 1
            self._events.append(event)
            if kind in STATE_KINDS:
                self._latest[kind] = event
            elif kind in LOG_KINDS:
                self._log.append(event)
            wakers = tuple(self._wakers)
        for wake in wakers:
            wake()
        return event

    def since(self, seq: int) -> list[LiveEvent]:
        """Return the kept events numbered after ``seq``, oldest first (those dropped meanwhile are skipped)."""
        with self._lock:  # the kept events are numbered without gaps: skip to the first one after seq
            first = self._events[0].seq if self._events else seq + 1
            return list(itertools.islice(self._events, max(0, seq + 1 - first), None))

    def current_state(self) -> list[LiveEvent]:
        """Return what a page joining now is sent first, in the order published.

        That is the latest event of each of :data:`STATE_KINDS` and the last :data:`LOG_CAPACITY` events of
        :data:`LOG_KINDS`.
        """
        with self._lock:
            return sorted([*self._latest.values(), *self._log], key=lambda event: event.seq)

    @property
    def last_seq(self) -> int:
        """The number of the last event published (0: none yet)."""
        with self._lock:
            return self._events[-1].seq if self._events else 0

    def add_waker(self, wake: Callable[[], None]) -> None:
        """Call ``wake`` (from the publishing thread; it must not block) after every event."""
        with self._lock:
            self._wakers.append(wake)

    def remove_waker(self, wake: Callable[[], None]) -> None:
        """Stop calling ``wake``."""
        with self._lock:
            if wake in self._wakers:
                self._wakers.remove(wake)
