"""Find a headless Chromium installed from Debian (``chromium`` or ``chromium-headless-shell``) for browser tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Debian's package names, and the binaries they install; .ci/run installs one of them.
CHROMIUM_BINARIES = ("chromium-headless-shell", "chromium")
INSTALL_HINT = "apt-get update && apt-get install -y chromium (or chromium-headless-shell); pip install playwright"


def chromium_or_skip() -> Path:
    """Return Debian's Chromium; skip the test with the install command when it is missing (fail under CI=true)."""
    for name in CHROMIUM_BINARIES:
        found = shutil.which(name)
        if found:
            return Path(found)
    message = f"no headless Chromium found ({', '.join(CHROMIUM_BINARIES)}): {INSTALL_HINT}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def playwright_or_skip() -> None:
    """Skip (fail under CI=true) when the Playwright package is not installed."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        message = f"the playwright package is not installed: {INSTALL_HINT}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
