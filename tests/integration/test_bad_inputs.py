"""Bad input through the real commands: one message naming the file (as passed), line or field and what was
expected, exit status 2, no traceback, and nothing overwritten (the refused file and any earlier output keep
their bytes).

These are the cases no other test tried (the README's "Bad input" section lists them all with their tests):
records databases cut short, a folder or a named pipe in place of the database; plan files that are not TOML, cut
short, of the wrong type, a folder, a named pipe, a device; level and calibration files that are not files, empty
or cut short; recordings cut short; videos cut short or empty (through ``analyze``, ``track`` and ``play``); a
``--source`` that is not a video, refused by ``play`` and ``calibrate`` before the tracker loads; arguments of
``simulate`` out of range and empty names in ``play --levels``.
A case the product gets wrong would be marked ``xfail(strict=True)`` with what happens instead; none is now.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from clinic.calibration_store import CalibrationStore
from clinic.records.location import DATABASE_FILE_NAME
from tests.support.bad_inputs import Finished, Snapshot, first_half, run_in_process, run_subprocess
from tests.support.paths import HAND_TEMPLATE_PATH
from tests.support.session_flows import reach_level_file
from tracking.calibration import Calibration, ReachRange
from tracking.quality_types import BreakKind
from tracking.synthetic import load_hand_template, synthetic_hand
from tracking.types import HeadAngles

PATIENT = "P-1"
PLAN = """\
schema_version = 1
affected_side = "left"
session_limit_min = 30

