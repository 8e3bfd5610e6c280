"""The live view's publisher (bounded, never blocking, drops the oldest) and server (token, loopback, SSE)."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from clinic.live_view.publisher import LivePublisher
from clinic.live_view.server import LOOPBACK_HOST, LiveViewError, LiveViewServer
from tests.support.live_view_client import EventStream, get, token_of

# A break must show on the page at most this long after the game detects it (issue 7, clinic mode).
MAX_DELAY_S = 0.5


@pytest.fixture
def served() -> Iterator[tuple[LivePublisher, str]]:
    publisher = LivePublisher()
    server = LiveViewServer(publisher)
    address = server.start()
    try:
        yield publisher, address.url
    finally:
        server.stop()


def test_the_publisher_keeps_the_newest_events_and_counts_those_it_dropped() -> None:
    publisher = LivePublisher(capacity=3)
    for index in range(5):
        publisher.publish("sample", {"index": index})
    assert [event.data["index"] for event in publisher.since(0)] == [2, 3, 4]
    assert publisher.dropped == 2
    assert [event.seq for event in publisher.since(4)] == [5]


def test_a_publisher_with_a_stuck_reader_never_blocks_the_game() -> None:
    publisher = LivePublisher(capacity=10)
    publisher.add_waker(lambda: None)  # a waker that only schedules, as the server's does
    started = time.perf_counter()
    for index in range(10_000):
        publisher.publish("sample", {"index": index})
    per_event_s = (time.perf_counter() - started) / 10_000
    assert publisher.dropped == 10_000 - 10
    assert per_event_s < 1e-3, per_event_s  # a frame at 60 fps is 16.7 ms: a publication is a tiny part of it


def test_the_page_and_the_stream_refuse_a_request_without_the_token(served: tuple[LivePublisher, str]) -> None:
    _, url = served
    assert get(url, "/", token=None)[0] == 403
    assert get(url, "/events", token=None)[0] == 403
    assert get(url, "/", token="not-the-token")[0] == 403
    assert get(url, "/events", token=token_of(url)[:-1])[0] == 403
    status, body = get(url, "/", token=token_of(url))
    assert status == 200 and "motorplay live view" in body


def test_it_listens_on_loopback_at_a_free_port_with_a_random_token() -> None:
    first, second = LiveViewServer(LivePublisher()), LiveViewServer(LivePublisher())
    one, two = first.start(), second.start()
    try:
        assert one.host == two.host == LOOPBACK_HOST
        assert one.port != two.port and one.token != two.token and len(one.token) >= 32
        assert one.url.startswith(f"http://127.0.0.1:{one.port}/?token=")
    finally:
        first.stop()
        second.stop()
    with pytest.raises(ConnectionRefusedError):  # stopped: nothing listens there any more
        socket.create_connection((one.host, one.port), timeout=2).close()


def test_an_address_that_is_not_this_machines_is_a_persons_error() -> None:
    with pytest.raises(LiveViewError, match="--live-view-host 192.0.2.1"):
        LiveViewServer(LivePublisher(), host="192.0.2.1").start()


def test_events_stream_to_a_client_the_current_state_first(served: tuple[LivePublisher, str]) -> None:
    publisher, url = served
    publisher.publish("session", {"patient": "anna", "levels": ["reach"]})
    publisher.publish("sample", {"effector": "cursor", "at": [0.1, 0.2], "t_s": 0.0})  # past: not replayed
    publisher.publish("level", {"level": "reach", "title": "Reach", "kind": "reach"})
    publisher.publish("break", {"level": "reach", "trial": 1, "t_s": 0.5, "at": None})  # listed again
    stream = EventStream(url).open()
    try:
        assert stream.status == 200
        state = stream.wait_for("level")
        stream.wait_for("break")
        assert [event.kind for event in stream.events] == ["session", "level", "break"], stream.events
        assert stream.events[0].data["patient"] == "anna" and state[0].data["title"] == "Reach"
        publisher.publish("break", {"level": "reach", "trial": 1, "t_s": 1.5, "at": [0.4, 0.5]})
        received = stream.wait_for("break", count=2)[1]
        assert received.data["t_s"] == 1.5 and received.data["at"] == [0.4, 0.5]
        assert 0.0 <= received.delay_s < MAX_DELAY_S, received.delay_s
    finally:
        stream.close()


def test_stopping_ends_the_open_streams() -> None:
    publisher = LivePublisher()
    server = LiveViewServer(publisher)
    address = server.start()
    stream = EventStream(address.url).open()
    started = time.monotonic()
    server.stop()
    assert stream._thread is not None
    stream._thread.join(timeout=10)
    assert not stream._thread.is_alive() and time.monotonic() - started < 6.0


def test_a_page_that_reconnects_gets_what_it_missed(served: tuple[LivePublisher, str]) -> None:
    publisher, url = served
    first = publisher.publish("sample", {"effector": "cursor", "at": [0.1, 0.2], "t_s": 0.0})
    publisher.publish("break", {"level": "reach", "trial": 1, "t_s": 0.5, "at": None})
    publisher.publish("sample", {"effector": "cursor", "at": [0.3, 0.4], "t_s": 0.1})
    stream = EventStream(url, last_event_id=first.seq).open()
    try:
        stream.wait_for("sample")
        stream.wait_for("break")
        assert [event.data["seq"] for event in stream.events] == [2, 3]  # after the last one it got, in order
    finally:
        stream.close()
