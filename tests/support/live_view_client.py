"""A server-sent-events client for the live view's tests: reads ``/events`` in a thread, noting when each event
arrived (``time.time()``, the clock the publisher stamps events with)."""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Received:
    """One event as the client got it, and when."""

    kind: str
    data: dict[str, object]
    received_unix_s: float

    @property
    def delay_s(self) -> float:
        """From publication (the game thread) to receipt here."""
        return self.received_unix_s - float(self.data["published_unix_s"])  # type: ignore[arg-type]


def get(url: str, path: str, *, token: str | None) -> tuple[int, str]:
    """GET ``path`` of the server at ``url`` with ``token`` (None: without one); return the status and the body."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", path if token is None else f"{path}?token={token}")
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        connection.close()


def token_of(url: str) -> str:
    """The token in a live view URL."""
    return urlsplit(url).query.removeprefix("token=")


@dataclass
class EventStream:
    """Reads a live view's event stream in a background thread until :meth:`close`."""

    url: str
    last_event_id: int | None = None  # as a reconnecting browser sends it
    events: list[Received] = field(default_factory=list)
    status: int | None = None
    connected: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _connection: http.client.HTTPConnection | None = None
    _thread: threading.Thread | None = None

    def open(self) -> EventStream:
        parts = urlsplit(self.url)
        self._connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        assert self.connected.wait(10), "the event stream did not answer"
        return self

    def _read(self) -> None:
        assert self._connection is not None
        headers = {} if self.last_event_id is None else {"Last-Event-ID": str(self.last_event_id)}
        self._connection.request("GET", f"/events?token={token_of(self.url)}", headers=headers)
        response = self._connection.getresponse()
        self.status = response.status
        self.connected.set()
        kind = "message"
        try:
            for raw in response:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("event: "):
                    kind = line.removeprefix("event: ")
                elif line.startswith("data: "):
                    received = Received(kind, json.loads(line.removeprefix("data: ")), time.time())
                    with self._lock:
                        self.events.append(received)
                elif not line:
                    kind = "message"
        except (OSError, ValueError, http.client.HTTPException):
            return  # closed by close() or by the server's end

    def of_kind(self, kind: str) -> list[Received]:
        with self._lock:
            return [event for event in self.events if event.kind == kind]

    def wait_for(self, kind: str, *, count: int = 1, timeout_s: float = 10.0) -> list[Received]:
        """The events of ``kind`` once there are ``count`` of them (polls; fails after ``timeout_s``)."""
        deadline_s = time.monotonic() + timeout_s
        while len(self.of_kind(kind)) < count and time.monotonic() < deadline_s:
            time.sleep(0.005)
        found = self.of_kind(kind)
        seqs = [event.data["seq"] for event in found]
        assert len(found) >= count, f"{len(found)} {kind} events of {count} within {timeout_s} s (seq {seqs})"
        return found

    def close(self) -> None:
        sock = None if self._connection is None else self._connection.sock
        if sock is not None:  # shutdown wakes the reading thread, close alone may not
            with contextlib.suppress(OSError):  # already closed by the server
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        if self._thread is not None:
            self._thread.join(timeout=5)
