"""``motorplay analyze`` on a synthetic landmark recording with known breaks: table, JSON, plot, errors."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.image
import pytest

from game.cli import main
from tests.support.paths import HAND_TEMPLATE_PATH
from tracking.quality_types import BreakKind
from tracking.synthetic import SyntheticHand, load_hand_template, synthetic_hand, synthetic_head

TEMPLATE_PATH = HAND_TEMPLATE_PATH


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> tuple[SyntheticHand, Path]:
    template, _ = load_hand_template(TEMPLATE_PATH)
    synthetic = synthetic_hand(template, seed=3, fps=25.0,
                               breaks=[None, BreakKind.ARREST, BreakKind.JERK, BreakKind.REVERSAL])
    return synthetic, synthetic.write(tmp_path_factory.mktemp("analyze") / "reaches.jsonl")


def test_json_and_plot(recording: tuple[SyntheticHand, Path], tmp_path: Path,
                       capsys: pytest.CaptureFixture[str]) -> None:
    synthetic, path = recording
    out_json, out_png = tmp_path / "out.json", tmp_path / "out.png"
    assert main(["analyze", str(path), "--json", str(out_json), "--plot", str(out_png)]) == 0
    printed = capsys.readouterr().out
    assert "4 movements (hand)" in printed and "mean SPARC" in printed and "not a clinical score" in printed
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["source"] == synthetic.info.name and data["fps"] == 25.0
    assert data["frames"] == data["tracked_frames"] == len(synthetic.frames)
    assert len(data["movements"]) == 4
    found = [(b["kind"], b["t"]) for b in data["breaks"]]
    truth = [(t.kind.value, t.t_s) for t in synthetic.injected]
    assert [k for k, _ in found] == [k for k, _ in truth]
    assert all(abs(a - b) <= 0.35 for (_, a), (_, b) in zip(found, truth, strict=True))
    image = matplotlib.image.imread(out_png)
    assert image.shape[0] > 300 and image.shape[1] > 800


def test_head_effector_on_a_hand_recording_is_a_clear_error(
    recording: tuple[SyntheticHand, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, path = recording
    assert main(["analyze", str(path), "--effector", "head"]) == 2
    error = capsys.readouterr().err
    assert "has no face landmarks" in error and "Traceback" not in error


def test_head_signals_without_face_landmarks_are_not_used(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The pipeline re-derives head angles from face landmarks; a recording without them has no head to analyse.
    path = synthetic_head(seed=0, fps=30.0, excursions=1).write(tmp_path / "head.jsonl")
    assert main(["analyze", str(path)]) == 2
    assert "no hand and no face was tracked" in capsys.readouterr().err


def test_missing_input_and_bad_output_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(tmp_path / "nope.jsonl")]) == 2
    assert "nope.jsonl: no such file" in capsys.readouterr().err
    existing = tmp_path / "x.jsonl"
    existing.write_text("", encoding="utf-8")
    assert main(["analyze", str(existing), "--json", str(tmp_path / "missing" / "out.json")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["analyze", str(existing)]) == 2
    error = capsys.readouterr().err
    assert f"{existing}" in error and ("line 1" in error or "empty" in error) and "Traceback" not in error


def test_analyze_says_its_breaks_use_the_free_definitions_without_a_task(
    recording: tuple[SyntheticHand, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, path = recording
    assert main(["analyze", str(path)]) == 0
    assert "No task: breaks use the free definitions" in " ".join(capsys.readouterr().out.split())
