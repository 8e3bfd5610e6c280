"""Calm cues from the mixer: soft tones made with numpy, silent without an audio device, muted with N; the level
plays a target, hit or trial-done cue when its rules say so."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pygame
import pytest

from game.mouse_input import MouseInput
from game.renderers import renderer_for
from game.scenes.level import LevelScene
from game.sound import ATTACK_S, TONES, VOLUME, Cue, SoundPlayer, step_cues, tone_samples
from game.theme import Theme
from levels.events import CursorMoved, InputEvent
from levels.families import family_for
from levels.loader import load_level
from tests.support.game_contexts import reach_context
from tracking.types import Effector


@pytest.mark.parametrize("cue", list(Cue))
def test_every_tone_is_quiet_and_starts_and_ends_softly(cue: Cue) -> None:
    samples = tone_samples(TONES[cue], 44_100)
    assert np.max(np.abs(samples)) <= VOLUME + 1e-9
    attack = round(ATTACK_S * 44_100)
    assert abs(samples[0]) < 1e-3 and abs(samples[-1]) < 1e-3  # no click at either end
    assert np.max(np.abs(samples[: attack // 4])) < np.max(np.abs(samples)) / 3  # it rises, it does not jump


def test_the_player_plays_through_the_dummy_driver_and_mutes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    pygame.mixer.quit()
    player = SoundPlayer()
    try:
        assert player.available, player.unavailable
        player.play(Cue.HIT)
        assert pygame.mixer.get_busy()
        assert player.toggle_mute() is True
        assert not pygame.mixer.get_busy()  # muting silences what is playing
        player.play(Cue.TARGET)
        assert not pygame.mixer.get_busy()
        assert list(player.played) == [Cue.HIT, Cue.TARGET]  # noted either way
    finally:
        pygame.mixer.quit()


def test_no_audio_device_means_silence_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDL_AUDIODRIVER", "no-such-audio-driver")
    pygame.mixer.quit()
    player = SoundPlayer()
    assert not player.available
    assert player.unavailable is not None and player.unavailable.startswith("no sound")
    player.play(Cue.HIT)  # nothing raised
    assert list(player.played) == [Cue.HIT]


def test_the_reach_rules_call_for_a_target_then_a_hit() -> None:
    pygame.font.init()
    level = load_level("reach")
    family = family_for(level.kind)
    screen = renderer_for(level.kind).screen_shape((1280, 720), Theme.for_height(720))
    state = family.start(level, screen, frozenset({Effector.HAND}))
    heard: list[Cue] = []
    t_s, dt_s = 0.0, 1.0 / 120.0
    for _ in range(120 * 20):
        target = getattr(state, "target", None)
        events = [] if target is None else [CursorMoved(t_s, target[0], target[1])]
        before, state = state, family.step(state, events, dt_s)
        heard += step_cues(before, state)
        t_s += dt_s
        if Cue.HIT in heard:
            break
    assert heard[:2] == [Cue.TARGET, Cue.HIT], heard


def test_the_level_scene_plays_the_cues_as_the_player_hits_targets(tmp_path: Path) -> None:
    pygame.init()
    try:
        pygame.display.set_mode((640, 360))
        context = reach_context(tmp_path, (640, 360), MouseInput((640, 360)))
        scene = LevelScene(context)
        for _ in range(120 * 30):
            target = getattr(scene.state, "target", None)
            events: list[InputEvent] = [] if target is None else [CursorMoved(0.0, target[0], target[1])]
            scene.update(events, 1.0 / 120.0)
            if list(context.sound.played).count(Cue.HIT) >= 2:
                break
        assert list(context.sound.played)[:4] == [Cue.TARGET, Cue.HIT, Cue.TARGET, Cue.HIT]
    finally:
        pygame.quit()
