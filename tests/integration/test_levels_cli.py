"""``motorplay levels list|show|validate|schema`` through ``game.cli.main``: the catalogue as a therapist reads it,
files checked with the file and the field (or line) named and exit status 2, the JSON Schema an editor uses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.cli import main
from levels.difficulty import ADAPTATION_FIELDS
from levels.families import FAMILIES, known_kinds
from levels.loader import list_levels, load_level
from levels.reach.schema import ReachLevel
from tests.support.session_flows import reach_level_file


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_prints_one_level_a_line_name_first_then_family_and_description(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "levels", "list")
    assert code == 0, err
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == list_levels()
    for line in lines:
        name, kind, *description = line.split()
        level = load_level(name)
        assert kind == level.kind and kind in known_kinds()
        assert description, line  # a short description follows
        assert len(line) <= 100
    reach = next(line for line in lines if line.startswith("reach "))
    assert "Move your hand to the circle" in reach


def test_show_lists_every_field_with_its_value_and_meaning(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "levels", "show", "reach")
    assert code == 0
    level = load_level("reach")
    for name in level.field_names():
        assert any(line.startswith(f"{name} ") for line in out.splitlines()), name
    assert isinstance(level, ReachLevel)
    assert f"trials = {level.trials}    # targets in one play of the level" in out


def test_show_reads_a_file_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = reach_level_file(tmp_path, "mine", sets=3)
    code, out, _ = run(capsys, "levels", "show", str(path))
    assert code == 0 and "sets = 3" in out and "Mine (mine, family reach)" in out


def test_validate_a_good_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = reach_level_file(tmp_path, "mine")
    code, out, err = run(capsys, "levels", "validate", str(path))
    assert (code, err) == (0, "")
    assert out.strip() == f"{path}: valid (reach level 'mine': Mine)"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("trials = 2", 'trials = "2"'), "field 'trials'"),
        (("sets = 1", "sets = 0"), "field 'sets'"),
        (("rest_between_sets_s = 2.0", "rest_between_sets_s = 9999.0"), "field 'rest_between_sets_s'"),
        (("seed = 11", "seed = = 11"), "line 12"),
        (('kind = "reach"', 'kind = "dance"'), "field 'kind'"),
    ],
)
def test_validate_names_the_file_and_the_field_or_line_with_exit_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: tuple[str, str], expected: str
) -> None:
    good = reach_level_file(tmp_path, "mine")
    text = good.read_text(encoding="utf-8")
    assert change[0] in text
    good.write_text(text.replace(change[0], change[1]), encoding="utf-8")
    code, _, err = run(capsys, "levels", "validate", str(good))
    assert code == 2
    assert err.startswith(f"motorplay levels validate: error: {good}")
    assert expected in err, err


def test_validate_several_files_reports_each_and_fails_if_one_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = reach_level_file(tmp_path, "good")
    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text(encoding="utf-8").replace('name = "good"', 'name = "bad"') + "colour = 1\n")
    code, out, err = run(capsys, "levels", "validate", str(good), str(bad))
    assert code == 2
    assert f"{good}: valid" in out
    assert f"{bad}" in err and "'colour'" in err


def test_schema_is_the_union_of_the_families_discriminated_on_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "levels", "schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["discriminator"]["propertyName"] == "kind"
    assert set(schema["discriminator"]["mapping"]) == set(known_kinds())
    for family in FAMILIES:
        definition = schema["$defs"][family.schema.__name__]
        assert definition["additionalProperties"] is False  # a typo is refused, as by the loader
        assert set(definition["properties"]) == set(family.schema.field_names()) | set(ADAPTATION_FIELDS)
        assert {"schema_version", "name", "title", "kind", "models"} <= set(definition["required"])
        assert "sets" in definition["properties"] and "sets" not in definition["required"]
    out_path = tmp_path / "level.schema.json"
    code, _, _ = run(capsys, "levels", "schema", "--out", str(out_path))
    assert code == 0 and json.loads(out_path.read_text(encoding="utf-8")) == schema


def test_levels_alone_prints_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "levels")
    assert code == 2 and "validate" in out
