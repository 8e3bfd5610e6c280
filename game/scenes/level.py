"""The level scene, one for every family: steps the family's pure rules (:mod:`levels.families`), draws through
the family's renderer (:mod:`game.renderers`), and keeps each trial's raw tracked samples for movement analysis.
While the level's effector is not seen (or the game is paused) the level clock stops and a clear message says why.

A video or recording starts when the level is shown. When the source ends (a file played to its end, a camera
unplugged, a bad line in a recording), whenever that happened, the level goes to the results and says why: it
never waits for a hand that cannot come."""

from __future__ import annotations

import pygame

from game.input_source import InputKind
from game.renderers import renderer_for
from game.renderers.base import LevelView
from game.scenes.base import BaseScene, GameContext
from game.scenes.routes import EXIT, AppExit, Route, ToResults
from game.texts import MOUSE_NOTE, PAUSED_MESSAGE, PAUSED_TITLE, not_seen_message, waiting_title
from game.theme import BACKGROUND, NOTICE, TEXT, draw_text
from game.tracking_input import source_end, start_source
from levels.events import Command, InputEvent, SourceEnded, TrackedFrame, commands_in
from levels.families import family_for
from levels.feedback import TrialFeedback, analyze_trial
from levels.trial import LevelState
from tracking.types import TrackedSample

# How opaque the veil over a paused level is (0-255): the level shows through, the message reads clearly.
VEIL_ALPHA = 215


class LevelScene(BaseScene):
    name = "level"

    def __init__(self, context: GameContext) -> None:
        self.context = context
        self.family = family_for(context.level.kind)
        self.renderer = renderer_for(context.level.kind)
        screen = self.renderer.screen_shape(context.screen_size_px, context.theme)
        self.state: LevelState = self.family.start(context.level, screen, context.input_source.seen)
        self.trial_samples: list[TrackedSample] = []
        self.feedback: list[TrialFeedback] = []
        self.end_message: str | None = None
        context.report.level_state = self.state

    def on_show(self) -> None:
        start_source(self.context.input_source)

    def update(self, events: list[InputEvent], dt_s: float) -> Route | AppExit | None:
        if Command.QUIT in commands_in(events):
            return EXIT
        progress = self.state.progress
        end = source_end(self.context.input_source)
        if end is not None and self.end_message is None and not any(isinstance(e, SourceEnded) for e in events):
            # The source ended while another screen showed, or its one event went elsewhere: end here too.
            events = [*events, SourceEnded(progress.clock.elapsed_s, end.message)]
        for event in events:
            if isinstance(event, SourceEnded):
                self.end_message = event.message or "The video or recording ended before the level was over."
            elif isinstance(event, TrackedFrame):
                # From the end of the previous trial: the rest before the movement is part of the movement's
                # "rest to rest" that segmentation needs.
                self.trial_samples.append(event.sample)
        self.state = self.family.step(self.state, events, dt_s)
        self.context.report.level_state = self.state
        if len(self.state.progress.results) > len(progress.results):
            self.feedback.append(self._trial_feedback())
            self.trial_samples = []
        if self.state.progress.finished:
            return ToResults(self.state, tuple(self.feedback), note=self.end_message)
        return None

    def _trial_feedback(self) -> TrialFeedback:
        info = self.context.source_info
        if self.context.input_source.kind is InputKind.MOUSE or info is None:
            return TrialFeedback(None, None, MOUSE_NOTE)
        return analyze_trial(
            self.trial_samples, effector=self.family.effector, width_px=info.width_px, height_px=info.height_px
        )

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(BACKGROUND)
        self.renderer.draw(surface, LevelView(self.state, tuple(self.feedback), self.context.theme))
        clock = self.state.progress.clock
        if clock.paused:
            self._draw_veil(surface, PAUSED_TITLE, PAUSED_MESSAGE)
        elif not clock.effector_seen:
            self._draw_veil(surface, waiting_title(clock.effector), not_seen_message(clock.effector))

    def _draw_veil(self, surface: pygame.Surface, title: str, message: str) -> None:
        theme = self.context.theme
        width, height = surface.get_size()
        veil = pygame.Surface((width, height), pygame.SRCALPHA)
        veil.fill((*BACKGROUND, VEIL_ALPHA))
        surface.blit(veil, (0, 0))
        y = draw_text(surface, title, theme.title, NOTICE, centre_x=width // 2, top_y=int(height * 0.3))
        draw_text(
            surface,
            message,
            theme.heading,
            TEXT,
            centre_x=width // 2,
            top_y=y + height // 30,
            width_px=int(width * 0.85),
        )
