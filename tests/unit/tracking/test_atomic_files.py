"""tracking.atomic_files: an output is complete or absent, the previous file survives a failure, private mode."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import REPO_ROOT
from tracking.atomic_files import (
    TEMP_SUFFIX,
    AtomicFile,
    atomic_path,
    check_output_path,
    same_file,
    temporary_file_match,
    write_bytes_atomic,
    write_text_atomic,
)
from tracking.errors import OutputFileError


class Boom(Exception):
    """An error in the middle of writing."""


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX))


def test_a_clean_exit_renames_the_complete_file_into_place(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    with AtomicFile(target) as output:
        output.write("first half, ")
        assert not target.exists()  # nothing under the target's name until complete
        assert output.temp_path.parent == tmp_path and output.temp_path.exists()
        output.write("second half\n")
    assert target.read_text(encoding="utf-8") == "first half, second half\n"
    assert _leftovers(tmp_path) == []


def test_an_exception_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    with pytest.raises(Boom), AtomicFile(target) as output:
        output.write("half")
        raise Boom
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("interruption", [Boom, KeyboardInterrupt])
def test_an_interrupted_write_keeps_the_previous_file(tmp_path: Path, interruption: type[BaseException]) -> None:
    target = tmp_path / "report.txt"
    target.write_text("the previous report\n", encoding="utf-8")
    with pytest.raises(interruption), AtomicFile(target) as output:
        output.write("a new report, cut short")
        raise interruption
    assert target.read_text(encoding="utf-8") == "the previous report\n"
    assert _leftovers(tmp_path) == []


def test_the_file_is_private_to_its_owner(tmp_path: Path) -> None:
    target = write_text_atomic(tmp_path / "patient.json", "{}\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    binary = write_bytes_atomic(tmp_path / "plot.png", b"\x89PNG")
    assert stat.S_IMODE(binary.stat().st_mode) == 0o600 and binary.read_bytes() == b"\x89PNG"


def test_atomic_path_for_writers_that_take_a_file_name(tmp_path: Path) -> None:
    target = tmp_path / "plot.svg"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(Boom), atomic_path(target) as temporary:
        temporary.write_text("half a picture", encoding="utf-8")
        raise Boom
    assert target.read_text(encoding="utf-8") == "old" and _leftovers(tmp_path) == []
    with atomic_path(target) as temporary:
        assert temporary != target
        temporary.write_text("<svg/>", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "<svg/>" and _leftovers(tmp_path) == []


def test_a_folder_or_a_missing_folder_is_refused_naming_the_path(tmp_path: Path) -> None:
    folder = tmp_path / "results"
    folder.mkdir()
    with pytest.raises(OutputFileError, match=f"--json {folder}: is a folder"):
        check_output_path(folder, what="--json")
    missing = tmp_path / "no_such_folder" / "out.json"
    with pytest.raises(OutputFileError, match="the folder .*no_such_folder does not exist"):
        check_output_path(missing, what="--json")
    with pytest.raises(OutputFileError, match=str(missing)):
        AtomicFile(missing)
    check_output_path(tmp_path / "fine.json")  # a new name in an existing folder is accepted


def test_same_file_sees_hard_and_symbolic_links(tmp_path: Path) -> None:
    original = tmp_path / "a.jsonl"
    original.write_text("x\n", encoding="utf-8")
    hard = tmp_path / "b.jsonl"
    os.link(original, hard)
    symbolic = tmp_path / "c.jsonl"
    symbolic.symlink_to(original)
    other = tmp_path / "d.jsonl"
    other.write_text("x\n", encoding="utf-8")
    assert hard.resolve() != original.resolve()  # why a resolved-path comparison is not enough
    assert same_file(original, hard) and same_file(original, symbolic)
    assert not same_file(original, other)  # same content, another file
    assert not same_file(original, tmp_path / "missing.jsonl")


def test_commit_after_a_failed_write_raises_instead_of_claiming_success(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    output = AtomicFile(target)
    output.discard()  # what a failed write does
    with pytest.raises(OutputFileError, match="not written"):
        output.commit()
    assert not target.exists()


_KILLED_WRITER = """
import sys, time
from tracking.atomic_files import AtomicFile
output = AtomicFile(sys.argv[1])
output.write("half of it")
output.stream.flush()
print(output.temp_path, flush=True)
time.sleep(60)  # killed here, before it commits
"""


def test_the_next_write_removes_what_a_killed_writer_left_and_keeps_a_live_writers_file(tmp_path: Path) -> None:
    target = tmp_path / "session.json"
    target.write_text('{"old": true}', encoding="utf-8")
    killed = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(target)], stdout=subprocess.PIPE, text=True, cwd=REPO_ROOT
    )
    assert killed.stdout is not None
    left = Path(killed.stdout.readline().strip())
    os.kill(killed.pid, signal.SIGKILL)
    assert killed.wait(timeout=30) == -signal.SIGKILL
    assert left.read_text(encoding="utf-8") == "half of it" and str(killed.pid) in left.name
    assert target.read_text(encoding="utf-8") == '{"old": true}'  # the target stayed whole
    with AtomicFile(target) as live:  # a writer still running (this process): its file stays
        live.write("{}")
        live.stream.flush()
        write_text_atomic(target, '{"new": true}')
        assert _leftovers(tmp_path) == [live.temp_path.name]  # the killed writer's file is gone, ours is not
    assert target.read_text(encoding="utf-8") == "{}"
    assert _leftovers(tmp_path) == []


def test_a_temporary_file_without_a_process_id_or_of_another_target_is_left_alone(tmp_path: Path) -> None:
    strangers = [tmp_path / f".session.json.abc{TEMP_SUFFIX}", tmp_path / f".other.json.999999999.x{TEMP_SUFFIX}"]
    for stranger in strangers:
        stranger.write_text("?", encoding="utf-8")
    write_text_atomic(tmp_path / "session.json", "{}")
    assert all(stranger.exists() for stranger in strangers)


def test_temporary_file_names_are_told_apart_by_target_and_carry_the_writers_process_id(tmp_path: Path) -> None:
    with AtomicFile(tmp_path / "anna.pin") as output:
        found = temporary_file_match(output.temp_path.name, "anna.pin")
        assert found is not None and found["pid"] == str(os.getpid())
        assert temporary_file_match(output.temp_path.name, "anna") is None
        assert temporary_file_match(output.temp_path.name, "anna.pin.pin") is None
    legacy = temporary_file_match(".anna.pin.k3_9x0qz.part", "anna.pin")  # written before the process id
    assert legacy is not None and legacy["pid"] is None
    assert temporary_file_match(".anna.pin.pin.k3_9x0qz.part", "anna.pin") is None  # the patient "anna.pin"'s
