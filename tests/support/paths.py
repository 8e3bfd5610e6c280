"""Where the repository, the test fixtures and the real media are, for tests and scripts in any folder."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES_DIR = REPO_ROOT / "tests" / "fixtures"
# A real hand's 21 landmarks (from ../shared/media/hand_video.mp4), the template of the synthetic recordings.
HAND_TEMPLATE_PATH = FIXTURES_DIR / "hand_landmarks_open.json"
MEDIA_DIR = REPO_ROOT.parent / "shared" / "media"
