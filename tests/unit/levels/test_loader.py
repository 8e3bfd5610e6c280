"""Level files: every catalogue level loads; every kind of bad file is rejected with a precise message (the union
of the families' schemas, discriminated on ``kind``)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from levels.errors import LevelFileError
from levels.families import FAMILIES, Family, family_for, known_kinds
from levels.loader import list_levels, load_level, parse_level
from levels.reach.schema import ReachLevel
from levels.schema import LevelFile
from tests.support.paths import REPO_ROOT
from tracking.types import TrackingModel

GOOD = """\
schema_version = 1
name = "custom"
title = "Custom reach"
kind = "reach"
trials = 3
target_radius_norm = 0.1
dwell_time_s = 0.5
trial_timeout_s = 10.0
models = ["hands"]
seed = 7
"""


def test_catalogue_lists_reach() -> None:
    assert "reach" in list_levels()


@pytest.mark.parametrize("name", list_levels())
def test_every_catalogue_level_loads(name: str) -> None:
    level = load_level(name)
    assert isinstance(level, LevelFile)
    assert level.name == name
    assert level.title.strip()


def test_reach_level_values() -> None:
    level = load_level("reach")
    assert isinstance(level, ReachLevel) and level.kind == "reach" and level.schema_version == 1
    assert level.models == (TrackingModel.HANDS,)
    assert level.trials >= 1


def test_load_from_path_works_from_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "custom.toml"
    path.write_text(GOOD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert load_level(path).trials == 3
    assert load_level("reach").name == "reach"  # catalogue found through importlib.resources, not the cwd


def _error_for(content: str, name: str = "custom") -> str:
    with pytest.raises(LevelFileError) as caught:
        parse_level(content, source=f"/levels/{name}.toml", expected_name=name)
    return str(caught.value)


@pytest.mark.parametrize(
    ("content", "expected_parts"),
    [
        (GOOD.replace("trials = 3", "trials = 0"), ["custom.toml", "'trials'", "greater than or equal to 1", "got 0"]),
        (GOOD.replace("trials = 3", "trials = 2.5"), ["'trials'", "integer", "2.5"]),
        (
            GOOD.replace('kind = "reach"', 'kind = "jump"'),
            ["'kind'", "unknown kind", "expected one of 'reach'", "'jump'"],
        ),
        (GOOD.replace('kind = "reach"\n', ""), ["'kind'", "missing", "expected one of 'reach'"]),
        (GOOD.replace("schema_version = 1\n", ""), ["'schema_version'", "missing", "starts with schema_version = 1"]),
        (GOOD.replace("schema_version = 1", "schema_version = 2"), ["'schema_version'", "should be 1", "got 2"]),
        (GOOD.replace('["hands"]', '["eyes"]'), ["'models.0'", "'hands', 'pose' or 'face'", "'eyes'"]),
        (GOOD.replace('["hands"]', "[]"), ["'models'", "at least 1"]),
        (GOOD.replace("dwell_time_s = 0.5", "dwell_time_s = 9.0"), ["'dwell_time_s'", "less than or equal to 5"]),
        (GOOD.replace("seed = 7\n", ""), ["'seed'", "missing"]),
        (GOOD + "dwell_time_ms = 500\n", ["'dwell_time_ms'", "unknown field"]),
        (GOOD.replace('title = "Custom reach"', 'title = ""'), ["'title'", "at least 1 character"]),
        (GOOD.replace('name = "custom"', 'name = "../etc"'), ["'name'", "pattern"]),
        (GOOD.replace('name = "custom"', 'name = "other"'), ["'name'", "expected the file's name 'custom'", "'other'"]),
    ],
)
def test_bad_fields_are_named(content: str, expected_parts: list[str]) -> None:
    message = _error_for(content)
    assert message.startswith("/levels/custom.toml")
    for part in expected_parts:
        assert part in message, (part, message)


def test_toml_syntax_error_names_line() -> None:
    message = _error_for(GOOD.replace("trials = 3", "trials = = 3"))
    assert "/levels/custom.toml: not valid TOML" in message
    assert "line 5" in message


def test_missing_file_and_unknown_name(tmp_path: Path) -> None:
    with pytest.raises(LevelFileError, match=r"missing\.toml: cannot read"):
        load_level(tmp_path / "missing.toml")
    with pytest.raises(LevelFileError, match=r"Unknown level 'jump'.*Available levels: .*reach"):
        load_level("jump")


def test_not_utf8_file_rejected(tmp_path: Path) -> None:
    path = tmp_path / "custom.toml"
    path.write_bytes(b"name = \"\xff\"\n")
    with pytest.raises(LevelFileError, match=r"custom\.toml: cannot read"):
        load_level(path)


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("content", "expected_parts"),
    [
        (GOOD.replace("trials = 3", 'trials = "8"'), ["'trials'", "valid integer", "'8'"]),
        (GOOD.replace("trials = 3", "trials = 8.0"), ["'trials'", "valid integer", "8.0"]),
        (GOOD.replace("trials = 3", "trials = true"), ["'trials'", "valid integer", "True"]),
        (GOOD.replace("trials = 3", "trials = 1" + "0" * 400), ["'trials'", "less than or equal to 100"]),
        (GOOD.replace("seed = 7", "seed = -" + "9" * 400), ["'seed'", "greater than or equal to 0"]),
        (GOOD.replace("dwell_time_s = 0.5", 'dwell_time_s = "0.5"'), ["'dwell_time_s'", "valid number", "'0.5'"]),
        (GOOD.replace("dwell_time_s = 0.5", "dwell_time_s = 1" + "0" * 400), ["'dwell_time_s'", "valid number"]),
        (GOOD.replace("dwell_time_s = 0.5", "dwell_time_s = 1e400"), ["'dwell_time_s'", "finite number", "inf"]),
        (GOOD.replace("dwell_time_s = 0.5", "dwell_time_s = nan"), ["'dwell_time_s'", "finite number", "nan"]),
        (GOOD.replace('title = "Custom reach"', 'title = "Cus\\u0000tom"'), ["'title'", "U+0000 at character 4"]),
        (GOOD.replace('title = "Custom reach"', 'title = "A\\tB"'), ["'title'", "U+0009", "control character"]),
        (GOOD + 'description = "Go\\u001b[31m"\n', ["'description'", "U+001B at character 3"]),
        (GOOD + 'description = """one\nline"""\n', ["'description'", "U+000A"]),
        (GOOD.replace('kind = "reach"', "kind = 1"), ["'kind'", "expected one of 'reach'", "got 1"]),
        (GOOD.replace('["hands"]', '"hands"'), ["'models'", "valid tuple", "'hands'"]),
        (GOOD.replace('["hands"]', "[true]"), ["'models.0'", "'hands', 'pose' or 'face'"]),
        (GOOD + "dwell_time = 0.5\n", ["'dwell_time'", "unknown field", "did you mean 'dwell_time_s'?",
                                      "levels/README.md"]),
        (GOOD + "colour = 'blue'\n", ["'colour'", "unknown field", "a reach level file has the fields schema_version"]),
    ],
)
def test_wrong_types_and_hostile_values_are_named(content: str, expected_parts: list[str]) -> None:
    message = _error_for(content)
    assert message.startswith("/levels/custom.toml: field ")
    assert "schema.py" not in message
    for part in expected_parts:
        assert part in message, (part, message)


FIELD_LIST = re.compile(r"a (?P<kind>\w+) level file has the fields (?P<names>[\w, ]+)\.")


@pytest.mark.parametrize("name", list_levels())
def test_an_unknown_field_is_named_with_every_field_of_its_kind(name: str) -> None:
    """The message names the unknown field and lists exactly the fields the kind's schema allows (any order)."""
    text = (REPO_ROOT / "levels" / "catalogue" / f"{name}.toml").read_text(encoding="utf-8")
    message = _error_for(text + "colour_norm = 0.5\n", name=name)
    assert message.startswith(f"/levels/{name}.toml: field 'colour_norm': unknown field; "), message
    found = FIELD_LIST.search(message)
    assert found is not None, message
    schema = family_for(found["kind"]).schema
    assert found["kind"] == parse_level(text, source=f"{name}.toml", expected_name=name).kind
    assert sorted(found["names"].split(", ")) == sorted(schema.model_fields)


