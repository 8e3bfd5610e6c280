"""Shared test set-up: headless SDL before pygame is imported, and the real media in ../shared/media."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.paths import MEDIA_DIR

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")


@pytest.fixture(scope="session")
def media_dir() -> Path:
    """The real photos and videos; a test that needs them skips, saying so, when the folder is missing."""
    if not (MEDIA_DIR / "hand_video.mp4").is_file():
        pytest.skip(f"real test media not found at {MEDIA_DIR} (expected ../shared/media beside the repo)")
    return MEDIA_DIR
