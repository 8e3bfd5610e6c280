"""Background CPU priority for the tracking threads, asked for with ``--background-tracking`` (off by default).

On two cores, MediaPipe's graph and inference threads, FFmpeg's decoding threads and the tracking workers can take
both cores at the moment the game's loop wakes for its next frame: it then waits for a core and the frame comes late
(``benchmarks/bench_game_frame_time.py``).

Linux schedules each thread on its own, and a new thread inherits its creator's policy: a thread that puts itself in
the background (:func:`lower_this_thread`) and then creates MediaPipe's graphs or opens a video passes that on to
every thread they start. :func:`call_in_background_thread` does exactly that for a function that opens a source. The
background is ``SCHED_IDLE``: such a thread runs on every core the game does not want, and gives it up at once when
the game's loop wakes. Measured on 2 cores (``bench_game_frame_time``), frames over 17.5 ms went from 2-4% with
tracking at normal priority, and 1.4-3.4% at nice 19 (``SCHED_BATCH`` alike), to 0.2-1.6%, as without tracking: a
nice value only shares the cores out by weight, so the waking game thread still waited up to 3 ms behind an
inference thread.

The price, and why it is not the default: a background thread runs only when nothing else wants the core. With two
other programs keeping both cores busy, tracking a hand delivered 0.0 samples a second in the background against
30.0 at normal priority (``bench_model_sets --only hands`` beside two ``yes > /dev/null``). A patient's laptop
running something heavy would lose the game's input; a frame 1-3 ms late now and then is far less harm. It suits a
station that runs nothing but motorplay. An unprivileged process cannot return a thread to normal priority, which is
why the work moves to a new thread rather than the caller's. Elsewhere (macOS, Windows: no per-thread policy in
:mod:`os`) both are a no-op and every thread keeps the normal priority.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

__all__ = ["FALLBACK_NICE", "call_in_background_thread", "lower_this_thread", "supported"]

_log = logging.getLogger(__name__)

# Where SCHED_IDLE is refused (a sandbox): the lowest nice value, 19 (0 is the default, -20 the first).
FALLBACK_NICE = 19

T = TypeVar("T")


def supported() -> bool:
    """Whether this platform sets scheduling per thread (Linux)."""
    return sys.platform.startswith("linux") and hasattr(os, "sched_setscheduler") and hasattr(os, "SCHED_IDLE")


def lower_this_thread() -> bool:
    """Put the calling thread in the background (``SCHED_IDLE``, else nice 19); threads it starts inherit it.

    Return whether it is now in the background. Never raises: a platform or sandbox that refuses leaves the thread as
    it was (logged at debug level).
    """
    if not supported():
        return False
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))  # 0: the calling thread, on Linux
        return True
    except OSError as error:
        _log.debug("SCHED_IDLE refused for a tracking thread (%s); lowering its nice value instead", error)
    thread_id = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, thread_id, max(FALLBACK_NICE, os.getpriority(os.PRIO_PROCESS, thread_id)))
        return True
    except OSError as error:
        _log.debug("could not lower a tracking thread's priority: %s", error)
        return False


def call_in_background_thread(function: Callable[[], T], *, name: str) -> T:
    """Run ``function`` in a new thread of background priority and return its result (or raise its exception).

    The caller waits for it; every thread that ``function`` starts (MediaPipe's, FFmpeg's) keeps the background
    priority for its whole life. Where priorities are not per thread, ``function`` simply runs in the caller.
    """
    if not supported():
        return function()
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        lower_this_thread()
        try:
            outcome.append(function())
        except BaseException as error:  # handed to the caller, who raises it in its own thread
            failure.append(error)

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0]