@pytest.mark.parametrize(
    ("content", "expected_parts"),
    [
        (GOOD.replace("seed = 7", "seed = " + "9" * 5000), ["/levels/custom.toml, line 10:", "too many digits"]),
        (GOOD + "extra = " + DEEP + "\n", ["/levels/custom.toml, line 11:", "nested more than 100 levels"]),
        ("a = 1\n" + "b = " + "{c = " * 100_000 + "1" + "}" * 100_000, ["/levels/custom.toml, line 2:", "nested"]),
    ],
)
def test_unparsable_files_name_the_line(content: str, expected_parts: list[str]) -> None:
    message = _error_for(content)
    for part in expected_parts:
        assert part in message, (part, message)


def test_folders_devices_and_pipes_are_named_for_what_they_are(tmp_path: Path) -> None:
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    cases = {folder: "is a folder", Path(os.devnull): "is a device"}
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.toml"
        os.mkfifo(fifo)
        cases[fifo] = "is a named pipe"  # refused at once: opening it for reading would wait for a writer
    for path, words in cases.items():
        with pytest.raises(LevelFileError) as caught:
            load_level(path)
        assert str(caught.value).startswith(f"{path}: cannot read the level file: {words}"), str(caught.value)


def test_not_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "custom.toml"
    path.write_bytes(GOOD.encode().replace(b"Custom reach", b"Caf\xe9"))
    with pytest.raises(LevelFileError, match=r"custom\.toml: cannot read the level file: line 3: byte 0xe9"):
        load_level(path)


@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family.kind)
def test_the_level_readme_lists_every_field_of_every_family(family: Family[Any, Any]) -> None:
    readme = (REPO_ROOT / "levels" / "README.md").read_text(encoding="utf-8")
    assert issubclass(family.schema, LevelFile)
    for name in family.schema.field_names():
        assert f"`{name}`" in readme, name
    assert f'`"{family.kind}"`' in readme


def test_the_level_readme_names_every_kind_in_its_table_and_a_section_each() -> None:
    readme = (REPO_ROOT / "levels" / "README.md").read_text(encoding="utf-8")
    kind_row = next(line for line in readme.splitlines() if line.startswith("| `kind` |"))
    for kind in known_kinds():
        assert f'`"{kind}"`' in kind_row, kind
        assert f'### `kind = "{kind}"`' in readme, kind
