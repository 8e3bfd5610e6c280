"""The live view's event delay: from the game thread's ``publish`` to a client's receipt of the server-sent event.

1. Synthetic, at the game's pace: 60 frames a second, a cursor sample every third frame (20 Hz) and a break every
   half second, to 1 and to 4 clients reading ``/events`` at once (the server in its background thread, as in play);
   also what one ``publish`` costs the game thread.
2. A headless game (the reach level from a landmark recording whose first reach stops halfway,
   ``tests.support.live_view_game``) with one client: the delay of its break marks and results, and what the live
   view costs a frame (``LiveView.observe``).

Delays use ``time.time()`` on both sides (same machine). Prints figures, never fails on noise.

Usage: ``.venv/bin/python -m benchmarks.bench_live_view [--seconds N]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from clinic.live_view.publisher import LivePublisher  # noqa: E402
from clinic.live_view.server import LiveViewServer  # noqa: E402
from game.live_view import LiveView  # noqa: E402
from game.session import SessionOptions, run_session  # noqa: E402
from tests.support.game_flows import ScriptedClock  # noqa: E402
from tests.support.live_view_client import EventStream, Received  # noqa: E402
from tests.support.live_view_game import PLAY_S, make_live_game  # noqa: E402

FRAME_S = 1.0 / 60.0


def _ms(values_s: list[float]) -> str:
    ordered = sorted(values_s)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"median {statistics.median(ordered) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms, "
        f"max {ordered[-1] * 1000:.2f} ms (n={len(ordered)})"
    )


def _drain(streams: list[EventStream], kind: str, count: int) -> list[Received]:
    received: list[Received] = []
    for stream in streams:
        received += stream.wait_for(kind, count=count, timeout_s=10.0)
    return received


def synthetic(seconds: float, clients: int) -> None:
    publisher = LivePublisher()
    server = LiveViewServer(publisher)
    address = server.start()
    streams = [EventStream(address.url).open() for _ in range(clients)]
    publish_s: list[float] = []
    frames = round(seconds / FRAME_S)
    breaks = 0
    try:
        next_s = time.perf_counter()
        for frame in range(frames):
            started = time.perf_counter()
            if frame % 3 == 0:
                publisher.publish("sample", {"effector": "cursor", "at": [frame / frames, 0.5], "t_s": frame * FRAME_S})
            if frame % 30 == 29:
                publisher.publish("break", {"level": "bench", "trial": 1, "t_s": frame * FRAME_S, "at": None})
                breaks += 1
            publish_s.append(time.perf_counter() - started)
            next_s += FRAME_S
            time.sleep(max(0.0, next_s - time.perf_counter()))
        break_events = _drain(streams, "break", breaks)
        sample_events = _drain(streams, "sample", frames // 3)
    finally:
        for stream in streams:
            stream.close()
        server.stop()
    print(f"synthetic, {clients} client(s), {seconds:g} s at 60 fps:")
    print(f"  break delay:  {_ms([event.delay_s for event in break_events])}")
    print(f"  sample delay: {_ms([event.delay_s for event in sample_events])}")
    print(f"  publish cost in the game thread: {_ms(publish_s)}; dropped {publisher.dropped}")


def headless_game() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-live-view-"))
    game = make_live_game(folder)
    live_view = LiveView.start()
    assert live_view.url is not None
    observe_s: list[float] = []
    observe = live_view.observe

    def timed_observe(*args: object) -> None:
        started = time.perf_counter()
        observe(*args)  # type: ignore[arg-type]
        observe_s.append(time.perf_counter() - started)

    live_view.observe = timed_observe  # type: ignore[method-assign]
    stream = EventStream(live_view.url).open()
    try:
        run_session(
            SessionOptions(
                level=str(game.level), source=game.recording, patient=game.patient, data_dir=game.data_dir,
                headless=True, max_seconds=PLAY_S,
            ),
            clock_factory=ScriptedClock,
            live_view=live_view,
        )
        results = stream.wait_for("result", count=2)
    finally:
        stream.close()
        live_view.close()
    breaks = stream.of_kind("break")
    print("headless game (reach from a recording, one client):")
    print(f"  break delay:  {_ms([event.delay_s for event in breaks]) if breaks else 'no break marked'}")
    print(f"  result delay: {_ms([event.delay_s for event in results])}")
    print(f"  sample delay: {_ms([event.delay_s for event in stream.of_kind('sample')])}")
    print(f"  LiveView.observe per frame: {_ms(observe_s)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each synthetic run (default: 5)")
    args = parser.parse_args()
    synthetic(args.seconds, clients=1)
    synthetic(args.seconds, clients=4)
    headless_game()


if __name__ == "__main__":
    main()
