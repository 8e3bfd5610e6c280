"""Tracking threads asked to run in the background (SCHED_IDLE on Linux) pass it on; the game's thread keeps its
priority; by default every tracking thread keeps the normal priority.

Checked on real threads: the policy each thread reports to the kernel (``os.sched_getscheduler`` of its id), and for
the live tracker on the real hand video, on every thread that MediaPipe and FFmpeg start while it opens.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from tracking import priority
from tracking.live import LiveTracker, SourceSpec, open_live_tracker
from tracking.types import TrackingModel

pytestmark = pytest.mark.skipif(not priority.supported(), reason="per-thread scheduling policies are Linux's")


def _policy_of(thread_id: int) -> int:
    return os.sched_getscheduler(thread_id)


def _thread_ids() -> set[int]:
    return {int(name) for name in os.listdir("/proc/self/task")}


def test_a_thread_in_the_background_passes_it_on_to_the_threads_it_starts() -> None:
    seen: dict[str, int] = {}

    def child() -> None:
        seen["child"] = _policy_of(0)

    def parent() -> None:
        seen["lowered"] = int(priority.lower_this_thread())
        seen["parent"] = _policy_of(0)
        started = threading.Thread(target=child)
        started.start()
        started.join()

    thread = threading.Thread(target=parent)
    thread.start()
    thread.join()
    assert seen == {"lowered": 1, "parent": os.SCHED_IDLE, "child": os.SCHED_IDLE}
    assert _policy_of(0) == os.SCHED_OTHER  # the caller (the game's thread) is untouched


def test_call_in_background_thread_returns_the_result_and_leaves_the_caller_alone() -> None:
    started_inside: list[threading.Thread] = []

    def open_something() -> tuple[int, int]:
        worker = threading.Thread(target=threading.Event().wait, args=(0.01,))
        worker.start()
        started_inside.append(worker)
        return _policy_of(0), _policy_of(worker.native_id or 0)

    assert priority.call_in_background_thread(open_something, name="test-open") == (os.SCHED_IDLE, os.SCHED_IDLE)
    assert _policy_of(0) == os.SCHED_OTHER
    started_inside[0].join()


def test_call_in_background_thread_raises_the_functions_error_in_the_caller() -> None:
    def fails() -> None:
        raise FileNotFoundError("no such video: missing.mp4")

    with pytest.raises(FileNotFoundError, match="missing.mp4"):
        priority.call_in_background_thread(fails, name="test-open")


def test_where_sched_idle_is_refused_the_nice_value_is_lowered_instead(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise PermissionError("SCHED_IDLE not allowed here")

    monkeypatch.setattr(priority.os, "sched_setscheduler", refuse)
    seen: dict[str, int] = {}

    def run() -> None:
        seen["lowered"] = int(priority.lower_this_thread())
        seen["nice"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        seen["policy"] = _policy_of(0)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert seen == {"lowered": 1, "nice": priority.FALLBACK_NICE, "policy": os.SCHED_OTHER}
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == 0


def test_elsewhere_nothing_changes_and_the_function_runs_in_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(priority, "supported", lambda: False)  # as on macOS and Windows
    assert not priority.lower_this_thread()
    caller = threading.get_ident()
    assert priority.call_in_background_thread(threading.get_ident, name="test-open") == caller
    assert _policy_of(0) == os.SCHED_OTHER


def _policies_of_threads_started_by(open_tracker: Callable[[], LiveTracker]) -> dict[str, list[int]]:
    """Open a tracker, wait for its first sample, and return the policy of each thread started meanwhile, by name."""
    before = _thread_ids()
    tracker = open_tracker()
    try:
        assert tracker.wait_for_samples(30.0), "no tracked sample within 30 s"
        policies: dict[str, list[int]] = {}
        for thread_id in _thread_ids() - before:
            try:
                name = Path(f"/proc/self/task/{thread_id}/comm").read_text().strip()
                policies.setdefault(name, []).append(_policy_of(thread_id))
            except (ProcessLookupError, FileNotFoundError):  # ended meanwhile
                continue
    finally:
        tracker.close()
    # MediaPipe's graph threads and the tracker's worker at least (FFmpeg's decoders too, named as the process).
    assert any(name.startswith("mediapipe") for name in policies), policies
    assert sum(len(found) for found in policies.values()) >= 2, policies
    return policies


def test_the_live_trackers_threads_mediapipes_included_keep_normal_priority_by_default(media_dir: Path) -> None:
    policies = _policies_of_threads_started_by(
        lambda: open_live_tracker(SourceSpec(path=media_dir / "hand_video.mp4"), frozenset({TrackingModel.HANDS}))
    )
    assert {name: found for name, found in policies.items() if set(found) != {os.SCHED_OTHER}} == {}


def test_asked_for_the_live_trackers_threads_mediapipes_included_run_in_the_background(media_dir: Path) -> None:
    policies = _policies_of_threads_started_by(
        lambda: open_live_tracker(
            SourceSpec(path=media_dir / "hand_video.mp4"), frozenset({TrackingModel.HANDS}), background=True
        )
    )
    assert {name: found for name, found in policies.items() if set(found) != {os.SCHED_IDLE}} == {}
    assert _policy_of(0) == os.SCHED_OTHER  # the game's thread keeps its priority


def _in_a_new_thread(function: Callable[[], dict[str, object]]) -> dict[str, object]:
    """Run ``function`` in a thread of its own (pytest's keeps its slices) and return what it saw."""
    seen: dict[str, object] = {}

    def run() -> None:
        seen.update(function())

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return seen


def _kernel_reports_slices() -> bool:
    return priority.time_slice_ns(threading.get_native_id()) is not None


def test_short_time_slices_reach_the_threads_started_after_and_keep_the_nice_value() -> None:
    own_before = priority.time_slice_ns(threading.get_native_id())  # pytest's thread (an in-process play shortens it)

    def shorten() -> dict[str, object]:
        own_id = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, own_id, 3)  # a nice value of its own, which must stay
        longer = priority.shorten_time_slices(1_000_000)  # first a longer slice (1 ms), whatever the thread had
        shortened = priority.shorten_time_slices()
        child: dict[str, object] = {}
        thread = threading.Thread(target=lambda: child.update(slice=priority.time_slice_ns(threading.get_native_id())))
        thread.start()
        thread.join()
        return {
            "longer": longer,
            "shortened": shortened,
            "own": priority.time_slice_ns(own_id),
            "child": child["slice"],
            "nice": os.getpriority(os.PRIO_PROCESS, own_id),
            "policy": _policy_of(0),
        }

    seen = _in_a_new_thread(shorten)
    if _kernel_reports_slices():  # Linux 6.12 or later: the kernel takes it
        expected = {"longer": True, "shortened": True, "own": 100_000, "child": 100_000}
    else:  # an older kernel ignores the request, and the function says so
        expected = {"longer": False, "shortened": False, "own": None, "child": None}
    assert seen == {**expected, "nice": 3, "policy": os.SCHED_OTHER}
    assert priority.time_slice_ns(threading.get_native_id()) == own_before  # pytest's thread is untouched


def test_a_thread_in_the_background_is_left_there() -> None:
    def lower_then_shorten() -> dict[str, object]:
        priority.lower_this_thread()
        return {"shortened": priority.shorten_time_slices(), "policy": _policy_of(0)}

    assert _in_a_new_thread(lower_then_shorten) == {"shortened": False, "policy": os.SCHED_IDLE}


def test_a_refused_request_leaves_the_thread_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> bytes:
        raise PermissionError(1, "Operation not permitted")

    before = priority.time_slice_ns(threading.get_native_id())
    monkeypatch.setattr(priority, "_syscall", refuse)
    assert _in_a_new_thread(lambda: {"shortened": priority.shorten_time_slices()}) == {"shortened": False}
    monkeypatch.undo()
    assert priority.time_slice_ns(threading.get_native_id()) == before


def test_time_slices_elsewhere_are_a_no_op(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(priority.platform, "machine", lambda: "sparc64")  # no system call numbers for it
    assert not priority.shorten_time_slices()
    assert priority.time_slice_ns(threading.get_native_id()) is None
    monkeypatch.setattr(priority.sys, "platform", "darwin")
    assert not priority.shorten_time_slices()