[[levels]]
name = "head"
repetitions = 6
start_difficulty = 0.2
"""
CALIBRATION = Calibration(ReachRange(0.2, 0.8, 0.25, 0.75), HeadAngles(2.5, -4.0, 1.0))
PREVIOUS_OUTPUT = b'{"previous": true}\n'
# What the first half of hand_video.mp4 (its header says 202 frames) is refused with, once its frames are read.
CUT_VIDEO_WORDS = "ends after 86 of 202 frames; expected a complete video (the file may be cut short)"
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")


def assert_refused(finished: Finished, *words: str) -> None:
    """Exit status 2, every one of ``words`` in the message, nothing printed on stdout, no traceback."""
    assert finished.code == 2, (finished.code, finished.out, finished.err)
    for word in words:
        assert word in finished.err, (word, finished.err)
    assert "Traceback" not in finished.err + finished.out


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


# --- records database ---------------------------------------------------------------------------------------------


@pytest.fixture
def records(tmp_path: Path) -> Path:
    """A data folder whose records database holds one patient."""
    folder = tmp_path / "data"
    assert run_in_process("patients", "add", "--id", PATIENT, "--data-dir", str(folder)).code == 0
    return folder


@pytest.fixture
def cut_records(records: Path, tmp_path: Path) -> Path:
    """A data folder whose database is the first half of a real one (a copy cut short)."""
    folder = tmp_path / "cut"
    folder.mkdir()
    first_half(records / DATABASE_FILE_NAME, folder / DATABASE_FILE_NAME)
    return folder


@pytest.mark.parametrize(
    "argv",
    [
        ("patients", "list"),
        ("patients", "show", PATIENT),
        ("sessions", "list", "--patient", PATIENT),
        ("export", "--patient", PATIENT, "--csv", "{tmp}/csv"),
        ("report", "--patient", PATIENT, "--out", "{tmp}/report.html"),
        ("plan", "import", "{tmp}/plan.toml", "--patient", PATIENT),
    ],
)
def test_a_database_cut_short_is_named_and_kept(cut_records: Path, tmp_path: Path, argv: tuple[str, ...]) -> None:
    (tmp_path / "plan.toml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "csv").mkdir()
    previous = [tmp_path / "csv" / "sessions.csv", tmp_path / "report.html"]  # earlier outputs: kept as they are
    for path in previous:
        path.write_bytes(PREVIOUS_OUTPUT)
    database = cut_records / DATABASE_FILE_NAME
    before = Snapshot.of(database)
    finished = run_in_process(*(arg.format(tmp=tmp_path) for arg in argv), "--data-dir", str(cut_records))
    assert_refused(finished, f"{database}: is not a motorplay database")
    assert Snapshot.of(database) == before
    assert [path.read_bytes() for path in previous] == [PREVIOUS_OUTPUT] * 2
    assert sorted(path.name for path in (tmp_path / "csv").iterdir()) == ["sessions.csv"]


def test_play_with_records_on_a_database_cut_short_ends_with_exit_2(cut_records: Path) -> None:
    database = cut_records / DATABASE_FILE_NAME
    before = Snapshot.of(database)
    finished = run_in_process(
        "play", "--input", "mouse", "--headless", "--max-seconds", "1", "--record", "--data-dir", str(cut_records)
    )
    assert_refused(finished, f"{database}: is not a motorplay database")
    assert Snapshot.of(database) == before


def test_a_folder_in_place_of_the_database_is_named(tmp_path: Path) -> None:
    database = tmp_path / DATABASE_FILE_NAME
    database.mkdir()
    (database / "notes.txt").write_text("kept", encoding="utf-8")
    before = Snapshot.of(database)
    finished = run_in_process("patients", "list", "--data-dir", str(tmp_path))
    assert_refused(finished, f"{database}: is a folder; expected a motorplay database file")
    assert Snapshot.of(database) == before


@needs_fifo
def test_a_named_pipe_in_place_of_the_database_is_named_for_what_it_is(tmp_path: Path) -> None:
    database = _fifo(tmp_path / DATABASE_FILE_NAME)
    finished = run_in_process("patients", "list", "--data-dir", str(tmp_path))
    assert Snapshot.of(database) == Snapshot("named pipe")
    assert_refused(finished, f"{database}: is a named pipe", "expected a motorplay database file")


# --- plan files ---------------------------------------------------------------------------------------------------


def _plan_cases(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Bad plan files: name -> (path, words the message must hold after the path)."""
    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    folder = tmp_path / "folder.toml"
    folder.mkdir()
    cases = {
        "not TOML": (write("notes.toml", "These are my notes [[[\n"), "not valid TOML"),
        "cut short": (write("cut.toml", PLAN[: PLAN.index("[[levels]]") + 5]), "not valid TOML"),
        "empty": (write("empty.toml", ""), "field 'schema_version': missing"),
        "wrong type": (write("type.toml", PLAN.replace("30", '"thirty"')), "field 'session_limit_min'"),
        "NaN": (write("nan.toml", PLAN.replace("30", "nan")), "field 'session_limit_min'"),
        "out of range": (write("range.toml", PLAN.replace("repetitions = 6", "repetitions = 0")),
                         "field 'levels.0.repetitions'"),
        "newer version": (write("newer.toml", PLAN.replace("schema_version = 1", "schema_version = 99")),
                          "field 'schema_version'"),
        "huge": (write("huge.toml", PLAN + "# " + "x" * 300_000 + "\n"), "is larger than 262144 bytes"),
        "folder": (folder, "is a folder; expected a .toml plan file"),
        "device": (Path(os.devnull), "is a device"),
        "missing": (tmp_path / "missing.toml", "no such file; expected a .toml plan file"),
    }
    if hasattr(os, "mkfifo"):
        cases["named pipe"] = (_fifo(tmp_path / "pipe.toml"), "is a named pipe (FIFO)")
    return cases


def test_plan_validate_names_each_bad_plan_file(tmp_path: Path) -> None:
    for case, (path, words) in _plan_cases(tmp_path).items():
        before = Snapshot.of(path)
        finished = run_in_process("plan", "validate", str(path))
        assert_refused(finished, f"motorplay plan: error: {path}", words)
        assert Snapshot.of(path) == before, case


