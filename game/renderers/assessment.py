"""The assessment's drawing: each step's title and plain instruction, a progress bar that fills only while the
step's condition holds, the set-up check's advice, the cursor and the reach targets, and a small summary.

No number reaches the patient's screen (the measures go to the therapist); the status bar says only which step.
"""

from __future__ import annotations

import pygame

from game.renderers.base import LevelView, draw_status_bar, status_bar_shape
from game.theme import ACCENT, ACCENT_FILL, GOOD, NOTICE, PANEL, TEXT, TEXT_SOFT, Theme, draw_cursor, draw_text
from levels.assessment.rules import STEPS, AssessmentState, Step
from levels.screen import ScreenShape
from levels.trial import Outcome, TrialResult

# (title, instruction) of each step, for the patient.
STEP_TEXTS: dict[Step, tuple[str, str]] = {
    Step.SETUP: (
        "Setting up the camera",
        "Sit so the camera sees your face and one raised hand. The bar fills while everything looks right.",
    ),
    Step.REACH_RANGE: (
        "How far can you reach?",
        "Move your hand slowly to the edges of where you reach comfortably: left, right, up and down. No stretching.",
    ),
    Step.HEAD_RANGE: (
        "Head movement",
        "Slowly turn your head left and right, nod up and down, then tilt towards each shoulder, "
        "only as far as is comfortable.",
    ),
    Step.REST_POSTURE: (
        "Rest your head",
        "Let your head rest where it is most comfortable. Relax your shoulders and breathe.",
    ),
    Step.REST_HAND: (
        "Rest your hand",
        "Hold your hand up in view and let it rest as still as is comfortable. Small movements are fine.",
    ),
    Step.REACHES: ("Five reaches", "Move your hand to each circle and hold it there until it fills. Take your time."),
    Step.SUMMARY: ("All done - thank you!", "Your therapist will look at what we measured together with you."),
}
# Each step's short name: the status bar and the summary.
STEP_NAMES: dict[Step, str] = {
    Step.SETUP: "Camera set-up",
    Step.REACH_RANGE: "Reach range",
    Step.HEAD_RANGE: "Head movement",
    Step.REST_POSTURE: "Resting head",
    Step.REST_HAND: "Resting hand",
    Step.REACHES: "Five reaches",
    Step.SUMMARY: "Summary",
}
# How each step went, in the summary's plain words.
SETUP_GOOD = "Everything looks good. Stay like this."
HAND_MOVING = "Let your hand settle - the bar fills while it rests."
SKIPPED_WORDS = "skipped"


def outcome_words(result: TrialResult) -> str:
    """Return how a step went, in a word or two for the summary."""
    if result.outcome is Outcome.SKIPPED:
        return SKIPPED_WORDS
    if result.outcome is Outcome.HIT:
        return "done"
    if result.outcome is Outcome.UNFINISHED:
        return "not finished"
    return "partly done"


def status_text(state: AssessmentState) -> str:
    """Return the status bar's words: which step of how many, and its name."""
    shown = min(state.step_index + 1, len(STEPS))
    return f"Assessment    Step {shown} of {len(STEPS)}    {STEP_NAMES[state.step]}"


def step_hint(state: AssessmentState) -> tuple[str, tuple[int, int, int]] | None:
    """Return the line under the instruction (the set-up's advice, a moving hand), with its colour, or ``None``."""
    if state.step is Step.SETUP and state.check is not None:
        if state.check.problems:
            return state.check.problems[0].advice, NOTICE
        return SETUP_GOOD, GOOD
    if state.step is Step.REST_HAND and not state.hand_still:
        return HAND_MOVING, NOTICE
    return None


class AssessmentRenderer:
    """Draws every step of the assessment (one renderer for the whole multi-step level)."""

    trial_noun = "step"
    shows_trial_card = False  # each step says how it went in the summary, not with stars

    def screen_shape(self, size_px: tuple[int, int], theme: Theme) -> ScreenShape:
        """Return the play area below the status bar."""
        return status_bar_shape(size_px, theme)

    def draw(self, surface: pygame.Surface, view: LevelView) -> None:
        """Draw the step's words, bar, targets and cursor, or the summary, and the status bar."""
        state = view.state
        assert isinstance(state, AssessmentState)
        theme = view.theme
        width, height = surface.get_size()
        title, instruction = STEP_TEXTS[state.step]
        if state.step is Step.REACHES:  # the targets need the screen: the instruction sits small in the middle
            y = draw_text(
                surface, instruction, theme.small, TEXT_SOFT, centre_x=width // 2, top_y=int(height * 0.42),
                width_px=width // 2,
            )  # fmt: skip
        else:
            y = draw_text(surface, title, theme.heading, TEXT, centre_x=width // 2, top_y=int(height * 0.2))
            y = draw_text(
                surface, instruction, theme.body, TEXT_SOFT, centre_x=width // 2, top_y=y + height // 60,
                width_px=width * 8 // 10,
            )  # fmt: skip
        hint = step_hint(state)
        if hint is not None:
            draw_text(surface, hint[0], theme.body, hint[1], centre_x=width // 2, top_y=y + height // 30)
        if state.step is Step.SUMMARY:
            self._draw_summary(surface, state, theme, top_y=y + height // 30)
        if state.target is not None:
            self._draw_target(surface, state)
        if state.cursor is not None and state.step in (Step.REACH_RANGE, Step.REST_HAND, Step.REACHES):
            draw_cursor(surface, state.cursor)
        self._draw_bar(surface, state.step_fraction)
        draw_status_bar(surface, theme, status_text(state))

    @staticmethod
    def _draw_bar(surface: pygame.Surface, fraction: float) -> None:
        width, height = surface.get_size()
        bar = pygame.Rect(width // 5, int(height * 0.9), width * 3 // 5, max(12, height // 30))
        pygame.draw.rect(surface, PANEL, bar, border_radius=bar.height // 2)
        if fraction > 0:
            filled = bar.copy()
            filled.width = max(bar.height, round(bar.width * fraction))
            pygame.draw.rect(surface, ACCENT_FILL, filled, border_radius=bar.height // 2)
        pygame.draw.rect(surface, ACCENT, bar, width=max(2, height // 300), border_radius=bar.height // 2)

    @staticmethod
    def _draw_target(surface: pygame.Surface, state: AssessmentState) -> None:
        assert state.target is not None
        width, height = surface.get_size()
        centre = (round(state.target[0] * width), round(state.target[1] * height))
        radius = round(state.params.target_radius_norm * height)
        pygame.draw.circle(surface, PANEL, centre, radius)
        dwell = min(state.held_s / state.params.reach_dwell_s, 1.0)
        if dwell > 0:
            pygame.draw.circle(surface, ACCENT_FILL, centre, max(2, round(radius * dwell)))
        pygame.draw.circle(surface, ACCENT, centre, radius, width=max(3, height // 150))

    @staticmethod
    def _draw_summary(surface: pygame.Surface, state: AssessmentState, theme: Theme, *, top_y: int) -> None:
        width, _ = surface.get_size()
        y = top_y
        for result in state.progress.results:
            step = Step(str(result.params["step"]))
            words = outcome_words(result)
            colour = GOOD if words == "done" else TEXT_SOFT
            y = draw_text(surface, f"{STEP_NAMES[step]}: {words}", theme.small, colour, centre_x=width // 2, top_y=y)
