"""Short calm sounds from the pygame mixer, made with numpy when the game starts (no sound files, no licence).

Each cue is a soft sine tone (or two) with a slow attack and release, quiet and low: a patient with dystonia
should hear that something happened, never be startled (stress worsens symptoms). Scenes play cues through the
session's :class:`SoundPlayer` (``context.sound.play(Cue.HIT)``); the level scene asks :func:`step_cues` which cues
one step of the rules calls for. N mutes and unmutes (``--mute`` starts muted).

The game runs without an audio device: when the mixer cannot start (no device, SDL_AUDIODRIVER=dummy failing, a
headless server), the player stays silent and says why in :attr:`SoundPlayer.unavailable`; nothing is raised.
"""

from __future__ import annotations

import enum
from collections import deque
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pygame

from levels.trial import LevelState, Outcome

SAMPLE_RATE_HZ = 44_100
# Soft edges: a 40 ms rise and a release over the last 60% of the tone, so no cue clicks or starts sharply.
ATTACK_S = 0.04
RELEASE_FRACTION = 0.6
# Quiet: a fifth of full scale, below the level of speech from a laptop speaker at the default volume.
VOLUME = 0.2
# How many cues are kept for tests and the live view to read back.
HISTORY_LENGTH = 64
MUTE_KEY = pygame.K_n


class Cue(enum.Enum):
    """What a sound says."""

    TARGET = "target"  # a new target appears
    HIT = "hit"  # the trial's goal was reached
    TRIAL_DONE = "trial_done"  # a trial ended without its goal (time ran out): a neutral, lower tone
    BREATHE_IN = "breathe_in"  # the breathing guide turns to "breathe in"
    BREATHE_OUT = "breathe_out"  # ... and to "breathe out"


@dataclass(frozen=True)
class Tone:
    """A cue's sound: sine partials (Hz) played together for ``duration_s``, at ``gain`` of :data:`VOLUME`."""

    frequencies_hz: tuple[float, ...]
    duration_s: float
    gain: float = 1.0


# Calm, consonant, in the middle register: a soft G4 for a target, a major third (C5+E5) for a hit, a low A3 for
# a trial that ended otherwise, a rising fifth and a falling fourth for the breath.
TONES: dict[Cue, Tone] = {
    Cue.TARGET: Tone((392.0,), 0.18, 0.7),
    Cue.HIT: Tone((523.25, 659.25), 0.35),
    Cue.TRIAL_DONE: Tone((220.0,), 0.30, 0.8),
    Cue.BREATHE_IN: Tone((293.66, 440.0), 0.6, 0.6),
    Cue.BREATHE_OUT: Tone((329.63, 246.94), 0.6, 0.6),
}


def tone_samples(tone: Tone, rate_hz: int = SAMPLE_RATE_HZ) -> npt.NDArray[np.float64]:
    """Return ``tone`` as mono float samples in -1..1 with its soft attack and release."""
    count = max(1, round(tone.duration_s * rate_hz))
    t_s = np.arange(count) / rate_hz
    wave = sum(np.sin(2.0 * np.pi * f_hz * t_s) for f_hz in tone.frequencies_hz) / len(tone.frequencies_hz)
    envelope = np.minimum(1.0, t_s / ATTACK_S)
    release_start = round(count * (1.0 - RELEASE_FRACTION))
    release = np.ones(count)
    release[release_start:] = 0.5 * (1.0 + np.cos(np.linspace(0.0, np.pi, count - release_start)))
    return np.asarray(wave * envelope * release * VOLUME * tone.gain, dtype=np.float64)


def _as_mixer_array(samples: npt.NDArray[np.float64], channels: int) -> npt.NDArray[np.int16]:
    """``samples`` as 16-bit integers shaped for a mixer of ``channels``."""
    pcm: npt.NDArray[np.int16] = np.round(samples * 32767.0).astype(np.int16)
    if channels == 1:
        return pcm
    stereo: npt.NDArray[np.int16] = np.ascontiguousarray(np.repeat(pcm[:, None], channels, axis=1))
    return stereo


class SoundPlayer:
    """Plays :class:`Cue` sounds; silent (never failing) when there is no audio device or it is muted."""

    def __init__(self, *, muted: bool = False, enabled: bool = True) -> None:
        self.muted = muted
        self.unavailable: str | None = None  # why there is no sound, when the mixer could not start
        self.played: deque[Cue] = deque(maxlen=HISTORY_LENGTH)  # the cues asked for, heard or not (muted)
        self._sounds: dict[Cue, pygame.mixer.Sound] = {}
        if enabled:
            self._open()
        else:
            self.unavailable = "sound is off"

    @classmethod
    def silent(cls) -> SoundPlayer:
        """A player that never opens the mixer (tests, and scenes built without a session)."""
        return cls(enabled=False)

    def _open(self) -> None:
        try:
            if pygame.mixer.get_init() is None:
                pygame.mixer.init(frequency=SAMPLE_RATE_HZ, size=-16, channels=2, buffer=1024)
            init = pygame.mixer.get_init()
            if init is None:
                raise pygame.error("the mixer did not start")
            rate_hz, _, channels = init
            for cue, tone in TONES.items():
                array = _as_mixer_array(tone_samples(tone, rate_hz), channels)
                self._sounds[cue] = pygame.sndarray.make_sound(array)
        except (pygame.error, ValueError, NotImplementedError) as error:  # no device: play on silently
            self.unavailable = f"no sound: {error}"
            self._sounds = {}

    @property
    def available(self) -> bool:
        """Whether sounds can be heard (a mixer is open)."""
        return bool(self._sounds)

    def toggle_mute(self) -> bool:
        """Mute or unmute; return whether it is muted now."""
        self.muted = not self.muted
        if self.muted and self.available:
            pygame.mixer.stop()
        return self.muted

    def play(self, cue: Cue) -> None:
        """Play ``cue`` (unless muted or silent); it is noted in :attr:`played` either way."""
        self.played.append(cue)
        sound = self._sounds.get(cue)
        if sound is not None and not self.muted:
            sound.play()

    def play_all(self, cues: list[Cue]) -> None:
        """Play each of ``cues``."""
        for cue in cues:
            self.play(cue)


def step_cues(before: LevelState, after: LevelState) -> list[Cue]:
    """Return the cues one step of a level's rules calls for: a trial that ended (a hit, or otherwise), a new
    target on the screen, the breathing guide turning to "in" or "out"."""
    cues: list[Cue] = []
    results_before = len(before.progress.results)
    for result in after.progress.results[results_before:]:
        if result.outcome is Outcome.HIT:
            cues.append(Cue.HIT)
        elif result.outcome is Outcome.MISSED:
            cues.append(Cue.TRIAL_DONE)
    target = getattr(after, "target", None)
    if target is not None and target != getattr(before, "target", None):
        cues.append(Cue.TARGET)
    inhaling_before, inhaling_after = getattr(before, "inhaling", None), getattr(after, "inhaling", None)
    if isinstance(inhaling_before, bool) and isinstance(inhaling_after, bool) and inhaling_before != inhaling_after:
        cues.append(Cue.BREATHE_IN if inhaling_after else Cue.BREATHE_OUT)
    return cues
