"""docs/make_screenshots.py: its options, and the README's screenshots: every catalogue level played with scripted mouse
input, the rest and the results from a replayed recording."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pygame
import pytest

from docs.make_screenshots import main
from game.session import DEFAULT_WINDOW_PX
from game.theme import CURSOR
from levels.loader import list_levels, load_level

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


def test_the_screenshots_show_every_level_its_rest_the_results_and_the_menu(tmp_path: Path) -> None:
    out_dir = tmp_path / "new" / "screenshots"
    assert main([str(out_dir)]) == 0
    pygame.quit()
    names = sorted(path.name for path in out_dir.iterdir())
    level_names = [f"level-{name}.png" for name in list_levels()]
    assert len(level_names) >= 11  # reach, grasp, head, head-trick, hold, stretch, breathe, three traces, assessment
    assert names == sorted(["level.png", "menu.png", "rest.png", "results.png", *level_names])
    images = {name: pygame.image.load(str(out_dir / name)) for name in names}
    for name in names:
        assert (out_dir / name).read_bytes().startswith(PNG_SIGNATURE), name
        assert images[name].get_size() == DEFAULT_WINDOW_PX, name
    assert len({(out_dir / name).read_bytes() for name in names}) == len(names)  # each a different moment or level
    # A level in action: the cursor is drawn (the breathing guide draws none: only its circle moves).
    breathing = {f"level-{name}.png" for name in list_levels() if load_level(name).kind == "breathe"}
    for name in [*level_names, "level.png"]:
        assert _has_cursor(images[name]) != (name in breathing), name


# Pixels of the cursor ring's colour (game/theme.py CURSOR, within anti-aliasing) below the status bar: only a level
# in play with a moved mouse or a tracked hand draws the ring (about 300 of them at 720 px high).
CURSOR_TOLERANCE = 12
CURSOR_MIN_PIXELS = 60


def _has_cursor(image: pygame.Surface) -> bool:
    pixels = pygame.surfarray.array3d(image).astype(int)  # (x, y, rgb)
    below_status_bar = pixels[:, image.get_height() // 12 :, :]
    near = np.all(np.abs(below_status_bar - np.array(CURSOR)) <= CURSOR_TOLERANCE, axis=2)
    return int(near.sum()) >= CURSOR_MIN_PIXELS
