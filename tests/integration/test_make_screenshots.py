"""docs/make_screenshots.py: its options, and the README's screenshots made from a replayed recording."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from docs.make_screenshots import main
from game.session import DEFAULT_WINDOW_PX

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_help_prints_usage_and_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    assert "usage:" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []  # no folder named "--help", no docs/screenshots


def test_a_file_in_place_of_the_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    not_a_folder = tmp_path / "shots.png"
    not_a_folder.write_bytes(b"")
    with pytest.raises(SystemExit) as exited:
        main([str(not_a_folder)])
    assert exited.value.code == 2
    assert f"{not_a_folder}: is not a folder" in capsys.readouterr().err


def test_the_screenshots_show_the_level_its_rest_the_results_and_the_menu(tmp_path: Path) -> None:
    out_dir = tmp_path / "new" / "screenshots"
    assert main([str(out_dir)]) == 0
    pygame.quit()
    names = sorted(path.name for path in out_dir.iterdir())
    assert names == ["level.png", "menu.png", "rest.png", "results.png"]
    for name in names:
        assert (out_dir / name).read_bytes().startswith(PNG_SIGNATURE), name
        assert pygame.image.load(str(out_dir / name)).get_size() == DEFAULT_WINDOW_PX, name
    assert len({(out_dir / name).read_bytes() for name in names}) == 4  # four different moments of the game
