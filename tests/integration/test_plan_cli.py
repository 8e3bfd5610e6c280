"""``motorplay plan ...`` and ``motorplay simulate``: run in-process on a fresh SQLite records folder."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest

from clinic.pin import verify_pin
from game.cli import main

PLAN = """\
schema_version = 1
affected_side = "left"
session_limit_min = 30

[[levels]]
name = "head"
repetitions = 6
start_difficulty = 0.2
caps = { range_fraction = { max = 0.6 } }
"""


@pytest.fixture
def data(tmp_path: Path) -> list[str]:
    options = ["--data-dir", str(tmp_path / "data")]
    assert main(["patients", "add", "--id", "P-1", *options]) == 0
    return options


def test_import_show_export_and_history(tmp_path: Path, data: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN, encoding="utf-8")
    assert main(["plan", "import", str(plan), "--patient", "P-1", "--author", "dr-a", *data]) == 0
    assert main(["plan", "import", str(plan), "--patient", "P-1", "--author", "dr-b", *data]) == 0
    capsys.readouterr()
    assert main(["plan", "show", "--patient", "P-1", *data]) == 0
    shown = capsys.readouterr().out
    assert "version 2 by dr-b" in shown and "version 1: dr-a" in shown
    assert "cap: range_fraction at most 0.6" in shown and "within 0..0.75" in shown
    assert "A trial succeeds when the goal is met, with no dystonic break, and smoothness (SPARC) above -3.0" in shown
    out = tmp_path / "out.toml"
    assert main(["plan", "export", "--patient", "P-1", "--out", str(out), *data]) == 0
    assert out.read_text(encoding="utf-8") == PLAN


def test_validate_names_the_field_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "bad.toml"
    plan.write_text(PLAN.replace("max = 0.6", "max = 0.1"), encoding="utf-8")
    assert main(["plan", "validate", str(plan)]) == 2
    error = capsys.readouterr().err
    assert f"{plan}, field 'levels.0.caps.range_fraction.max'" in error
    good = tmp_path / "good.toml"
    good.write_text(PLAN, encoding="utf-8")
    assert main(["plan", "validate", str(good)]) == 0


def _editor(tmp_path: Path, replacement: str) -> str:
    """An $EDITOR that overwrites the file it is given with ``replacement``."""
    script = tmp_path / "editor.py"
    script.write_text(
        f"import sys, pathlib\npathlib.Path(sys.argv[1]).write_text({replacement!r}, encoding='utf-8')\n",
        encoding="utf-8",
    )
    return f"{sys.executable} {script}"


def test_edit_saves_only_a_valid_copy(
    tmp_path: Path, data: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", _editor(tmp_path, PLAN.replace("repetitions = 6", "repetitions = 0")))
    assert main(["plan", "edit", "--patient", "P-1", *data]) == 2
    error = capsys.readouterr().err
    assert "field 'levels.0.repetitions'" in error and "not saved; your copy is kept at" in error
    kept = Path(error.rsplit("kept at ", 1)[1].strip())
    assert "repetitions = 0" in kept.read_text(encoding="utf-8")
    kept.unlink()
    monkeypatch.setenv("EDITOR", _editor(tmp_path, PLAN))
    assert main(["plan", "edit", "--patient", "P-1", "--author", "dr-c", *data]) == 0
    assert "Saved version 1" in capsys.readouterr().out


def test_pin_stores_only_a_hash(
    tmp_path: Path, data: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("7351\n"))
    assert main(["plan", "pin", "--patient", "P-1", "--pin-stdin", *data]) == 0
    pin_file = tmp_path / "data" / "pins" / "P-1.pin"
    text = pin_file.read_text(encoding="utf-8")
    assert verify_pin("7351", text) and not verify_pin("7352", text)
    assert stat.S_IMODE(pin_file.stat().st_mode) == 0o600
    monkeypatch.setattr(sys, "stdin", io.StringIO("73\n"))
    assert main(["plan", "pin", "--patient", "P-1", "--pin-stdin", *data]) == 2
    assert "4 to 8 digits" in capsys.readouterr().err


def test_simulate_json_and_plot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plot = tmp_path / "run.png"
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN, encoding="utf-8")
    assert main(["simulate", "--level", "head", "--plan", str(plan), "--skill", "0.95", "--fatigue", "0",
                 "--break-rate", "0.02", "--trials", "40", "--seed", "4", "--json", "--plot", str(plot)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"trials", "success_rate", "final_difficulty"}
    assert [set(t) for t in result["trials"]] == [{"trial", "difficulty", "success", "breaks", "reason"}] * 40
    assert max(t["difficulty"] for t in result["trials"]) <= 0.75  # the plan's cap on range_fraction
    assert result["success_rate"] == sum(t["success"] for t in result["trials"]) / 40
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_simulate_refuses_a_level_not_in_the_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN, encoding="utf-8")
    assert main(["simulate", "--level", "reach", "--plan", str(plan), "--skill", "0.5"]) == 2
    assert "the plan has no level 'reach'" in capsys.readouterr().err


def test_levels_show_prints_the_pairs_and_the_success_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["levels", "show", "reach"]) == 0
    shown = capsys.readouterr().out
    assert "target_radius_norm = [0.12, 0.06]    # easiest, hardest" in shown
    assert "A trial succeeds when the goal is met, with no dystonic break, and smoothness (SPARC) above -3.0." in shown
