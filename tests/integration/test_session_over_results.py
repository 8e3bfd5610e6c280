"""The results that end a session at the plan's limit (issue 8: today's plan), in a whole session: ``run_session``
headless with the mouse and a simulated clock. Only "End the game" is offered there, and the footer does not offer
Space, which does nothing then."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.scenes.results import ResultsScene
from game.session_flow import TIME_UP_NOTE
from tests.support.adaptive_sessions import AdaptiveSession, add_patient_with_plan


@pytest.fixture(autouse=True)
def _no_records_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTORPLAY_DB", raising=False)
    monkeypatch.delenv("MOTORPLAY_DATA_DIR", raising=False)


def test_the_results_at_the_session_limit_do_not_offer_space(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Limit 6 s, three sets of three targets: the first set ends after the limit; no second set starts."""
    data_dir = tmp_path / "data"
    add_patient_with_plan(tmp_path, data_dir, limit_min=0.1, repetitions=3, sets=3)
    session = AdaptiveSession(monkeypatch, tmp_path, "over")
    result = session.play(data_dir, max_seconds=30.0)
    assert result.time_up and not result.session_complete
    last = session.results[-1]
    assert isinstance(last, ResultsScene) and last.note is not None and TIME_UP_NOTE in last.note
    assert last.session_over
    assert "Space" not in last.footer() and last.footer() == "Q or Escape: end the game."
