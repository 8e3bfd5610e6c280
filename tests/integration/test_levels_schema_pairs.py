"""``motorplay levels schema`` and ``levels validate`` with ``[easy, hard]`` pairs: every difficulty parameter of the
JSON Schema takes a number or a pair within the field's range, the catalogue's pair files validate against it, and
a pair outside the range is refused with the field named (by the schema and by ``levels validate``)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import tomllib

from game.cli import main
from levels.difficulty import ADAPTATION_FIELDS, NOT_RAMPABLE, numeric_kind
from levels.families import FAMILIES, level_file_adapter
from levels.loader import list_levels, load_level_spec

RANGE_KEYWORDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def schema_from_cli(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main(["levels", "schema"]) == 0
    schema: dict[str, Any] = json.loads(capsys.readouterr().out)
    return schema


def catalogue_data(name: str) -> dict[str, Any]:
    text = (resources.files("levels.catalogue") / f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def number_members(prop: dict[str, Any]) -> list[dict[str, Any]]:
    members = prop.get("anyOf", [prop])
    return [member for member in members if member.get("type") in ("number", "integer")]


def pair_members(prop: dict[str, Any]) -> list[dict[str, Any]]:
    return [member for member in prop.get("anyOf", []) if member.get("type") == "array"]


def test_every_difficulty_parameter_takes_a_number_or_a_pair_in_its_range(
    capsys: pytest.CaptureFixture[str],
) -> None:
    schema = schema_from_cli(capsys)
    plain = level_file_adapter().json_schema()["$defs"]  # pydantic's own schema: the ranges the loader checks
    checked = 0
    for family in FAMILIES:
        name = family.schema.__name__
        properties = schema["$defs"][name]["properties"]
        for field, original in plain[name]["properties"].items():
            prop = properties[field]
            if field in NOT_RAMPABLE or numeric_kind(family.schema, field) is None:
                assert not pair_members(prop), field  # the seed, the version, texts: never a pair
                continue
            (number,) = number_members(prop)
            (pair,) = pair_members(prop)
            (original_number,) = number_members(original)
            ranges = {key: original_number[key] for key in RANGE_KEYWORDS if key in original_number}
            assert ranges, (name, field)  # every difficulty parameter has a range
            assert {key: number[key] for key in ranges} == ranges
            assert pair["minItems"] == pair["maxItems"] == 2 and pair["items"] is False
            for end in pair["prefixItems"]:
                assert end["type"] == original_number["type"] and {key: end[key] for key in ranges} == ranges
            checked += 1
        assert set(ADAPTATION_FIELDS) <= set(properties)
        assert properties["difficulty_step"]["exclusiveMinimum"] == 0.0
    assert checked >= 40  # the families' numeric parameters, all of them


def test_the_schema_validates_pair_files_and_names_a_pair_out_of_range(capsys: pytest.CaptureFixture[str]) -> None:
    validator = jsonschema.Draft202012Validator(schema_from_cli(capsys))
    for name in list_levels():
        assert not list(validator.iter_errors(catalogue_data(name))), name
    head = catalogue_data("head-gates")
    assert isinstance(head["gate_width_norm"], list)  # the catalogue's own pairs
    head["gate_width_norm"] = [0.25, 0.01]
    error = jsonschema.exceptions.best_match(validator.iter_errors(head))
    assert list(error.absolute_path) == ["gate_width_norm", 1]
    head["gate_width_norm"], head["seed"] = 0.2, [1, 2]
    error = jsonschema.exceptions.best_match(validator.iter_errors(head))
    assert list(error.absolute_path) == ["seed"]


PAIR_FILE = """schema_version = 1
name = "{name}"
title = "Pairs"
kind = "head"
goal = "gates"
models = ["face"]
trials = [4, 8]
start_difficulty = 0.4
difficulty_step = 0.05
success_sparc_floor = -2.5
range_fraction = [0.3, 0.9]
gates_per_trial = [1, 5]
gate_width_norm = {width}
gate_time_s = [10.0, 2.0]
seed = 3
"""


def test_validate_accepts_pair_files_and_refuses_a_pair_out_of_range_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "pairs.toml"
    good.write_text(PAIR_FILE.format(name="pairs", width="[0.3, 0.1]"), encoding="utf-8")
    assert main(["levels", "validate", str(good), "head-gates", "head", "reach", "hold"]) == 0
    out = capsys.readouterr().out
    assert f"{good}: valid (head level 'pairs': Pairs)" in out
    spec = load_level_spec(str(good))
    assert spec.adaptation.difficulty_step == 0.05 and spec.ramp("gate_time_s") is not None
    bad = tmp_path / "bad.toml"
    bad.write_text(PAIR_FILE.format(name="bad", width="[0.3, 0.01]"), encoding="utf-8")
    assert main(["levels", "validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad} (hard end (difficulty 1)): field 'gate_width_norm'" in err, err
    assert "greater than or equal to 0.05" in err
    odd = tmp_path / "odd.toml"
    odd.write_text(PAIR_FILE.format(name="odd", width="[0.3, 0.2, 0.1]"), encoding="utf-8")
    assert main(["levels", "validate", str(odd)]) == 2
    assert "field 'gate_width_norm': expected a number or a pair [easy, hard]" in capsys.readouterr().err
