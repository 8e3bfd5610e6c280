"""Files written by ``motorplay track`` and ``analyze``: never over an input, complete or absent, errors not
tracebacks (read-only and full file systems, /proc, folders, unknown plot formats), names printed as they are.

Inputs are synthetic landmark recordings (no MediaPipe), except the signal tests, which stop a real ``track`` of
hand_video.mp4 in a subprocess.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.cli import main
from tests.support.mounts import fill, tmpfs
from tests.support.paths import HAND_TEMPLATE_PATH, REPO_ROOT
from tracking.atomic_files import TEMP_SUFFIX
from tracking.quality_types import BreakKind
from tracking.synthetic import SyntheticHand, load_hand_template, synthetic_hand

TEMPLATE_PATH = HAND_TEMPLATE_PATH
MOTORPLAY = REPO_ROOT / ".venv" / "bin" / "motorplay"
# Upper bounds for waiting on a subprocess; each returns as soon as the condition holds.
START_TIMEOUT_S = 60.0
EXIT_TIMEOUT_S = 30.0


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def synthetic() -> SyntheticHand:
    template, _ = load_hand_template(TEMPLATE_PATH)
    return synthetic_hand(template, seed=3, fps=25.0, breaks=[None, BreakKind.ARREST])


@pytest.fixture
def recording(synthetic: SyntheticHand, tmp_path: Path) -> Path:
    return synthetic.write(tmp_path / "reaches.jsonl")


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX))


# --- an output is never an input, nor another output -------------------------------------------------------------


def test_analyze_refuses_to_write_its_json_over_the_input(recording: Path) -> None:
    before = recording.read_bytes()
    code, _, err = _run("analyze", str(recording), "--json", str(recording))
    assert code == 2
    assert f"--json {recording}: is the same file as INPUT" in err and "Traceback" not in err
    assert recording.read_bytes() == before


def test_analyze_sees_a_hard_link_to_the_input(recording: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    os.link(recording, link)
    before = recording.read_bytes()
    code, _, err = _run("analyze", str(recording), "--plot", str(tmp_path / "p.png"), "--json", str(link))
    assert code == 2 and f"--json {link}: is the same file as INPUT" in err
    assert recording.read_bytes() == before and not (tmp_path / "p.png").exists()


def test_analyze_refuses_the_same_file_for_json_and_plot(recording: Path, tmp_path: Path) -> None:
    both = tmp_path / "out.png"
    code, _, err = _run("analyze", str(recording), "--json", str(both), "--plot", str(both))
    assert code == 2 and f"--plot {both}: is the same file as --json {both}" in err
    assert not both.exists()


def test_track_sees_a_hard_link_to_the_input(recording: Path, tmp_path: Path) -> None:
    link = tmp_path / "copy.jsonl"
    os.link(recording, link)
    before = recording.read_bytes()
    code, _, err = _run("track", str(recording), "--out", str(link))
    assert code == 2 and f"--out {link}: is the same file as INPUT" in err
    assert recording.read_bytes() == before


def test_track_refuses_to_write_over_its_neutral_file(recording: Path, tmp_path: Path) -> None:
    neutral = tmp_path / "neutral.jsonl"
    neutral.write_text('{"yaw": 0, "pitch": 0, "roll": 0}', encoding="utf-8")
    code, _, err = _run("track", str(recording), "--out", str(neutral), "--neutral", str(neutral))
    assert code == 2 and "is the same file as --neutral" in err
    assert neutral.read_text(encoding="utf-8") == '{"yaw": 0, "pitch": 0, "roll": 0}'


# --- a failure keeps the previous output and leaves nothing half-written -----------------------------------------


def test_a_bad_input_keeps_the_existing_recording(recording: Path, tmp_path: Path) -> None:
    lines = recording.read_text(encoding="utf-8").splitlines(keepends=True)
    broken = tmp_path / "broken.jsonl"
    broken.write_text("".join(lines[:60]) + '{"t": 9.0, "hands": {}, "pose": null, "face": null}\n', encoding="utf-8")
    out = tmp_path / "kept.jsonl"
    out.write_bytes(recording.read_bytes())
    code, _, err = _run("track", str(broken), "--out", str(out))
    assert code == 2 and f"{broken}, line 61" in err
    assert out.read_bytes() == recording.read_bytes()
    assert _leftovers(tmp_path) == []


def test_a_complete_track_replaces_the_previous_recording_whole(recording: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("an older recording\n", encoding="utf-8")
    code, _, err = _run("track", str(recording), "--out", str(out))
    assert code == 0, err
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(recording.read_text(encoding="utf-8").splitlines())
    assert _leftovers(tmp_path) == []


def _start_track(tmp_path: Path, media_dir: Path, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(MOTORPLAY), "track", str(media_dir / "hand_video.mp4"), "--out", str(out)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_frames_in_temp_file(process: subprocess.Popen[str], folder: Path, name: str) -> None:
    """Wait until the recording's temporary file holds frames (its first buffer of lines is on disk)."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        temps = [p for p in folder.iterdir() if p.name.startswith(f".{name}.") and p.name.endswith(TEMP_SUFFIX)]
        if temps and temps[0].stat().st_size > 0:
            return
        if process.poll() is not None:
            break
        time.sleep(0.02)
    process.kill()
    _, err = process.communicate()
    pytest.fail(f"no temporary recording with frames appeared beside {name}; stderr: {err}")


