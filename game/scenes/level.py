"""The reach level: draws targets and the cursor, runs :mod:`game.reach_rules`, and keeps each trial's raw
tracked samples for movement analysis. While the hand is lost the level is paused, with a clear message.

A video or recording starts when the level is shown. When the source ends (a file played to its end, a camera
unplugged, a bad line in a recording), whenever that happened, the level goes to the results and says why: it
never waits for a hand that cannot come."""

from __future__ import annotations

import pygame

from game import reach_rules
from game.input_events import Command, InputEvent, SourceEnded, TrackedFrame, commands_in
from game.input_source import InputKind
from game.reach_rules import HIT_POINTS, Outcome, Phase, ReachParams, ReachState
from game.scenes.base import EXIT, AppExit, BaseScene, GameContext, Scene
from game.theme import (
    ACCENT,
    ACCENT_FILL,
    BACKGROUND,
    NOTICE,
    PANEL,
    TEXT,
    TEXT_SOFT,
    Theme,
    draw_cursor,
    draw_text,
)
from game.tracking_input import source_end, start_source
from game.trial_feedback import MOUSE_NOTE, TrialFeedback, analyse_trial
from levels.schema import LevelFile
from tracking.types import TrackedSample

HAND_LOST_MESSAGE = "Hand not seen - move your hand into view of the camera"
PAUSED_MESSAGE = "Paused - press P or Escape to continue, Q to quit"
STATUS_BAR_LINES = 1.5  # the status bar is one line of body text with half a line of padding


def reach_params(level: LevelFile, screen_size_px: tuple[int, int], theme: Theme) -> ReachParams:
    """The rules' parameters for ``level`` on a window of ``screen_size_px`` with ``theme``'s status bar."""
    width, height = screen_size_px
    return ReachParams(
        trials=level.trials,
        target_radius_norm=level.target_radius_norm,
        dwell_time_s=level.dwell_time_s,
        trial_timeout_s=level.trial_timeout_s,
        inter_trial_pause_s=level.inter_trial_pause_s,
        min_target_distance_norm=level.min_target_distance_norm,
        seed=level.seed,
        screen_aspect=width / height,
        top_reserved_norm=status_bar_height_px(theme) / height,
    )


def status_bar_height_px(theme: Theme) -> int:
    return round(theme.body.get_linesize() * STATUS_BAR_LINES)


class LevelScene(BaseScene):
    name = "level"

    def __init__(self, context: GameContext) -> None:
        self.context = context
        self.state: ReachState = reach_rules.initial_state(
            reach_params(context.level, context.screen_size_px, context.theme), hand_seen=context.input_source.hand_seen
        )
        self.trial_samples: list[TrackedSample] = []
        self.feedback: list[TrialFeedback] = []
        self.end_message: str | None = None
        context.report.level_state = self.state

    def on_show(self) -> None:
        start_source(self.context.input_source)

    def update(self, events: list[InputEvent], dt_s: float) -> Scene | AppExit | None:
        if Command.QUIT in commands_in(events):
            return EXIT
        end = source_end(self.context.input_source)
        if end is not None and self.end_message is None and not any(isinstance(e, SourceEnded) for e in events):
            # The source ended while another screen showed, or its one event went elsewhere: end here too.
            events = [*events, SourceEnded(self.state.clock_s, end.message)]
        for event in events:
            if isinstance(event, SourceEnded):
                self.end_message = event.message or "The video or recording ended before the level was over."
            elif isinstance(event, TrackedFrame):
                # From the end of the previous trial: the rest before the reach is part of the movement's
                # "rest to rest" that segmentation needs.
                self.trial_samples.append(event.sample)
        before = len(self.state.results)
        self.state = reach_rules.step(self.state, events, dt_s)
        self.context.report.level_state = self.state
        if len(self.state.results) > before:
            self.feedback.append(self._trial_feedback())
            self.trial_samples = []
        if self.state.phase is Phase.FINISHED:
            from game.scenes.results import ResultsScene

            return ResultsScene(self.context, self.state, tuple(self.feedback), note=self.end_message)
        return None

    def _trial_feedback(self) -> TrialFeedback:
        info = self.context.source_info
        if self.context.input_source.kind is InputKind.MOUSE or info is None:
            return TrialFeedback(None, None, MOUSE_NOTE)
        return analyse_trial(self.trial_samples, width_px=info.width_px, height_px=info.height_px)

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.context.theme
        width, height = surface.get_size()
        surface.fill(BACKGROUND)
        state = self.state
        if state.target is not None:
            centre = (round(state.target[0] * width), round(state.target[1] * height))
            radius = round(state.params.target_radius_norm * height)
            pygame.draw.circle(surface, PANEL, centre, radius)
            if state.dwell_s > 0:
                pygame.draw.circle(surface, ACCENT_FILL, centre, max(2, round(radius * state.dwell_fraction)))
            pygame.draw.circle(surface, ACCENT, centre, radius, width=max(3, height // 150))
        elif state.phase is Phase.RESTING and not state.frozen:
            y = draw_text(
                surface,
                self._rest_message(),
                theme.body,
                TEXT_SOFT,
                centre_x=width // 2,
                top_y=int(height * 0.45),
            )
            movement = self._movement_feedback()
            if movement is not None:
                draw_text(
                    surface, movement, theme.small, TEXT_SOFT, centre_x=width // 2, top_y=y, width_px=width * 8 // 10
                )
        if state.cursor is not None and state.hand_seen:
            draw_cursor(surface, state.cursor)
        self._draw_status(surface)
        if not state.hand_seen or state.paused:
            self._draw_pause(surface, PAUSED_MESSAGE if state.paused else HAND_LOST_MESSAGE)

    def _rest_message(self) -> str:
        """Calm feedback on the last target while the next one is coming."""
        if not self.state.results:
            return "Get ready - the first target is coming"
        last = self.state.results[-1]
        if last.outcome is Outcome.HIT:
            return f"Hit! +{HIT_POINTS}. Rest - the next target is coming"
        return "That one timed out - no problem. Rest - the next target is coming"

    def _movement_feedback(self) -> str | None:
        """Biofeedback on the last trial's movement (smoothness and breaks), when it was measured."""
        return self.feedback[-1].biofeedback() if self.feedback else None

    def _draw_status(self, surface: pygame.Surface) -> None:
        theme = self.context.theme
        width = surface.get_width()
        state = self.state
        shown = min(state.trial_index + 1, state.params.trials)
        trial_time = state.phase_elapsed_s if state.phase is Phase.REACHING else 0.0
        text = (
            f"Target {shown} of {state.params.trials}    Hits {state.hits}    Score {state.score}    "
            f"Time {trial_time:4.1f} s"
        )
        if state.results:
            text += f"    Last {state.results[-1].duration_s:.1f} s"
        bar = pygame.Rect(0, 0, width, status_bar_height_px(self.context.theme))
        pygame.draw.rect(surface, PANEL, bar)
        label = theme.body.render(text, True, TEXT)
        surface.blit(label, label.get_rect(center=bar.center))

    def _draw_pause(self, surface: pygame.Surface, message: str) -> None:
        theme = self.context.theme
        width, height = surface.get_size()
        veil = pygame.Surface((width, height), pygame.SRCALPHA)
        veil.fill((*BACKGROUND, 215))
        surface.blit(veil, (0, 0))
        title = "Paused" if self.state.paused else "Waiting for your hand"
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
