"""The session's flow across levels and sets: the game loop's router (:class:`game.app.App`) for a session.

A session plays a plan of levels in order (``motorplay play --levels a,b,c``), or the one level the menu's choice
names. Each level plays its ``sets`` with a calm rest between them (:mod:`game.scenes.rest`); its results screen
then offers the next level. Every level screen carries Pause and Stop buttons, the results Next level / Play again
and Finish (:mod:`game.scenes.controls`), so a camera player needs no keyboard. Stop ends the level at once and
shows what was done; the trials already finished are kept.

Every finished trial goes to the :class:`~game.session_results.SessionJournal` the moment it ends (the results
file, the records). An assessment level played to its end is also saved as the patient's new assessment (its
file, and the records when they are open: :meth:`~game.session_results.SessionJournal.add_assessment`). The other
routes go to the scene registry (:func:`game.scenes.registry.build_scene`).
"""

from __future__ import annotations

from collections.abc import Sequence

from game.scenes import source_choices
from game.scenes.base import GameContext, Scene
from game.scenes.controls import (
    FINISH_BUTTON_NORM,
    MENU_BUTTON_NORM,
    MOUSE_BUTTON_NORM,
    NEXT_BUTTON_NORM,
    PAUSE_BUTTON_NORM,
    STOP_BUTTON_NORM,
    STOPPED_BUTTONS_NORM,
    DwellOverlay,
    OverlayButton,
    camera_stopped,
)
from game.scenes.level import LevelScene
from game.scenes.menu import MenuScene
from game.scenes.registry import build_scene
from game.scenes.results import ResultsScene
from game.scenes.routes import (
    Route,
    ToChosenLevel,
    ToLevel,
    ToMenu,
    ToNextLevel,
    ToRest,
    ToResults,
    ToStopped,
)
from game.session_results import SessionJournal
from levels.assessment.schema import AssessmentLevel
from levels.events import Command
from levels.feedback import TrialFeedback
from levels.schema import LevelFile
from levels.trial import JoinedSets, LevelProgress, LevelState, Outcome, join_sets

STOPPED_NOTE = "You stopped the level. Everything you did until then is kept."


