"""A session leaves nothing open behind it: after ``run_session`` returns, no font file, thread or other file that
the session opened is still open (a game that plays again in the same process, as the tests and the soak do, would
pile them up). pygame closes a font's file only when the font is freed; the screens hold their fonts. Native threads
that libraries start once and keep (a pool) may stay after the first session, but a second session adds none."""

from __future__ import annotations

import gc
import os
import threading
from pathlib import Path

from tests.support.session_flows import MouseClock, play_with_mouse, reach_level_file


def _open_files() -> list[str]:
    targets = []
    for descriptor in os.listdir("/proc/self/fd"):
        try:
            targets.append(os.readlink(f"/proc/self/fd/{descriptor}"))
        except OSError:  # the descriptor that listed the folder, closed meanwhile
            continue
    return sorted(targets)


def _fonts(targets: list[str]) -> int:
    return sum(target.endswith((".ttf", ".otf")) for target in targets)


def test_a_played_session_closes_its_fonts_and_files(tmp_path: Path) -> None:
    level = reach_level_file(tmp_path, "first", trials=2)
    gc.collect()
    before_files, before_threads = _open_files(), threading.active_count()
    result = play_with_mouse([level], lambda: MouseClock(), data_dir=tmp_path / "data", max_seconds=20.0)
    assert result.session_complete
    gc.collect()  # what only a cycle still held
    after = _open_files()
    # Only what this session opened: another test in the same process may have left a font alive.
    assert _fonts(after) <= _fonts(before_files), after
    assert len(after) <= len(before_files), sorted(set(after) - set(before_files))
    assert threading.active_count() <= before_threads


def _native_threads() -> int:
    return len(os.listdir("/proc/self/task"))


def test_playing_again_in_the_same_process_adds_no_thread_or_file(tmp_path: Path) -> None:
    level = reach_level_file(tmp_path, "first", trials=2)
    counts = []
    for session in range(2):
        result = play_with_mouse([level], lambda: MouseClock(), data_dir=tmp_path / f"data{session}", max_seconds=20.0)
        assert result.session_complete
        gc.collect()
        counts.append((_native_threads(), len(_open_files())))
    assert counts[1][0] <= counts[0][0] and counts[1][1] <= counts[0][1], counts
