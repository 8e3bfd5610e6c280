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

Adaptive difficulty (:mod:`levels.adaptive`, issue 8), given an :class:`AdaptiveSetup`: a level whose file has
difficulty ramps (not the assessment) starts one step below where the patient ended it last time (the records), else
at the plan's or the file's start, within the plan's limits and caps. After every trial the staircase takes its
result (breaks and smoothness from its movement feedback; a pause for pain from the level scene); a change applies
from the next trial of the same set (:func:`levels.retune.retune` swaps the level scene's parameters) and is kept
with its reason in the results file and the records. The patient reads plain words: the results say the game made
the next targets a little easier or harder, and a suggested rest is said on the rest between sets and the results
(and at once between two trials by a level scene that offers ``show_notice(text)``).
Every level with a plan entry is played with the plan's sets, repetitions and rests
(:func:`levels.plan.planned_level`).

The plan's session limit (``limit_s``): it is checked when a set ends with more to come (a set, a level) and when
a rest between sets ends (a plan whose last set ends after the limit is complete). A set under way is always played
to its end (a few minutes at most; stopping a patient mid-movement would be abrupt); once the limit has passed no
new set or level starts, and the results say in plain words that this is all for today, with only "End the game"
offered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from clinic.plan import plan_entry
from clinic.records.trend_types import LevelTrend
from game.input_source import InputKind
from game.renderers import renderer_for
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
from game.scenes.rest import RestScene
from game.scenes.results import ResultsScene
from game.scenes.routes import (
    Route,
    ToChosenLevel,
    ToLevel,
    ToMenu,
    ToNextLevel,
    ToResults,
    ToStopped,
)
from game.session_results import SessionJournal
from levels.adaptive import AdaptiveRun, DifficultyChange, after_trial, begin, level_now, warm_up_change
from levels.assessment.schema import AssessmentLevel
from levels.difficulty import LevelSpec
from levels.errors import LevelFileError
from levels.events import Command
from levels.feedback import TrialFeedback
from levels.loader import list_levels, load_level_spec
from levels.plan import Plan
from levels.retune import can_retune, retune
from levels.schema import LevelFile
from levels.trial import JoinedSets, LevelProgress, LevelState, Outcome, TrialResult, join_sets

STOPPED_NOTE = "You stopped the level. Everything you did until then is kept."
# What the patient reads when the plan's time for today is over (no numbers: the therapist set the limit).
TIME_UP_NOTE = "That is all for today - well done. Time to rest now."
# What the patient reads when rising breaks suggest a rest (issue 8: fatigue); no numbers, no clinical words.
REST_SUGGESTED_NOTE = "Well done - take a short rest before the next one."
# The same on the rest between sets, which already says "well done": take this rest fully.
REST_BETWEEN_SETS_NOTE = "Take your time: rest well before the next set."
# The families whose difficulty never adapts: the assessment measures the patient as they are.
NOT_ADAPTIVE_KINDS = frozenset({"assessment"})
# The most changes the results' words list one by one (then "and so on"): a patient reads a sentence, not a log.
MAX_CHANGE_WORDS = 4
# Outcomes that say nothing about the patient's performance: a trial cut short by the source, or passed over.
NOT_PLAYED = frozenset({Outcome.UNFINISHED, Outcome.SKIPPED})


def _no_last_index(level: str) -> float | None:
    return None


@dataclass(frozen=True)
class AdaptiveSetup:
    """Where a session's adaptive difficulty comes from.

    ``specs``: each level's file with its difficulty ramps, by level name (:func:`levels.loader.load_level_spec`;
    a catalogue level not there is read when it starts);
    ``plan``: the patient's plan (its entries' limits, caps, sets and rests), if any; ``last_index``: where the
    patient ended a level last time (:func:`clinic.plan.last_difficulty`); ``baseline_breaks_per_movement``: the
    assessment's break rate (:func:`clinic.plan.baseline_breaks_per_movement`), else the session's first trials.
    """

    specs: Mapping[str, LevelSpec]
    plan: Plan | None = None
    last_index: Callable[[str], float | None] = _no_last_index
    baseline_breaks_per_movement: float | None = None

    def spec_for(self, level: str) -> LevelSpec | None:
        """Return the ramps of ``level``: the session's own, else the catalogue's (a level the menu offers)."""
        spec = self.specs.get(level)
        if spec is not None or level not in list_levels():
            return spec
        try:
            return load_level_spec(level)
        except LevelFileError:  # a catalogue level that cannot be read is not offered anyway
            return None


def change_words(changes: Sequence[DifficultyChange], noun: str) -> str | None:
    """The difficulty changes of a level run in plain words for the patient (the reasons are for the therapist).

    For example ``"The game made the next targets a little harder, then a little easier."``; ``None`` when the
    difficulty did not move after a trial (the warm-up at the start is not told).
    """
    directions: list[str] = []
    for change in changes:
        if change.trial_index < 0 or change.to_index == change.from_index:
            continue
        word = "a little harder" if change.to_index > change.from_index else "a little easier"
        if not directions or directions[-1] != word:
            directions.append(word)
    if not directions:
        return None
    told = ", then ".join(directions[:MAX_CHANGE_WORDS])
    more = ", and so on" if len(directions) > MAX_CHANGE_WORDS else ""
    return f"The game made the next {noun}s {told}{more}."


class SessionFlow:
    """Routes a session's screens: ``plan`` (the levels in order), ``choices`` (offered by the menu), ``journal``."""

    def __init__(
        self,
        context: GameContext,
        plan: Sequence[LevelFile],
        journal: SessionJournal,
        *,
        choices: Sequence[LevelFile] = (),
        adaptive: AdaptiveSetup | None = None,
        limit_s: float | None = None,
        now_s: Callable[[], float] | None = None,
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
        self.adaptive = adaptive
        self.limit_s = limit_s  # the plan's session limit, seconds of ``now_s`` from the flow's start
        self.now_s = now_s
        self._started_s = None if now_s is None else now_s()
        self.time_up = False  # the session limit ended the session
        self._run: AdaptiveRun | None = None  # the current level run's staircase, when it adapts
        self.changes: list[DifficultyChange] = []  # the current level run's difficulty changes
        self._rest_suggested = False  # in the current level run, not yet told between sets
        self._pain_told = False  # the current set's pause for pain was given to the staircase
        self._pauses_journaled = 0  # the current scene's pause answers already given to the journal with a trial
        self._over: Scene | None = None  # the results that ended the session at its limit

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
        if self._over is not None and isinstance(route, ToChosenLevel | ToNextLevel | ToLevel | ToMenu):
            return self._over  # the session's time is over: nothing new starts
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
            if self._limit_passed() and self._sets:
                return self._session_over(None)
            self._begin_run()
            self._run_open, self.stopped = True, False
            self._sets, self._feedback = [], []
        elif self._limit_passed():  # the time ran out during the rest between sets: no new set starts
            return self._session_over(None)
        elif self._run is not None:
            self.context.level = level_now(self._run)  # the next set at the difficulty the last one ended at
        scene = LevelScene(self.context)
        self._level_scene, self._journaled, self._pain_told = scene, 0, False
        self._pauses_journaled = 0  # the scene's pause answers already given to the journal with a trial

        def pause_label() -> str:
            return "Resume" if scene.state.progress.clock.paused else "Pause"

        buttons = (
            OverlayButton(PAUSE_BUTTON_NORM, pause_label, lambda: Command.PAUSE),
            OverlayButton(STOP_BUTTON_NORM, lambda: "Stop", ToStopped),
        )
        return DwellOverlay(scene, buttons, self.context.theme, after_update=self._trials_ended, context=self.context)

    def _begin_run(self) -> None:
        """Start a level run: at its adaptive start (and its plan's sets), told to the journal."""
        base = self.context.level
        self._run, self.changes, self._rest_suggested = None, [], False
        setup = self.adaptive
        spec = None if setup is None else setup.spec_for(base.name)
        if setup is None or spec is None:
            self.journal.start_level(base)
            return
        entry = None if setup.plan is None else plan_entry(setup.plan, base.name)
        adapts = bool(spec.ramps) and spec.kind not in NOT_ADAPTIVE_KINDS
        last = setup.last_index(base.name) if adapts else None
        run = begin(spec, entry, setup.plan if entry is not None else None, last, setup.baseline_breaks_per_movement)
        self.context.level = level_now(run)
        if not adapts:
            self.journal.start_level(self.context.level)
            return
        self._run = run
        self.journal.start_level(self.context.level, difficulty=run.state.difficulty)
        warm_up = warm_up_change(run, last)
        if warm_up is not None:
            self.changes.append(warm_up)
            self.journal.add_difficulty_change(warm_up)

    def _trials_ended(self) -> None:
        """Give the journal (and the staircase) each trial the level scene recorded since the last step."""
        scene = self._level_scene
        if scene is None:
            return
        results = scene.state.progress.results
        for index in range(self._journaled, len(results)):
            feedback = scene.feedback[index] if index < len(scene.feedback) else None
            played_at = None if self._run is None else self._run.state.difficulty
            # The answers to "why did you pause?" since the last trial go with this one (a trial cannot end paused).
            reasons = tuple(scene.pause_reasons[self._pauses_journaled :])
            self._pauses_journaled = len(scene.pause_reasons)
            self.journal.add_trial(
                results[index],
                feedback,
                set_number=len(self._sets) + 1,
                difficulty=played_at,
                pause_reasons=reasons,
            )
            self._adapt(scene, results[index], feedback)
        self._journaled = len(results)

    def _adapt(self, scene: LevelScene, result: TrialResult, feedback: TrialFeedback | None) -> None:
        """Feed one trial to the staircase; a change is kept and applies from the set's next trial."""
        if self._run is None or result.outcome in NOT_PLAYED:
            return
        pain = bool(getattr(scene, "paused_for_pain", False)) and not self._pain_told
        self._pain_told = self._pain_told or pain
        self._run, change = after_trial(
            self._run,
            result,
            breaks=0 if feedback is None else feedback.break_count or 0,
            sparc=None if feedback is None else feedback.mean_sparc,
            paused_for_pain=pain,
            smoothness_measured=self.context.input_source.kind is not InputKind.MOUSE,
        )
        if change is None:
            return
        self.changes.append(change)
        self._rest_suggested = self._rest_suggested or change.rest_suggested
        self.journal.add_difficulty_change(change)
        show_notice = getattr(scene, "show_notice", None)  # the level scene's words between trials, when it has them
        if change.rest_suggested and callable(show_notice):
            show_notice(REST_SUGGESTED_NOTE)
        if change.to_index != change.from_index:
            self._apply(scene, level_now(self._run))

    def _apply(self, scene: LevelScene, level: LevelFile) -> None:
        """Play ``level`` from the next trial: the scene's parameters swapped between two trials (the set's end:
        the next set starts with it)."""
        self.context.level = level
        state = scene.state
        if state.progress.finished or not can_retune(state):
            return
        screen = scene.renderer.screen_shape(self.context.screen_size_px, self.context.theme)
        played = scene.playable(level)
        scene.state = retune(scene.family, state, played, screen)
        self.context.report.level_state = scene.state

    def _limit_passed(self) -> bool:
        """Whether the plan's session limit has passed."""
        if self.limit_s is None or self.now_s is None or self._started_s is None:
            return False
        return self.now_s() - self._started_s >= self.limit_s

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
            if self._limit_passed():  # no new set after the session's limit
                return self._session_over(route.state)
            note, self._rest_suggested = (REST_BETWEEN_SETS_NOTE if self._rest_suggested else None), False
            return RestScene(
                self.context, sets_done=len(self._sets), sets=level.sets, rest_s=level.rest_between_sets_s, note=note
            )
        if not cut_short:
            self._finished.add(self.position)
            if isinstance(level, AssessmentLevel):
                self.journal.add_assessment(level.name, progress.results, data_dir=self.context.store.data_dir)
            if self.next_level is not None and self._limit_passed():  # no new level after the session's limit
                return self._session_over(route.state)
        return self._results(route.state, route.note)

    def _stop(self) -> Scene:
        self.stopped = True
        scene, self._level_scene = self._level_scene, None
        if scene is not None:  # stopped during a set (not in the rest after one): what it did so far
            self._trials_ended()
            self._journal_stopped_trial(scene)
            self._sets.append(scene.state.progress)
            self._feedback.extend(scene.feedback)
            return self._results(scene.state, STOPPED_NOTE)
        return self._results(None, STOPPED_NOTE)

    def _journal_stopped_trial(self, scene: LevelScene) -> None:
        """Keep the trial under way when Stop was pressed as unfinished, with the answers to "why did you pause?"
        given in it (most often "It hurts", then Stop): the therapist hears of them. Nothing without answers."""
        reasons = tuple(scene.pause_reasons[self._pauses_journaled :])
        if not reasons:
            return
        self._pauses_journaled = len(scene.pause_reasons)
        progress = scene.state.progress
        start_s = progress.results[-1].end_s if progress.results else 0.0  # the trial began after the last one
        stopped = TrialResult(
            index=len(progress.results),
            outcome=Outcome.UNFINISHED,
            start_s=start_s,
            end_s=max(progress.clock.elapsed_s, start_s),
        )
        played_at = None if self._run is None else self._run.state.difficulty
        self.journal.add_trial(
            stopped, None, set_number=len(self._sets) + 1, difficulty=played_at, pause_reasons=reasons
        )

    def _session_over(self, last: LevelState | None) -> Scene:
        """The session's time limit has passed: the last level run's results, saying so, and only "End the game"."""
        self.time_up = True
        self._over = self._results(last, TIME_UP_NOTE, over=True)
        return self._over

    def _results(self, last: LevelState | None, note: str | None, *, over: bool = False) -> Scene:
        """The results of the level run: one set as it is, several joined into one table."""
        self._run_open = False
        one_set = len(self._sets) == 1 and last is not None
        state: LevelState = last if one_set and last is not None else JoinedSets(join_sets(self._sets))
        following = None if over else self.next_level  # also after Stop: the rest of the plan is still offered
        noun = renderer_for(self.context.level.kind).trial_noun
        rest = REST_SUGGESTED_NOTE if self._rest_suggested and not over else None
        notes = [text for text in (note, change_words(self.changes, noun), rest, self._journal_notice()) if text]
        self._rest_suggested = False
        scene = ResultsScene(
            self.context,
            state,
            self._feedback,
            note=" ".join(notes) or None,
            next_level=None if following is None else following.title,
            trend=self._trend(),
            session_over=over,
            set_sizes=[len(progress.results) for progress in self._sets],
        )
        if over:
            buttons: tuple[OverlayButton, ...] = (
                OverlayButton(FINISH_BUTTON_NORM, lambda: "End the game", lambda: Command.QUIT),
            )
        elif self.stopped and following is not None:
            again, on, menu, finish = STOPPED_BUTTONS_NORM
            buttons = (
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
        auto = None if auto_s is None or following is None or self.stopped or over else (auto_s, Command.CONFIRM)
        return DwellOverlay(scene, buttons, self.context.theme, draw_pointer=True, auto=auto, context=self.context)

    def _trend(self) -> LevelTrend | None:
        """The patient's recent sessions of the level just played, from the records (``None`` when not recorded)."""
        if self.journal.store is None:
            return None
        from clinic.records.trends import recent_level_trend  # SQLAlchemy's queries: loaded once records are open

        return recent_level_trend(self.journal.store, self.journal.patient, self.context.level.name)

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
