"""A rest suggested during a level (issue 8, "Fatigue and stress"), in a whole session: ``run_session`` headless with
the mouse and a simulated clock, today's plan in SQLite records. When the breaks rise the staircase steps down and
suggests a rest; the level shows it at once, between two trials, held for its reading time, then goes on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pygame
import pytest

from game.scenes.level import LevelScene
from game.session_flow import REST_SUGGESTED_NOTE
from game.theme import BACKGROUND, NOTICE
from levels.feedback import TrialFeedback
from levels.reach.rules import Phase, ReachState
from levels.trial import TrialResult
from tests.support.adaptive_sessions import AdaptiveSession, add_patient_with_plan
from tests.support.game_screens import shows_text

FRAME_S = 1.0 / 60.0  # the simulated clock's frame


@pytest.fixture(autouse=True)
def _no_records_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTORPLAY_DB", raising=False)
    monkeypatch.delenv("MOTORPLAY_DATA_DIR", raising=False)


@dataclass(frozen=True)
class NoticeFrame:
    """One drawn level frame while a notice showed."""

    scene: int  # which level scene drew it (each set is a new scene), counted from 0
    trials: int  # trials ended by then
    notice: str
    phase: Phase
    phase_elapsed_s: float
    shown_for_s: float  # the notice's reading time when it first showed


def test_rising_breaks_suggest_a_rest_on_the_level_screen_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The movement analysis is stood in for (the mouse is not analysed): from the sixth trial on, one break each;
    after the seventh the staircase steps down for fatigue and suggests a rest."""

    def feedback(scene: LevelScene, result: TrialResult, effector: Any) -> TrialFeedback:
        return TrialFeedback(mean_sparc=-1.5, break_count=1 if result.index >= 5 else 0)

    monkeypatch.setattr(LevelScene, "_trial_feedback", feedback)
    frames: list[NoticeFrame] = []
    seen_on_screen: list[int] = []  # trials ended when the words were found on the window, once per notice
    drawing: list[LevelScene] = []  # every level scene that drew a notice, in order
    real_draw = LevelScene.draw

    def draw(scene: LevelScene, surface: pygame.Surface) -> None:
        real_draw(scene, surface)
        state = scene.state
        if scene.notice is None or not isinstance(state, ReachState):
            return
        trials = len(state.progress.results)
        if not any(seen is scene for seen in drawing):
            drawing.append(scene)
        number = next(index for index, seen in enumerate(drawing) if seen is scene)
        first = not frames or frames[-1].scene != number or frames[-1].trials != trials
        shown_for_s = scene.notice_left_s if first else frames[-1].shown_for_s
        frames.append(NoticeFrame(number, trials, scene.notice, state.phase, state.phase_elapsed_s, shown_for_s))
        heading = scene.context.theme.heading
        if first and shows_text(surface, scene.notice, heading, NOTICE, background=BACKGROUND):
            seen_on_screen.append(trials)

    monkeypatch.setattr(LevelScene, "draw", draw)
    data_dir = tmp_path / "data"
    add_patient_with_plan(tmp_path, data_dir, limit_min=10, repetitions=8, sets=2)
    session = AdaptiveSession(monkeypatch, tmp_path, "tired")
    result = session.play(data_dir, max_seconds=80.0)
    assert not result.errors, result.errors

    run = session.document()["levels"][0]
    assert len(run["trials"]) == 16  # both sets played to their end: the level went on after the notice
    suggested = [c["after_trial"] for c in run["difficulty_changes"] if c["rest_suggested"]]
    assert suggested == [7, 15]  # the seventh trial of each set
    # The patient read the suggestion on the level's screen, between the seventh and eighth trials of each set
    assert seen_on_screen == [7, 7]
    assert {frame.notice for frame in frames} == {REST_SUGGESTED_NOTE}
    assert {frame.trials for frame in frames} == {7}
    assert all(frame.phase is Phase.RESTING for frame in frames)  # between trials, never over a target
    pause_s = 1.0  # the reach catalogue level's rest between targets (inter_trial_pause_s)
    scenes = list(dict.fromkeys(frame.scene for frame in frames))
    assert len(scenes) == 2  # one notice in each set's level scene
    for set_frames in ([frame for frame in frames if frame.scene == scene] for scene in scenes):
        reading_s = set_frames[0].shown_for_s
        assert reading_s > pause_s
        # shown for its reading time (one frame a draw)
        assert len(set_frames) * FRAME_S == pytest.approx(reading_s, abs=2 * FRAME_S)
        # the rules' time stood still for what reading needs beyond the level's own rest, then went on
        held = [frame for frame in set_frames if frame.phase_elapsed_s == set_frames[0].phase_elapsed_s]
        assert len(held) * FRAME_S == pytest.approx(reading_s - pause_s, abs=2 * FRAME_S)
        assert set_frames[-1].phase_elapsed_s > set_frames[0].phase_elapsed_s