def test_plan_import_of_a_bad_file_stores_nothing(records: Path, tmp_path: Path) -> None:
    where = ("--patient", PATIENT, "--data-dir", str(records))
    (tmp_path / "good.toml").write_text(PLAN, encoding="utf-8")
    assert run_in_process("plan", "import", str(tmp_path / "good.toml"), "--author", "dr-a", *where).code == 0
    shown_before = run_in_process("plan", "show", *where)
    assert shown_before.code == 0 and "version 1 by dr-a" in shown_before.out
    for case, (path, words) in _plan_cases(tmp_path).items():
        finished = run_in_process("plan", "import", str(path), *where)
        assert_refused(finished, str(path), words)
        assert run_in_process("plan", "show", *where) == shown_before, case


def test_simulate_names_a_bad_plan_file_as_its_option(tmp_path: Path) -> None:
    cases = _plan_cases(tmp_path)
    for case in ("not TOML", "folder", "wrong type"):
        path, words = cases[case]
        finished = run_in_process("simulate", "--level", "head", "--plan", str(path), "--skill", "0.5")
        assert_refused(finished, str(path), words)


def test_a_plan_file_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(PLAN.replace('"left"', '"l\xe9ft"').encode("latin-1"))
    where = f"{path}: cannot read the plan file: line 2: byte 0xe9 at column 19 is not UTF-8 text"
    assert_refused(run_in_process("plan", "validate", str(path)), f"motorplay plan: error: {where}")
    simulated = run_in_process("simulate", "--level", "head", "--plan", str(path), "--skill", "0.5")
    assert_refused(simulated, f"motorplay simulate: error: --plan {where}")


# --- level files through play -------------------------------------------------------------------------------------


def test_play_names_a_bad_level_file_before_the_game_starts(tmp_path: Path) -> None:
    good = reach_level_file(tmp_path, "mine")
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    empty = tmp_path / "empty.toml"
    empty.write_bytes(b"")
    latin = tmp_path / "latin1.toml"
    latin.write_bytes(good.read_bytes().replace(b'name = "mine"', b'name = "m\xe9ne"'))
    cut = first_half(good, tmp_path / "cut.toml")
    cases = {
        folder: "is a folder; expected a .toml level file",
        empty: "field 'kind': missing",
        latin: "byte 0xe9",
        cut: "not valid TOML",  # cut in the middle of a key
        Path(os.devnull): "is a device",
    }
    if hasattr(os, "mkfifo"):
        cases[_fifo(tmp_path / "pipe.toml")] = "is a named pipe (FIFO)"
    for path, words in cases.items():
        before = Snapshot.of(path)
        finished = run_in_process(
            "play", "--level", str(path), "--input", "mouse", "--headless", "--max-seconds", "1",
            "--data-dir", str(tmp_path / "data"),
        )
        assert_refused(finished, f"motorplay play: error: {path}", words)
        assert "not reached" not in finished.out  # refused before the game, not after it
        assert Snapshot.of(path) == before, path


# --- calibration files --------------------------------------------------------------------------------------------


