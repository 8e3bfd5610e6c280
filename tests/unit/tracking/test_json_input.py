"""The safe readers under every file format: hostile JSON/TOML and non-regular files become clear errors."""

from __future__ import annotations

import math
import os
import threading
from pathlib import Path

import pytest

from tracking.input_files import InputFileError, open_regular_file, read_text_file
from tracking.json_input import HugeNumber, loads_checked, toml_loads_checked

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('{"a": 1,\n"b": ' + DEEP + "}", 11, "nested more than 100 levels"),
        ("{\n\n  oops}", 12, "not valid JSON"),
    ],
)
def test_bad_json_names_source_and_line(text: str, line: int, words: str) -> None:
    with pytest.raises(InputFileError) as caught:
        loads_checked(text, source="dir/f.json", first_line=10)
    assert caught.value.line == line and words in str(caught.value)
    assert str(caught.value).startswith(f"dir/f.json, line {line}: ")


@pytest.mark.parametrize("digits", [301, 401, 5000, 100_000])
def test_huge_integers_parse_as_out_of_range_numbers(digits: int) -> None:
    value = loads_checked('{"t": ' + "9" * digits + ', "u": -' + "1" * digits + "}", source="f.json")
    assert isinstance(value["t"], HugeNumber) and value["t"] == math.inf and value["u"] == -math.inf
    assert not math.isfinite(value["t"])
    assert repr(value["t"]) == f"a {digits}-digit number (out of range)"
    assert "negative" in repr(value["u"])


def test_ordinary_integers_stay_integers() -> None:
    assert loads_checked('{"a": 1, "b": ' + "9" * 300 + "}", source="f.json") == {"a": 1, "b": int("9" * 300)}


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a = 1\nb = " + "9" * 5000 + "\n", 2, "too many digits"),
        ("a = 1\nb = " + DEEP + "\n", 2, "nested more than 100 levels"),
        ("a = 1\nb = " + "{c = " * 100_000 + "1" + "}" * 100_000 + "\n", 2, "nested more than 100 levels"),
    ],
)
def test_bad_toml_names_source_and_line(text: str, line: int, words: str) -> None:
    with pytest.raises(InputFileError) as caught:
        toml_loads_checked(text, source="level.toml")
    assert caught.value.line == line and words in str(caught.value)
    assert str(caught.value).startswith("level.toml, line 2: ")


def test_toml_syntax_error_keeps_its_line() -> None:
    with pytest.raises(InputFileError, match=r"^l\.toml: not valid TOML: .*line 2"):
        toml_loads_checked("a = 1\nb = = 2\n", source="l.toml")


def test_not_utf8_is_reported_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_bytes(b"{\n" * 51 + b'"\xff"\n')
    with pytest.raises(InputFileError) as caught:
        read_text_file(path, expected="a JSON file")
    assert caught.value.line == 52 and "0xff" in str(caught.value) and str(path) in str(caught.value)


def test_folder_device_and_missing_file_are_named_for_what_they_are(tmp_path: Path) -> None:
    cases = {tmp_path: "is a folder", Path(os.devnull): "is a device", tmp_path / "none.json": "no such file"}
    for path, words in cases.items():
        with pytest.raises(InputFileError, match=words) as caught:
            read_text_file(path, expected="a JSON file")
        assert str(caught.value).startswith(str(path)) and "expected a JSON file" in str(caught.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def open_it() -> None:
        try:
            open_regular_file(fifo, expected="a recording")
        except InputFileError as error:
            outcome.append(error)

    worker = threading.Thread(target=open_it, daemon=True)
    worker.start()
    worker.join(timeout=10.0)
    if worker.is_alive():  # a blocked open: unblock it by opening the writing end, then fail
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("opening a FIFO blocked")
    assert len(outcome) == 1 and "named pipe" in str(outcome[0]) and str(fifo) in str(outcome[0])


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text("1" * 101, encoding="utf-8")
    with pytest.raises(InputFileError, match="larger than 100 bytes"):
        read_text_file(path, expected="a JSON file", max_bytes=100)
    assert read_text_file(path, expected="a JSON file", max_bytes=101) == "1" * 101
