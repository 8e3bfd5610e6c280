"""The live view in a real browser: headless Chromium (Debian's ``chromium`` or ``chromium-headless-shell``, driven
by Playwright through ``executable_path``; no browser is downloaded) opens the URL that ``motorplay play
--live-view`` printed while a headless game plays a recording, and shows the patient, the level, the trace and the
game's break as it happens. Skipped with the install command when no browser can be had (failed under CI=true)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.support.live_view_game import PATIENT, PLAY_S, START_ALLOWANCE_S, live_game_args, play, read_url

CHROMIUM_BINARIES = ("chromium-headless-shell", "chromium")  # Debian's packages of the same names install them
INSTALL_HINT = "apt-get update && apt-get install -y chromium; pip install playwright (no `playwright install`)"


def _unavailable(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _chromium() -> str:
    for name in CHROMIUM_BINARIES:
        found = shutil.which(name)
        if found:
            return found
    _unavailable(f"no headless Chromium ({', '.join(CHROMIUM_BINARIES)}): {INSTALL_HINT}")
    raise AssertionError("unreachable")


def test_the_page_shows_the_patient_the_trace_and_a_break_of_a_headless_game(tmp_path: Path) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable(f"the playwright package is not installed: {INSTALL_HINT}")
    chromium = _chromium()
    process = play(["--live-view", *live_game_args(tmp_path)])
    try:
        url = read_url(process)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
            try:
                page = browser.new_page(viewport={"width": 1100, "height": 640})
                refused = page.goto(url.split("?")[0])
                assert refused is not None and refused.status == 403
                page.goto(url)
                timeout_ms = (PLAY_S + START_ALLOWANCE_S) * 1000
                page.wait_for_selector("#breaks li", timeout=timeout_ms)
                page.locator("#results li").nth(1).wait_for(timeout=timeout_ms)  # the second trial's result
                breaks = page.locator("#breaks li").all_inner_texts()
                trials = page.locator("#results li").all_inner_texts()
                facts = {name: page.inner_text(f"#{name}") for name in ("patient", "level", "trial", "status")}
                traced = page.evaluate(
                    "() => { const c = document.getElementById('trace');"
                    " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                    " let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; }"
                )
                page.screenshot(path=str(tmp_path / "live_view.png"), full_page=True)
            finally:
                browser.close()
        process.communicate(timeout=PLAY_S + START_ALLOWANCE_S)
    finally:
        process.kill()
    assert process.returncode == 0
    assert facts == {"patient": PATIENT, "level": "Live reach (live)", "trial": "2 of 2", "status": "live"}, facts
    assert breaks and all(text.startswith("trial 1: break at ") for text in breaks), breaks
    assert [text.split(":")[0] for text in trials] == ["live trial 1", "live trial 2"], trials
    assert traced > 100, "the trace canvas is empty"