@pytest.mark.mediapipe
def test_ctrl_c_during_track_leaves_the_previous_recording(media_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    out.write_text("the previous recording\n", encoding="utf-8")
    process = _start_track(tmp_path, media_dir, out)
    _wait_for_frames_in_temp_file(process, tmp_path, out.name)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=EXIT_TIMEOUT_S)
    assert process.returncode == 130, err
    assert "Stopped." in err and f"--out {out}: not written" in err and "Traceback" not in err
    assert out.read_text(encoding="utf-8") == "the previous recording\n"
    assert _leftovers(tmp_path) == []


@pytest.mark.mediapipe
def test_sigkill_during_track_leaves_no_recording(media_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    process = _start_track(tmp_path, media_dir, out)
    _wait_for_frames_in_temp_file(process, tmp_path, out.name)
    process.kill()
    process.communicate(timeout=EXIT_TIMEOUT_S)
    assert not out.exists()  # only the hidden temporary file remains, under a name analyze does not take
    code, _, err = _run("analyze", str(out))
    assert code == 2 and "no such file" in err


# --- places that cannot be written: exit 2, the option and path named, nothing left ------------------------------


def test_a_full_disk_is_an_error_and_leaves_nothing(recording: Path, tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", size_kib=64) as disk:
        fill(disk, leave_bytes=0)
        for argv, option, target in [
            (("track", str(recording), "--out", str(disk / "r.jsonl")), "--out", disk / "r.jsonl"),
            (("analyze", str(recording), "--json", str(disk / "a.json")), "--json", disk / "a.json"),
            (("analyze", str(recording), "--plot", str(disk / "a.png")), "--plot", disk / "a.png"),
        ]:
            code, _, err = _run(*argv)
            assert code == 2, err
            assert f"{option} {target}: cannot write (No space left on device)" in err and "Traceback" not in err
            assert not target.exists()
            assert _leftovers(disk) == []


def test_a_full_disk_keeps_the_previous_json(recording: Path, tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", size_kib=64) as disk:
        previous = disk / "a.json"
        previous.write_text('{"previous": true}\n', encoding="utf-8")
        fill(disk, leave_bytes=0)
        code, _, err = _run("analyze", str(recording), "--json", str(previous))
        assert code == 2 and "No space left on device" in err
        assert previous.read_text(encoding="utf-8") == '{"previous": true}\n'


def test_a_read_only_file_system_is_an_error(recording: Path, tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", read_only=True) as folder:
        for argv, option, target in [
            (("track", str(recording), "--out", str(folder / "r.jsonl")), "--out", folder / "r.jsonl"),
            (("analyze", str(recording), "--json", str(folder / "a.json")), "--json", folder / "a.json"),
            (("analyze", str(recording), "--plot", str(folder / "a.svg")), "--plot", folder / "a.svg"),
        ]:
            code, out, err = _run(*argv)
            assert code == 2, err
            assert f"{option} {target}: cannot write here (Read-only file system)" in err and "Traceback" not in err
            assert "movement" not in out  # refused before the analysis, not after it
            assert list(folder.iterdir()) == []


@pytest.mark.parametrize("option", ["--json", "--plot"])
def test_proc_and_folders_are_errors(recording: Path, tmp_path: Path, option: str) -> None:
    for target in (Path("/proc/motorplay.png"), tmp_path):
        code, _, err = _run("analyze", str(recording), option, str(target))
        assert code == 2, err
        assert f"{option} {target}:" in err and "Traceback" not in err
    code, _, err = _run("track", str(recording), "--out", "/proc/motorplay.jsonl")
    assert code == 2 and "--out /proc/motorplay.jsonl:" in err and "Traceback" not in err
    folder = tmp_path / "folder.jsonl"
    folder.mkdir()
    code, _, err = _run("track", str(recording), "--out", str(folder))
    assert code == 2 and f"--out {folder}: is a folder" in err


def test_an_unknown_plot_format_is_refused_with_the_choices(recording: Path, tmp_path: Path) -> None:
    for name in ("speed.unknownext", "speed"):
        target = tmp_path / name
        code, out, err = _run("analyze", str(recording), "--plot", str(target))
        assert code == 2, err
        assert f"--plot {target}:" in err and "expected one of:" in err and "png" in err and "svg" in err
        assert "Traceback" not in err and out == ""
        assert list(tmp_path.glob("speed*")) == [] and _leftovers(tmp_path) == []


def test_a_plot_in_another_supported_format(recording: Path, tmp_path: Path) -> None:
    target = tmp_path / "speed.svg"
    code, _, err = _run("analyze", str(recording), "--plot", str(target))
    assert code == 0, err
    assert target.read_text(encoding="utf-8").lstrip().startswith("<?xml") and _leftovers(tmp_path) == []


# --- names are printed as they are ------------------------------------------------------------------------------


def test_rich_markup_in_a_source_or_a_path_is_printed_as_text(
    synthetic: SyntheticHand, tmp_path: Path
) -> None:
    odd = dataclasses.replace(synthetic, info=dataclasses.replace(synthetic.info, name="[/] [bold]x[/bold] [red]"))
    recording = odd.write(tmp_path / "odd[red].jsonl")
    folder = tmp_path / "a["
    folder.mkdir()
    out_json, out_png = tmp_path / "a[/]b.json", tmp_path / "a[/]b.png"
    code, out, err = _run("analyze", str(recording), "--json", str(out_json), "--plot", str(out_png))
    assert code == 0, err
    assert json.loads(out_json.read_text(encoding="utf-8"))["source"] == "[/] [bold]x[/bold] [red]"
    assert f"JSON written to {out_json}" in out and f"Plot written to {out_png}" in out
    assert str(recording) in out  # the input as given, brackets and all


def test_a_huge_source_name_is_shortened_when_printed_and_kept_whole_in_the_json(
    synthetic: SyntheticHand, tmp_path: Path
) -> None:
    huge = "[x] " * 25_000  # 100 KB; rich's highlighter took minutes on this
    odd = dataclasses.replace(synthetic, info=dataclasses.replace(synthetic.info, name=huge))
    recording = odd.write(tmp_path / "huge.jsonl")
    out_json = tmp_path / "huge.json"
    done = subprocess.run(
        [sys.executable, "-m", "game.cli", "analyze", str(recording), "--json", str(out_json)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,  # a bound, not a measurement: the fixed command takes about 2 s, the old one 142 s
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(out_json.read_text(encoding="utf-8"))["source"] == huge
    assert max(len(line) for line in done.stdout.splitlines()) < 400  # names shortened to 160 characters


@pytest.mark.parametrize("target", ["/proc/motorplay.jsonl", "{ro}/r.jsonl"])
def test_an_unwritable_out_is_refused_before_the_models_load(media_dir: Path, tmp_path: Path, target: str) -> None:
    probe = (
        "import sys\n"
        "from game.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "print(code, 'mediapipe' in sys.modules)\n"
    )
    with tmpfs(tmp_path / "ro", read_only=True) as folder:
        out = target.format(ro=folder)
        done = subprocess.run(
            [sys.executable, "-c", probe, "track", str(media_dir / "hand_video.mp4"), "--out", out],
            cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False,
        )
    assert done.stdout.split() == ["2", "False"], done.stdout + done.stderr
    assert f"--out {out}: cannot write here" in done.stderr


def test_a_very_long_input_path_is_shortened_in_the_printed_summary(recording: Path, tmp_path: Path) -> None:
    folder = tmp_path / ("a" * 120) / ("b" * 120)
    folder.mkdir(parents=True)
    long_input = folder / "reaches.jsonl"
    long_input.write_bytes(recording.read_bytes())
    code, out, err = _run("analyze", str(long_input))
    assert code == 0, err
    heading = out.splitlines()[0]
    assert "…" in heading and "reaches.jsonl: " in heading  # start and end kept around the ellipsis
    assert heading.startswith(str(long_input)[:50]) and str(long_input) not in out


def test_every_plot_format_offered_is_written_without_noise(recording: Path, tmp_path: Path) -> None:
    from clinic.reports.analysis_plot import plot_formats

    code, _, err = _run("analyze", str(recording), "--plot", str(tmp_path / "speed.pgf"))
    assert code == 2 and "--plot" in err and "pgf" not in err.split("expected one of:")[1]  # needs LaTeX
    for ending in plot_formats():
        target = tmp_path / f"speed.{ending}"
        code, _, err = _run("analyze", str(recording), "--plot", str(target))
        assert code == 0 and err == "", (ending, err)
        assert target.stat().st_size > 0