def test_play_names_a_bad_calibration_file_and_keeps_it(media_dir: Path, tmp_path: Path) -> None:
    good = CalibrationStore(tmp_path / "good").save("default", CALIBRATION)
    cases: dict[str, tuple[bytes | None, str]] = {
        "folder": (None, "is a folder; expected a motorplay calibration file"),
        "empty": (b"", "is empty; expected a motorplay calibration file (JSON)"),
        "blank": (b"\n  \n", "holds only blank space; expected a motorplay calibration file (JSON)"),
        "cut short": (good.read_bytes()[: len(good.read_bytes()) // 2], "not valid JSON"),
        "not UTF-8": (good.read_bytes().replace(b'"default"', b'"d\xe9fault"'), "byte 0xe9"),
        "a photo": ((media_dir / "face_test.jpeg").read_bytes(), "byte 0xff"),
    }
    for index, (case, (content, words)) in enumerate(cases.items()):
        data = tmp_path / f"data{index}"
        path = CalibrationStore(data).path_for("default")
        path.parent.mkdir(parents=True)
        if content is None:
            path.mkdir()
        else:
            path.write_bytes(content)
        before = Snapshot.of(path)
        finished = run_in_process("play", "--input", "mouse", "--headless", "--max-seconds", "1", "--data-dir",
                                  str(data))
        assert_refused(finished, str(path), words)
        assert Snapshot.of(path) == before, case


@needs_fifo
def test_play_names_a_named_pipe_as_calibration_file(tmp_path: Path) -> None:
    path = CalibrationStore(tmp_path).path_for("default")
    path.parent.mkdir(parents=True)
    _fifo(path)
    finished = run_in_process("play", "--input", "mouse", "--headless", "--max-seconds", "1", "--data-dir",
                              str(tmp_path))
    assert_refused(finished, str(path), "is a named pipe (FIFO)", "expected a motorplay calibration file")
    assert Snapshot.of(path) == Snapshot("named pipe")


# --- landmark recordings ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def whole_recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    template, _ = load_hand_template(HAND_TEMPLATE_PATH)
    hand = synthetic_hand(template, seed=3, fps=25.0, breaks=[None, BreakKind.ARREST])
    return hand.write(tmp_path_factory.mktemp("recording") / "reaches.jsonl")


def test_a_recording_cut_short_is_named_at_its_line_and_the_outputs_are_kept(
    whole_recording: Path, tmp_path: Path
) -> None:
    cut = first_half(whole_recording, tmp_path / "cut.jsonl")
    last_line = cut.read_bytes().count(b"\n") + 1  # the line cut in the middle
    json_out, jsonl_out = tmp_path / "previous.json", tmp_path / "previous.jsonl"
    for output in (json_out, jsonl_out):
        output.write_bytes(PREVIOUS_OUTPUT)
    for argv in (("analyze", str(cut), "--json", str(json_out)), ("track", str(cut), "--out", str(jsonl_out))):
        finished = run_in_process(*argv)
        assert_refused(finished, f"{cut}, line {last_line}", "not valid JSON")
        assert json_out.read_bytes() == jsonl_out.read_bytes() == PREVIOUS_OUTPUT


def test_a_photo_named_as_a_recording_is_not_utf8_text(media_dir: Path, tmp_path: Path) -> None:
    photo = tmp_path / "photo.jsonl"
    photo.write_bytes((media_dir / "face_test.jpeg").read_bytes())
    for argv in (("analyze", str(photo)), ("track", str(photo), "--out", str(tmp_path / "out.jsonl"))):
        assert_refused(run_in_process(*argv), f"{photo}, line 1", "byte 0xff at column 1 is not UTF-8 text")
    assert not (tmp_path / "out.jsonl").exists()


# --- videos -------------------------------------------------------------------------------------------------------


def test_an_empty_video_or_one_cut_inside_its_header_is_named_and_the_outputs_kept(
    media_dir: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    header_cut = tmp_path / "header_cut.mp4"
    header_cut.write_bytes((media_dir / "hand_video.mp4").read_bytes()[:3000])  # the moov box is 32..5625
    json_out, jsonl_out = tmp_path / "previous.json", tmp_path / "previous.jsonl"
    for output in (json_out, jsonl_out):
        output.write_bytes(PREVIOUS_OUTPUT)
    for video, words in ((empty, "is empty; expected a video file"), (header_cut, "cannot decode a video frame")):
        for argv in (("analyze", str(video), "--json", str(json_out)), ("track", str(video), "--out", str(jsonl_out))):
            assert_refused(run_in_process(*argv), f"{video}: {words}")
        assert json_out.read_bytes() == jsonl_out.read_bytes() == PREVIOUS_OUTPUT


def test_a_video_cut_short_is_named_and_the_outputs_are_kept(media_dir: Path, tmp_path: Path) -> None:
    cut = first_half(media_dir / "hand_video.mp4", tmp_path / "cut.mp4")
    json_out, jsonl_out = tmp_path / "previous.json", tmp_path / "previous.jsonl"
    for output in (json_out, jsonl_out):
        output.write_bytes(PREVIOUS_OUTPUT)
    for argv in (("analyze", str(cut), "--json", str(json_out)), ("track", str(cut), "--out", str(jsonl_out))):
        finished = run_in_process(*argv)
        assert json_out.read_bytes() == jsonl_out.read_bytes() == PREVIOUS_OUTPUT, argv
        assert_refused(finished, f"{cut}: {CUT_VIDEO_WORDS}")


def test_play_from_a_video_cut_short_stops_with_its_name_and_exits_2(media_dir: Path, tmp_path: Path) -> None:
    """The game plays the frames there are, then says the file is cut short (on the screen and in the summary) and
    the command exits 2, as for a recording's bad line; a real run: the video plays at its own pace."""
    first_half(media_dir / "hand_video.mp4", tmp_path / "cut.mp4")  # named as given: cut.mp4, run in tmp_path
    # Loading (4-8 s here, more on a loaded machine) and the 3.4 s the 86 frames last, with room to spare.
    finished = run_subprocess(
        "play", "--source", "cut.mp4", "--headless", "--max-seconds", "30", "--no-record", "--data-dir", "data",
        cwd=tmp_path,
    )
    assert_refused(finished, f"motorplay play: error: cut.mp4: {CUT_VIDEO_WORDS}")
    assert f"Tracking stopped: cut.mp4: {CUT_VIDEO_WORDS}" in finished.out
    assert finished.err.count(CUT_VIDEO_WORDS) == 1


@pytest.mark.parametrize("command", ["play", "calibrate"])
def test_play_refuses_a_source_that_is_not_a_video_at_once(tmp_path: Path, command: str) -> None:
    """Refused before the tracker loads (4-8 s here): a run of --max-seconds 1 would end on the loading screen."""
    (tmp_path / "folder.mp4").mkdir()
    (tmp_path / "empty.mp4").write_bytes(b"")
    (tmp_path / "folder.jsonl").mkdir()
    cases = (("missing.mp4", "no such file"), ("folder.mp4", "is a folder"), ("empty.mp4", "is empty"),
             ("folder.jsonl", "is a folder"))
    for name, words in cases:
        finished = run_subprocess(
            command, "--source", name, "--headless", "--max-seconds", "1", "--data-dir", "data", cwd=tmp_path
        )
        assert_refused(finished, f"motorplay {command}: error: {name}: {words}")
        assert not (tmp_path / "data").exists()  # nothing written for a run that cannot start


# --- arguments ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("levels", ["reach,,hold", "reach,hold,", ",reach", "reach, ,hold"])
def test_play_refuses_an_empty_level_name_in_levels(levels: str, tmp_path: Path) -> None:
    """The empty name was dropped: the session played two levels where three were meant."""
    finished = run_in_process(
        "play", "--levels", levels, "--input", "mouse", "--headless", "--max-seconds", "1",
        "--data-dir", str(tmp_path / "data"),
    )
    assert_refused(finished, f"argument --levels: an empty level name between commas in {levels!r}")
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--skill", "1.5", "expected a number from 0 to 1, got '1.5'"),
        ("--skill", "nan", "expected a number from 0 to 1, got 'nan'"),
        ("--fatigue", "inf", "expected a number from 0 to 1, got 'inf'"),
        ("--break-rate", "-0.1", "expected a number from 0 to 1, got '-0.1'"),
        ("--start", "2", "expected a number from 0 to 1, got '2'"),
        ("--trials", "0", "expected 1 to 10000, got '0'"),
        ("--trials", "1e9", "expected a whole number, got '1e9'"),
    ],
)
def test_simulate_names_an_argument_out_of_range(option: str, value: str, words: str) -> None:
    values = {"--skill": "0.5", "--fatigue": "0", "--break-rate": "0", "--trials": "5", option: value}
    argv = ["simulate", "--level", "reach"] + [item for pair in values.items() for item in pair]
    finished = run_in_process(*argv)
    assert_refused(finished, f"motorplay simulate: error: argument {option}: {words}")  # the option named once
    message = finished.err.splitlines()[-1]  # after argparse's usage lines
    assert message.count(option) == 1, message
