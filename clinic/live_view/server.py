"""The live view's web server: Starlette on uvicorn in a background thread with its own event loop.

``GET /?token=T`` is the page (:mod:`clinic.live_view.page`); ``GET /events?token=T`` streams the publisher's
events as server-sent events (``event: KIND``, ``id: SEQ``, ``data: JSON``), the current state first. A request
without the right token is refused with 403. Only :meth:`LiveViewServer.start` listens: nothing listens otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import socket
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from clinic.errors import ClinicError
from clinic.live_view.page import PAGE_HTML
from clinic.live_view.publisher import LiveEvent, LivePublisher

LOOPBACK_HOST = "127.0.0.1"
# An idle stream sends a comment this often, so that a client (and any proxy) sees the connection is alive.
KEEPALIVE_S = 15.0
# How long the server may take to start listening, and to stop (open streams are closed, then cut after this).
START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 3.0
# What the browser waits before reconnecting a dropped stream (the SSE "retry" field), milliseconds.
RECONNECT_MS = 1000
TOKEN_BYTES = 24  # secrets.token_urlsafe: 32 characters, 192 random bits
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
PAGE_HEADERS = {
    **NO_STORE,
    "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self'",
}


class LiveViewError(ClinicError):
    """The live view could not listen on the address asked for."""


@dataclass(frozen=True)
class LiveViewAddress:
    """Where the live view listens and the URL a person opens (it carries the token)."""

    host: str
    port: int
    token: str

    @property
    def url(self) -> str:
        """The page's URL, token included."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/?token={self.token}"


def sse_message(event: LiveEvent) -> str:
    """Return ``event`` as one server-sent-events message (kind, number, one line of JSON)."""
    return f"event: {event.kind}\nid: {event.seq}\ndata: {json.dumps(event.as_dict(), allow_nan=False)}\n\n"


class LiveViewServer:
    """Serves ``publisher``'s events behind a random token, on ``host`` (loopback by default), on a free port.

    Parameters
    ----------
    publisher : LivePublisher
        Where the game's events come from.
    host : str
        The address to listen on.
    port : int
        The port; 0 (the default) takes a free one.
    """

    def __init__(self, publisher: LivePublisher, *, host: str = LOOPBACK_HOST, port: int = 0) -> None:
        self.publisher = publisher
        self.host = host
        self.port = port
        self.token = secrets.token_urlsafe(TOKEN_BYTES)
        self._stopping = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._streams: set[asyncio.Event] = set()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None
        self.address: LiveViewAddress | None = None

    def app(self) -> Starlette:
        """Return the Starlette application (the page and the event stream)."""
        return Starlette(
            routes=[Route("/", self._page), Route("/events", self._events)],
            lifespan=self._lifespan,
        )

    def start(self) -> LiveViewAddress:
        """Listen and serve from a background thread; return the address once it listens.

        Raises
        ------
        LiveViewError
            The address cannot be listened on, or the server did not start.
        """
        sock = self._bind()
        config = uvicorn.Config(
            self.app(),
            log_level="warning",
            access_log=False,  # the token is in every request's URL
            lifespan="on",
            timeout_graceful_shutdown=int(STOP_TIMEOUT_S),
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._serve, args=(sock,), name="live-view", daemon=True)
        self._thread.start()
        deadline_s = time.monotonic() + START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline_s:
                sock.close()
                raise LiveViewError(f"--live-view: the live view could not start on {self.host}: {self._failure}")
            time.sleep(0.01)
        port = int(sock.getsockname()[1])
        self.address = LiveViewAddress(self.host, port, self.token)
        self.publisher.add_waker(self._wake_from_thread)
        return self.address

    def stop(self) -> None:
        """End every stream, stop listening and wait for the thread (a few seconds at most)."""
        self.publisher.remove_waker(self._wake_from_thread)
        self._stopping.set()
        self._wake_from_thread()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=STOP_TIMEOUT_S + 2.0)

    def _bind(self) -> socket.socket:
        try:
            family, kind, proto, _, address = socket.getaddrinfo(self.host, self.port, type=socket.SOCK_STREAM)[0]
            sock = socket.socket(family, kind, proto)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
        except OSError as error:
            raise LiveViewError(
                f"--live-view-host {self.host}: cannot listen there ({error.strerror or error}); expected an address "
                "of this machine, such as 127.0.0.1"
            ) from None
        return sock

    def _serve(self, sock: socket.socket) -> None:
        assert self._server is not None
        try:
            self._server.run(sockets=[sock])
        except BaseException as error:  # noqa: BLE001 - kept for start() to report, the thread then ends
            self._failure = error
        finally:
            sock.close()

    @contextlib.asynccontextmanager
    async def _lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        self._loop = asyncio.get_running_loop()
        yield
        self._loop = None

    def _wake_from_thread(self) -> None:
        """Wake every stream (called by the publisher, in the game's thread: never blocks)."""
        loop = self._loop
        if loop is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: there is nobody to wake
            loop.call_soon_threadsafe(self._wake_streams)

    def _wake_streams(self) -> None:
        for changed in self._streams:
            changed.set()

    def _authorised(self, request: Request) -> bool:
        given = request.query_params.get("token", "")
        return secrets.compare_digest(given.encode(), self.token.encode())

    async def _page(self, request: Request) -> Response:
        if not self._authorised(request):
            return _refused()
        return HTMLResponse(PAGE_HTML, headers=PAGE_HEADERS)

    async def _events(self, request: Request) -> Response:
        if not self._authorised(request):
            return _refused()
        after = request.headers.get("last-event-id", "")
        # A reconnecting page resumes after the last event it got; a new one gets the current state, then every
        # event published from now on (decided here, before the response's headers reach the client).
        resume_seq = int(after) if after.isdigit() else None
        return StreamingResponse(
            self._stream(resume_seq, self.publisher.last_seq),
            media_type="text/event-stream",
            headers={**NO_STORE, "X-Accel-Buffering": "no"},
        )

    async def _stream(self, resume_seq: int | None, now_seq: int) -> AsyncIterator[str]:
        changed = asyncio.Event()
        self._streams.add(changed)
        try:
            yield f"retry: {RECONNECT_MS}\n\n"
            if resume_seq is None:  # a new page: the current patient, level and trial first
                seq = now_seq
                for event in self.publisher.current_state():
                    if event.seq <= seq:
                        yield sse_message(event)
            else:
                seq = resume_seq
            while not self._stopping.is_set():
                changed.clear()
                events = self.publisher.since(seq)
                for event in events:
                    yield sse_message(event)
                    seq = event.seq
                if events:
                    continue
                try:
                    await asyncio.wait_for(changed.wait(), timeout=KEEPALIVE_S)
                except asyncio.TimeoutError:
                    yield ": keep-alive\n\n"
        finally:
            self._streams.discard(changed)


def _refused() -> Response:
    return PlainTextResponse(
        "Forbidden: open the live view's URL as motorplay printed it (with its token).", status_code=403,
        headers=NO_STORE,
    )