class SessionFlow:
    """Routes a session's screens: ``plan`` (the levels in order), ``choices`` (offered by the menu), ``journal``."""

    def __init__(
        self,
        context: GameContext,
        plan: Sequence[LevelFile],
        journal: SessionJournal,
        *,
        choices: Sequence[LevelFile] = (),
    ) -> None:
        if not plan:
            raise ValueError("a session needs at least one level")
        self.context = context
        self.plan = tuple(plan)
        self.planned = self.plan  # the session as planned: the menu offers it again after a level chosen there
        self.choices = tuple(choices)
        self.journal = journal
        self.position = 0
        self.stopped = False
        context.level = self.plan[0]
        self._finished: set[int] = set()  # positions in the plan played to their end
        self._run_open = False
        self._sets: list[LevelProgress] = []
        self._feedback: list[TrialFeedback] = []
        self._level_scene: LevelScene | None = None
        self._journaled = 0  # results of the current set already given to the journal

    @property
    def complete(self) -> bool:
        """True when every level of the plan was played to its end (all its sets, not stopped)."""
        return len(self._finished) == len(self.plan)

    @property
    def next_level(self) -> LevelFile | None:
        """The plan's level after the current one, if any."""
        return self.plan[self.position + 1] if self.position + 1 < len(self.plan) else None

    def route(self, route: Route) -> Scene:
        """The scene for ``route`` within this session."""
        if isinstance(route, ToChosenLevel):
            chosen = next(level for level in self.choices if level.name == route.name)
            self.plan, self.position, self._finished = (chosen,), 0, set()
            self.context.level = chosen
            return self.route(route.then)
        if isinstance(route, ToNextLevel):
            self.position = min(self.position + 1, len(self.plan) - 1)
            self.context.level = self.plan[self.position]
            self._run_open = False
            return self._level()
        if isinstance(route, ToLevel):
            return self._level()
        if isinstance(route, ToResults):
            return self._set_done(route)
        if isinstance(route, ToStopped):
            return self._stop()
        if isinstance(route, ToMenu):
            if self.plan != self.planned:  # back from a level chosen on the menu: Start plays the plan again
                self.plan, self.position, self._finished = self.planned, 0, set()
                self.context.level = self.plan[0]
            notice = route.notice or self._journal_notice()
            return MenuScene(self.context, notice=notice, plan=self.plan, choices=self.choices)
        return build_scene(self.context, route)

    # A level's sets ---------------------------------------------------------------------------------------------

    def _level(self) -> Scene:
        if not self._run_open:
            self.journal.start_level(self.context.level)
            self._run_open, self.stopped = True, False
            self._sets, self._feedback = [], []
        scene = LevelScene(self.context)
        self._level_scene, self._journaled = scene, 0

        def pause_label() -> str:
            return "Resume" if scene.state.progress.clock.paused else "Pause"

        buttons = (
            OverlayButton(PAUSE_BUTTON_NORM, pause_label, lambda: Command.PAUSE),
            OverlayButton(STOP_BUTTON_NORM, lambda: "Stop", ToStopped),
        )
        return DwellOverlay(scene, buttons, self.context.theme, after_update=self._trials_ended, context=self.context)

    def _trials_ended(self) -> None:
        """Give the journal each trial the level scene recorded since the last step."""
        scene = self._level_scene
        if scene is None:
            return
        results = scene.state.progress.results
        for index in range(self._journaled, len(results)):
            feedback = scene.feedback[index] if index < len(scene.feedback) else None
            self.journal.add_trial(results[index], feedback, set_number=len(self._sets) + 1)
        self._journaled = len(results)

    def _set_done(self, route: ToResults) -> Scene:
        self._level_scene = None
        self._sets.append(route.state.progress)
        self._feedback.extend(route.feedback)
        progress, level = route.state.progress, self.context.level
        cut_short = (
            route.note is not None
            or progress.source_ended
            or any(result.outcome is Outcome.UNFINISHED for result in progress.results)
        )
        if not cut_short and len(self._sets) < level.sets:
            return build_scene(
                self.context, ToRest(sets_done=len(self._sets), sets=level.sets, rest_s=level.rest_between_sets_s)
            )
        if not cut_short:
            self._finished.add(self.position)
            if isinstance(level, AssessmentLevel):
                self.journal.add_assessment(level.name, progress.results, data_dir=self.context.store.data_dir)
        return self._results(route.state, route.note)

    def _stop(self) -> Scene:
        self.stopped = True
        scene, self._level_scene = self._level_scene, None
        if scene is not None:  # stopped during a set (not in the rest after one): what it did so far
            self._trials_ended()
            self._sets.append(scene.state.progress)
            self._feedback.extend(scene.feedback)
            return self._results(scene.state, STOPPED_NOTE)
        return self._results(None, STOPPED_NOTE)

    def _results(self, last: LevelState | None, note: str | None) -> Scene:
        """The results of the level run: one set as it is, several joined into one table."""
        self._run_open = False
        one_set = len(self._sets) == 1 and last is not None
        state: LevelState = last if one_set and last is not None else JoinedSets(join_sets(self._sets))
        following = self.next_level  # also after Stop: the rest of the plan is still offered
        notes = [text for text in (note, self._journal_notice()) if text]
        scene = ResultsScene(
            self.context,
            state,
            self._feedback,
            note=" ".join(notes) or None,
            next_level=None if following is None else following.title,
        )
        if self.stopped and following is not None:
            again, on, menu, finish = STOPPED_BUTTONS_NORM
            buttons: tuple[OverlayButton, ...] = (
                OverlayButton(again, lambda: "Play again", scene.play_again),
                OverlayButton(on, lambda: "Next level", lambda: Command.CONFIRM),
                OverlayButton(menu, lambda: "Back to the menu", self._back_to_menu),
                OverlayButton(finish, lambda: "End the game", lambda: Command.QUIT),
            )
        else:
            buttons = (
                OverlayButton(
                    NEXT_BUTTON_NORM,
                    lambda: "Play again" if following is None else "Next level",
                    lambda: Command.CONFIRM,
                ),
                OverlayButton(FINISH_BUTTON_NORM, lambda: "End the game", lambda: Command.QUIT),
                OverlayButton(
                    MENU_BUTTON_NORM,
                    lambda: "Back to the menu",
                    self._back_to_menu,
                    visible=lambda: not camera_stopped(self.context),
                ),
            )
        buttons += (
            OverlayButton(
                MOUSE_BUTTON_NORM,
                lambda: "Use the mouse",
                lambda: Command.USE_MOUSE,
                visible=lambda: camera_stopped(self.context),
            ),
        )
        auto_s = self.context.auto_start_after_s
        auto = None if auto_s is None or following is None or self.stopped else (auto_s, Command.CONFIRM)
        return DwellOverlay(scene, buttons, self.context.theme, draw_pointer=True, auto=auto, context=self.context)

    def _back_to_menu(self) -> Route:
        """The menu (the planned session again); a video or recording is opened again, ready from its start."""
        menu = ToMenu()
        if source_choices.playing_from_file(self.context) and source_choices.can_reopen(self.context):
            return source_choices.reopen(menu)
        return menu

    def _journal_notice(self) -> str | None:
        if not self.journal.errors:
            return None
        return f"Your results could not all be saved: {self.journal.errors[-1]}"
