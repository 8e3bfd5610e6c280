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

What the game does by default instead: short time slices (:func:`shorten_time_slices`). Since Linux 6.12 (the EEVDF
scheduler) a thread can ask for a shorter slice than the default (0.7-3 ms, by the number of cores): its deadlines
come sooner, so when it wakes on a core that another thread holds it gets the core at once instead of waiting for
that thread's slice to run out. ``motorplay play`` and ``calibrate`` ask for the shortest, 0.1 ms, on their main
thread before the game's loop and its tracking start, and every thread started later inherits it. It shares the
cores out exactly as before (a slice is not a weight), so tracking keeps its share on a busy computer. Measured on 2
cores (``bench_game_frame_time``, 20 s runs, A/B in turn), frame interval p99 with tracking 17.02-17.40 ms against
18.02-20.47 ms with the default slices; beside two busy programs, tracking a hand still delivered 30.0 samples a
second (29.4 with the default slices). Python's :mod:`os` has no ``sched_setattr`` and no maintained package wraps
it, so :func:`shorten_time_slices` calls it through :mod:`ctypes`; an older kernel accepts and ignores the request,
and it says so (``False``).
"""

from __future__ import annotations

import logging
import os
import platform
import struct
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

__all__ = [
    "FALLBACK_NICE",
    "SHORT_SLICE_NS",
    "call_in_background_thread",
    "lower_this_thread",
    "shorten_time_slices",
    "supported",
    "time_slice_ns",
]

_log = logging.getLogger(__name__)

# Where SCHED_IDLE is refused (a sandbox): the lowest nice value, 19 (0 is the default, -20 the first).
FALLBACK_NICE = 19

# The shortest time slice Linux grants a thread (it takes 0.1 to 100 ms): the game's loop and its tracking.
SHORT_SLICE_NS = 100_000

# sched_setattr and sched_getattr by machine (x86_64's own table; arm64 and riscv64 share the generic one).
_SCHED_ATTR_SYSCALLS = {"x86_64": (314, 315), "aarch64": (274, 275), "arm64": (274, 275), "riscv64": (274, 275)}
# struct sched_attr, its first version (48 bytes): size, policy, flags, nice, priority, runtime (the slice), deadline,
# period.
_SCHED_ATTR = struct.Struct("=IIQiIQQQ")

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


def shorten_time_slices(slice_ns: int = SHORT_SLICE_NS) -> bool:
    """Ask Linux for time slices of ``slice_ns`` for the calling thread, and so for every thread it starts later.

    The thread's policy and nice value are kept; one in the background (``SCHED_IDLE``, ``SCHED_BATCH``) is left
    alone. Return whether the kernel now reports that slice (Linux 6.12 or later). Never raises: another platform, an
    older kernel or a sandbox that refuses leaves the thread as it was (logged at debug level).
    """
    calls = _sched_attr_syscalls()
    if calls is None or not supported():
        return False
    set_call, _ = calls
    thread_id = threading.get_native_id()
    try:
        if os.sched_getscheduler(0) != os.SCHED_OTHER:
            return False
        nice = os.getpriority(os.PRIO_PROCESS, thread_id)
        attr = _SCHED_ATTR.pack(_SCHED_ATTR.size, os.SCHED_OTHER, 0, nice, 0, slice_ns, 0, 0)
        _syscall(set_call, 0, attr, 0)  # 0: the calling thread
    except OSError as error:
        _log.debug("could not shorten the time slices of the game's thread: %s", error)
        return False
    return time_slice_ns(thread_id) == slice_ns


def time_slice_ns(thread_id: int) -> int | None:
    """Return the time slice Linux gives a thread (its native id).

    ``None`` where the kernel does not say (before 6.12, another platform) or the thread is gone.
    """
    calls = _sched_attr_syscalls()
    if calls is None:
        return None
    _, get_call = calls
    try:
        raw = _syscall(get_call, thread_id, bytes(_SCHED_ATTR.size), _SCHED_ATTR.size, 0)
    except OSError:
        return None
    _, policy, _, _, _, runtime_ns, _, _ = _SCHED_ATTR.unpack(raw)
    return runtime_ns if policy == os.SCHED_OTHER and runtime_ns > 0 else None


def _sched_attr_syscalls() -> tuple[int, int] | None:
    """Return the numbers of sched_setattr and sched_getattr here, or ``None`` off Linux or on another machine."""
    if not sys.platform.startswith("linux"):
        return None
    return _SCHED_ATTR_SYSCALLS.get(platform.machine())


def _syscall(number: int, thread_id: int, attr: bytes, *more: int) -> bytes:
    """Call a sched_*attr system call on a copy of ``attr``; return the copy as the kernel left it.

    Raises
    ------
    OSError
        The kernel's refusal, with its errno.
    """
    import ctypes  # only here: the game's start does not pay for it elsewhere

    libc = ctypes.CDLL(None, use_errno=True)
    buffer = ctypes.create_string_buffer(attr, len(attr))
    arguments = [ctypes.c_long(number), ctypes.c_long(thread_id), buffer, *(ctypes.c_long(value) for value in more)]
    if libc.syscall(*arguments) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))
    return buffer.raw
