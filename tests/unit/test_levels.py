"""Level files: every catalogue level loads; every kind of bad file is rejected with a precise message."""

from __future__ import annotations

from pathlib import Path

import pytest

from levels.errors import LevelFileError
from levels.loader import list_levels, load_level, parse_level
from levels.schema import LevelFile, LevelKind
from tracking.frames import TrackingModel

GOOD = """\
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
    assert level.kind is LevelKind.REACH
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
        (GOOD.replace('kind = "reach"', 'kind = "jump"'), ["'kind'", "'reach'", "'jump'"]),
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
    assert "line 4" in message


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
