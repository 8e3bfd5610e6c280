"""The difficulty index: ``[easy, hard]`` pairs in level files, checked at both ends, interpolated, capped."""

from __future__ import annotations

import math

import pytest

from levels.difficulty import level_at
from levels.errors import LevelFileError
from levels.loader import load_level, load_level_spec, parse_level, parse_level_spec
from levels.reach.schema import ReachLevel

REACH = """\
schema_version = 1
name = "custom"
title = "Reach"
kind = "reach"
models = ["hands"]
seed = 1
trials = 8
trial_timeout_s = 20.0
dwell_time_s = 0.5
"""


def _error(extra: str) -> str:
    with pytest.raises(LevelFileError) as caught:
        parse_level(REACH + extra, source="/levels/custom.toml", expected_name="custom")
    return str(caught.value)


def test_a_pair_is_interpolated_by_the_index() -> None:
    spec = parse_level_spec(REACH + "target_radius_norm = [0.12, 0.05]\n", source="x.toml")
    values = [level_at(spec, index).target_radius_norm for index in (0.0, 0.5, 1.0)]
    assert values == [0.12, 0.085, 0.05]


def test_a_whole_number_field_is_rounded_and_out_of_range_indices_are_clamped() -> None:
    spec = parse_level_spec(REACH.replace("trials = 8", "trials = [4, 11]") + "target_radius_norm = 0.1\n",
                            source="x.toml")
    assert level_at(spec, 0.5).trials == 8  # 7.5 rounds to even
    assert level_at(spec, 2.0).trials == 11
    assert level_at(spec, -1.0).trials == 4
    assert level_at(spec, math.nan).trials == 4  # NaN is never passed on: the easiest


@pytest.mark.parametrize(
    ("extra", "parts"),
    [
        ("target_radius_norm = [0.12, 0.01]\n", ["hard end (difficulty 1)", "'target_radius_norm'", "0.02"]),
        ("target_radius_norm = [0.5, 0.05]\n", ["easy end (difficulty 0)", "'target_radius_norm'"]),
        ("target_radius_norm = [0.1, 0.05, 0.02]\n", ["'target_radius_norm'", "pair [easy, hard]"]),
        ("target_radius_norm = [0.1, 'x']\n", ["'target_radius_norm'", "pair [easy, hard]"]),
        ("target_radius_norm = 0.1\nregion = ['left', 'right']\n", ["'region'"]),
        ("target_radius_norm = 0.1\ndifficulty_step = 0.0\n", ["'difficulty_step'", "greater than 0"]),
        ("target_radius_norm = 0.1\nsuccess_sparc_floor = 2.0\n", ["'success_sparc_floor'"]),
    ],
)
def test_a_bad_pair_or_setting_is_named(extra: str, parts: list[str]) -> None:
    message = _error(extra)
    assert message.startswith("/levels/custom.toml")
    for part in parts:
        assert part in message, (part, message)


def test_the_seed_is_never_a_pair() -> None:
    with pytest.raises(LevelFileError, match="'seed': an \\[easy, hard\\] pair is only for a numeric difficulty"):
        parse_level(REACH.replace("seed = 1", "seed = [1, 2]") + "target_radius_norm = 0.1\n", source="x.toml")


def test_trials_pair_must_be_whole_numbers() -> None:
    with pytest.raises(LevelFileError, match="'trials': expected a pair of whole numbers"):
        parse_level(REACH.replace("trials = 8", "trials = [4.0, 8]") + "target_radius_norm = 0.1\n", source="x.toml")


def test_caps_win_over_the_ramp() -> None:
    spec = parse_level_spec(REACH + "target_radius_norm = [0.12, 0.05]\n", source="x.toml")
    assert level_at(spec, 1.0, {"target_radius_norm": (0.08, None)}).target_radius_norm == 0.08
    assert level_at(spec, 0.0, {"target_radius_norm": (None, 0.1)}).target_radius_norm == 0.1
    assert level_at(spec, 0.5, {"target_radius_norm": (0.02, 0.3)}).target_radius_norm == 0.085


def test_the_catalogue_keeps_its_values_at_the_start_and_ramps_both_ways() -> None:
    reach = load_level("reach")
    assert isinstance(reach, ReachLevel)
    assert (reach.target_radius_norm, reach.dwell_time_s) == (0.09, 0.6)
    spec = load_level_spec("reach")
    easy, hard = level_at(spec, 0.0), level_at(spec, 1.0)
    assert easy.target_radius_norm > hard.target_radius_norm
    assert easy.dwell_time_s < hard.dwell_time_s
    assert spec.adaptation.success_sparc_floor == -3.0
    assert load_level_spec("hold").adaptation.success_in_tolerance_floor == 0.8
    assert load_level("head").range_fraction == 0.5
