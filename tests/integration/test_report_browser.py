"""The progress report rendered by a real browser (Debian's headless Chromium driven by Playwright): the plots load."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from game.cli import main
from tests.support.browser import chromium_or_skip, playwright_or_skip
from tests.support.progress_records import PATIENT, fill_store

# A plot is not blank: its screenshot has dark pixels (axes, lines, text) on the white page, well above none.
MIN_INK_FRACTION = 0.005
INK_LEVEL = 128


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("records")
    fill_store(data_dir, sessions=8)
    out = data_dir / "report.html"
    assert main(["report", "--patient", PATIENT, "--out", str(out), "--data-dir", str(data_dir)]) == 0
    return out


def test_chromium_renders_every_plot_of_the_report(report_file: Path, tmp_path: Path) -> None:
    executable = chromium_or_skip()
    playwright_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(executable), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 1400})
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            page.goto(report_file.as_uri(), wait_until="load")
            sizes = page.eval_on_selector_all(
                "img", "images => images.map(i => [i.complete, i.naturalWidth, i.naturalHeight, i.alt])"
            )
            shot = page.locator("img").first.screenshot()
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
            print_pdf = page.pdf(format="A4")  # the browser's own print of the page (what a therapist prints)
        finally:
            browser.close()
    assert len(sizes) == 4  # two levels, the injection cycle, the assessments
    assert all(complete and width > 0 and height > 0 for complete, width, height, _ in sizes), sizes
    assert [url for url in requests if not url.startswith(("file:", "data:"))] == []  # no network
    pixels = np.asarray(Image.open(io.BytesIO(shot)).convert("L"))
    assert pixels.shape[1] > 400
    assert np.mean(pixels < INK_LEVEL) > MIN_INK_FRACTION
    assert print_pdf.startswith(b"%PDF-")
