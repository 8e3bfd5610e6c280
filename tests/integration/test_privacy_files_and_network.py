"""Privacy of a recorded session: every file motorplay writes in the data folder is readable by its owner only (0600)
and every folder it makes is 0700, whatever the umask; the game holds no internet socket at all (nothing listens,
nothing connects) unless the live view is asked for. Checked on real processes: ``motorplay play`` run headless."""

from __future__ import annotations

import io
import os
import stat
import subprocess
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from clinic.records.store import open_store
from game.cli import main
from levels.assessment.record import Assessment, StepRecord, save_assessment
from tests.support.live_view_game import PLAY_S, START_ALLOWANCE_S, live_game_args, play
from tests.support.process_sockets import sockets_of_run

PRIVATE_FILE_MODE = 0o600
PRIVATE_FOLDER_MODE = 0o700
# A common umask (group and others may read): the modes must not depend on a strict one.
COMMON_UMASK = 0o022
RUN_TIMEOUT_S = PLAY_S + 2 * START_ALLOWANCE_S


@pytest.fixture(autouse=True)
def _common_umask(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("MOTORPLAY_DB", raising=False)
    monkeypatch.delenv("MOTORPLAY_DATA_DIR", raising=False)
    previous = os.umask(COMMON_UMASK)  # inherited by the game's process
    try:
        yield
    finally:
        os.umask(previous)


def _modes(data_dir: Path) -> dict[str, str]:
    """Return every file and folder under ``data_dir`` (itself included) with its permission bits, in octal."""
    found = {".": oct(stat.S_IMODE(data_dir.stat().st_mode))}
    for folder, names, files in os.walk(data_dir):
        for name in names + files:
            path = Path(folder) / name
            found[str(path.relative_to(data_dir))] = oct(stat.S_IMODE(path.lstat().st_mode))
    return found


def _wrong_modes(data_dir: Path) -> dict[str, str]:
    wrong = {}
    for name, mode in _modes(data_dir).items():
        expected = PRIVATE_FOLDER_MODE if (data_dir / name).is_dir() else PRIVATE_FILE_MODE
        if mode != oct(expected):
            wrong[name] = mode
    return wrong


def _recorded_session(tmp_path: Path) -> tuple[Path, subprocess.Popen[str]]:
    """Start a headless session of a patient in the records, played from a landmark recording."""
    args = live_game_args(tmp_path)
    data_dir = Path(args[args.index("--data-dir") + 1])
    patient = args[args.index("--patient") + 1]
    # The records made: the calibration file there is imported, the patient with it; their sessions are recorded.
    assert main(["patients", "show", patient, "--data-dir", str(data_dir)]) == 0
    return data_dir, play(args)


def test_a_recorded_session_leaves_only_private_files_and_listens_on_no_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir, process = _recorded_session(tmp_path)
    sockets, samples = sockets_of_run(process, timeout_s=RUN_TIMEOUT_S)
    assert samples > 10  # looked at it many times while it ran
    assert sockets == set()  # no internet socket at all: nothing listens, nothing connects
    monkeypatch.setattr("sys.stdin", io.StringIO("4711\n"))
    assert main(["plan", "pin", "--patient", "live-patient", "--pin-stdin", "--data-dir", str(data_dir)]) == 0
    with open_store(data_dir=data_dir, environ={}) as store:
        assert [summary.trials > 0 for summary in store.sessions("live-patient")] == [True]
    written = _modes(data_dir)
    assert {"motorplay.sqlite3", "patients/live-patient/calibration.json", "pins/live-patient.pin"} <= set(written)
    assert _wrong_modes(data_dir) == {}


def test_tracking_a_real_video_with_mediapipe_opens_no_socket(tmp_path: Path, media_dir: Path) -> None:
    process = play(["--source", str(media_dir / "hand_video.mp4"), "--headless", "--max-seconds", "8",
                    "--data-dir", str(tmp_path / "data")])
    sockets, samples = sockets_of_run(process, timeout_s=RUN_TIMEOUT_S)
    assert samples > 10 and sockets == set()


def test_the_live_view_is_the_one_listening_socket(tmp_path: Path) -> None:
    """The check above sees a listening socket when there is one: the live view's, on loopback."""
    process = play(["--live-view", "--input", "mouse", "--headless", "--max-seconds", "4",
                    "--data-dir", str(tmp_path / "data")])
    sockets, _ = sockets_of_run(process, timeout_s=RUN_TIMEOUT_S)
    listening = [socket for socket in sockets if socket.listening]
    assert listening and all(socket.local.startswith("0100007F:") for socket in listening), sockets  # 127.0.0.1


def test_an_assessment_file_and_its_folders_are_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert main(["patients", "add", "--id", "anna", "--data-dir", str(data_dir)]) == 0
    step = StepRecord("head_range", "success", 10.0, {"turn_left_max_deg": 50.0})
    save_assessment(data_dir, "anna", Assessment("assessment", datetime.now(timezone.utc), (step,)))
    assert _wrong_modes(data_dir) == {}
