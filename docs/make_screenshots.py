"""Make the README's screenshots: the menu, every catalogue level in action, a rest with feedback and the results.

Every catalogue level is played headless from scripted mouse input (the mouse stands in for the hand and the head,
as ``motorplay play --input mouse`` does): the script moves the mouse as a person would, onto the level's targets
(worked out from the level's own rules, as the game places them), along its path, or keeps it still, and the
screenshot is taken at a moment that shows the level in action. The rest with feedback and the results screen come
from the reach level played headless from a replayed landmark recording: a real hand's landmarks
(tests/fixtures/hand_landmarks_open.json) reaching each target of a 3-target level along minimum-jerk paths; the
second reach stops half-way for 0.35 s (an arrest), so the rest and the results show a break. Run from the
repository root:

    .venv/bin/python -m docs.make_screenshots [OUT_DIR]     # default: docs/screenshots
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402

from clinic.calibration_store import CalibrationStore  # noqa: E402
from game.input_source import InputKind  # noqa: E402
from game.renderers import renderer_for  # noqa: E402
from game.session import (  # noqa: E402
    DEFAULT_LEVEL,
    DEFAULT_WINDOW_PX,
    HEADLESS_READING_S,
    SessionOptions,
    SessionResult,
    run_session,
)
from game.theme import Theme  # noqa: E402
from levels.breathe.schema import BreatheLevel  # noqa: E402
from levels.grasp.rules import all_placements, grasp_params  # noqa: E402
from levels.grasp.schema import GraspLevel  # noqa: E402
from levels.head.rules import all_targets as all_head_targets  # noqa: E402
from levels.head.rules import head_params, head_to_screen  # noqa: E402
from levels.head.schema import HeadLevel  # noqa: E402
from levels.hold.schema import HoldLevel  # noqa: E402
from levels.loader import list_levels, load_level  # noqa: E402
from levels.reach.schema import ReachLevel  # noqa: E402
from levels.schema import LevelFile  # noqa: E402
from levels.screen import ScreenShape  # noqa: E402
from levels.trace.rules import trace_params  # noqa: E402
from levels.trace.schema import TraceLevel  # noqa: E402
from tests.support.game_flows import (  # noqa: E402
    REACH,
    REPLAY_WAIT_PER_FRAME_S,
    ScriptedClock,
    Waypoints,
    image_point,
    level_targets,
    position,
    three_target_level_toml,
    write_hand_recording,
)
from tracking.atomic_files import write_bytes_atomic  # noqa: E402
from tracking.calibration import Calibration  # noqa: E402
from tracking.errors import UserFacingError  # noqa: E402
from tracking.types import HeadAngles  # noqa: E402

DEFAULT_OUT_DIR = Path("docs/screenshots")
FPS = 30.0
LEVEL_TOML = three_target_level_toml(name="replay", title="Replay reach", seed=99)
# The recorded hand rests until the first target is surely shown (after the level's 1 s rest), then reaches each
# target in MOVE_S and holds it HOLD_S: longer than the dwell plus the level's rest, so the game always waits for it.
# After the reach with the arrest the rest lasts as long as its feedback takes to read (two lines, game/scenes/level.py
# reading_time_s): the hand holds that target READING_HOLD_S, so that the third target is shown before it moves.
FIRST_MOVE_S = 1.0 + 0.2
MOVE_S = 0.8
HOLD_S = 1.6
READING_HOLD_S = 7.0
ARREST_TRIAL = 1
ARREST_S = 0.35
# The level screenshot: the first reach's target filling (the hand arrives at FIRST_MOVE_S + MOVE_S after the start).
LEVEL_SHOT_AFTER_START_S = FIRST_MOVE_S + MOVE_S
# The rest screenshot: the feedback on the reach with the arrest, read while the hand holds that target (it arrives
# there 2.5 s before the shot, the dwell fills, then the rest shows the feedback).
REST_SHOT_AFTER_START_S = FIRST_MOVE_S + 2 * MOVE_S + HOLD_S + ARREST_S + 2.5


def waypoints_with_arrest(targets: Sequence[tuple[float, float]]) -> Waypoints:
    """Rest, then reach and hold each target; reach ``ARREST_TRIAL`` stops half-way for ``ARREST_S``."""
    palm = image_point(REACH, (0.5, 0.5))
    points: Waypoints = [(0.0, palm), (FIRST_MOVE_S, palm)]
    t_s = FIRST_MOVE_S
    for index, target in enumerate(targets):
        goal = image_point(REACH, target)
        if index == ARREST_TRIAL:
            start = points[-1][1]
            middle = ((start[0] + goal[0]) / 2, (start[1] + goal[1]) / 2)
            points += [(t_s + MOVE_S / 2, middle), (t_s + MOVE_S / 2 + ARREST_S, middle)]
            t_s += ARREST_S
        hold_s = READING_HOLD_S if index == ARREST_TRIAL else HOLD_S
        points += [(t_s + MOVE_S, goal), (t_s + MOVE_S + hold_s, goal)]
        t_s += MOVE_S + hold_s
    return points


def stepped_clock() -> ScriptedClock:
    """Simulated time, one 1/60 s frame a tick, shared with the live tracker's replay: the run is deterministic."""
    return ScriptedClock(real_wait_s=REPLAY_WAIT_PER_FRAME_S)


# ---------------------------------------------------------------------------------------------------------------
# Every catalogue level, played with scripted mouse input.

# With nobody at the keyboard the menu starts the level after HEADLESS_READING_S; the mouse stays off the menu's
# buttons until then (resting on one would choose that level) and moves a little after the level has started.
LEVEL_START_S = HEADLESS_READING_S
MOUSE_START_S = LEVEL_START_S + 0.1
CENTRE: tuple[float, float] = (0.5, 0.55)  # where the person's hand (mouse) rests: the middle of the play area
# Seconds of simulated play after the chosen moment: the screenshot a second (the game's interval) is surely taken.
AFTER_SHOT_S = 1.2
# A person's hand (mouse) move between two points: slow and smooth, never hurried.
MOUSE_MOVE_S = 1.0
LEVEL_SHOT_PREFIX = "level-"

Pointer = Callable[[float], "tuple[float, float] | None"]


@dataclass(frozen=True)
class MouseDemo:
    """How a level is played for its screenshot: where the mouse is at each simulated second (screen 0..1, ``None``:
    not moved yet), the seconds at which the left button goes down and up, and the second to show."""

    pointer: Pointer
    shot_at_s: float
    presses: tuple[tuple[float, bool], ...] = ()


class MouseScriptClock(ScriptedClock):
    """Simulated time, one 1/60 s frame a tick; posts the mouse moves and button presses of ``demo``, as a person's
    hand on the mouse would produce them."""

    def __init__(self, demo: MouseDemo, window_px: tuple[int, int]) -> None:
        super().__init__(real_wait_s=0.0)  # no tracker to keep pace with: the mouse is read on the game's thread
        self._demo = demo
        self._window_px = window_px
        self._presses = sorted(demo.presses)
        self._last_px: tuple[int, int] | None = None

    def tick(self) -> float:
        frame_s = super().tick()
        now_s = self.now_s()
        point = self._demo.pointer(now_s)
        if point is not None:
            self._move_to(point)
        while self._presses and self._presses[0][0] <= now_s:
            _, down = self._presses.pop(0)
            kind = pygame.MOUSEBUTTONDOWN if down else pygame.MOUSEBUTTONUP
            pygame.event.post(pygame.event.Event(kind, button=pygame.BUTTON_LEFT, pos=self._last_px or (0, 0)))
        return frame_s

    def _move_to(self, point: tuple[float, float]) -> None:
        width_px, height_px = self._window_px
        pos_px = (round(point[0] * (width_px - 1)), round(point[1] * (height_px - 1)))
        if pos_px == self._last_px:
            return
        rel_px = (0, 0) if self._last_px is None else (pos_px[0] - self._last_px[0], pos_px[1] - self._last_px[1])
        self._last_px = pos_px
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos_px, rel=rel_px, buttons=(0, 0, 0)))


def _along(waypoints: Waypoints) -> Pointer:
    """The mouse along ``waypoints`` (minimum-jerk between them), not moved before the first."""
    return lambda t_s: None if t_s < waypoints[0][0] else position(waypoints, t_s)


def _screen(level: LevelFile, window_px: tuple[int, int]) -> ScreenShape:
    """The play area the level's rules see in a window of ``window_px``."""
    pygame.font.init()  # the status bar's height comes from the theme's font (each run ends with pygame.quit)
    return renderer_for(level.kind).screen_shape(window_px, Theme.for_height(window_px[1]))


def _move_then_hold(goal: tuple[float, float], *, move_at_s: float, hold_s: float) -> Waypoints:
    return [
        (MOUSE_START_S, CENTRE),
        (max(move_at_s, MOUSE_START_S + 0.01), CENTRE),
        (max(move_at_s, MOUSE_START_S + 0.01) + MOUSE_MOVE_S, goal),
        (max(move_at_s, MOUSE_START_S + 0.01) + MOUSE_MOVE_S + hold_s, goal),
    ]


def reach_demo(level: ReachLevel, window_px: tuple[int, int]) -> MouseDemo:
    """Reach the first target when it appears (after the level's rest) and hold it: the circle half filled."""
    first = level_targets(level.name, window_px)[0]
    shown_s = LEVEL_START_S + level.inter_trial_pause_s
    return MouseDemo(_along(_move_then_hold(first, move_at_s=shown_s, hold_s=4.0)), shot_at_s=shown_s + 1.0)


def head_demo(level: HeadLevel, window_px: tuple[int, int]) -> MouseDemo:
    """Steer the head's ring onto the first circle when it appears and hold it there: the circle filling."""
    first = head_to_screen(all_head_targets(head_params(level, _screen(level, window_px)))[0])
    shown_s = LEVEL_START_S + level.inter_trial_pause_s
    # A person takes a moment to see the new circle; the ring reaches it ~0.1 s before the shot, when it starts filling
    waypoints = _move_then_hold(first, move_at_s=shown_s + 0.6, hold_s=4.0)
    return MouseDemo(_along(waypoints), shot_at_s=shown_s + 1.5)


def grasp_demo(level: GraspLevel, window_px: tuple[int, int]) -> MouseDemo:
    """Move onto the first ball, close the hand (button down), and carry the ball towards the goal."""
    ball, goal = all_placements(grasp_params(level, _screen(level, window_px)))[0]
    at_ball_s = LEVEL_START_S + level.inter_trial_pause_s + MOUSE_MOVE_S
    close_s = at_ball_s + 0.3
    carry_s = close_s + level.grip_hold_time_s + 0.4
    carry_time_s = 2.5
    waypoints = [
        (MOUSE_START_S, CENTRE),
        (at_ball_s - MOUSE_MOVE_S, CENTRE),
        (at_ball_s, ball),
        (carry_s, ball),
        (carry_s + carry_time_s, goal),
        (carry_s + carry_time_s + 2.0, goal),
    ]
    return MouseDemo(_along(waypoints), shot_at_s=carry_s + carry_time_s * 0.5, presses=((close_s, True),))


def hold_demo(level: HoldLevel, window_px: tuple[int, int]) -> MouseDemo:
    """Bring the head (mouse) to the level's target posture and keep it there: the hold under way."""
    target = head_to_screen(HeadAngles(level.target_yaw_deg, level.target_pitch_deg, 0.0))
    settle_s = LEVEL_START_S + 0.5
    return MouseDemo(
        _along(_move_then_hold(target, move_at_s=settle_s, hold_s=30.0)),
        shot_at_s=LEVEL_START_S + level.inter_trial_pause_s + 3.0,
    )


def trace_demo(level: TraceLevel, window_px: tuple[int, int]) -> MouseDemo:
    """Wait on the path's start, then follow the guide along it, a little behind, as a person would."""
    params = trace_params(level, _screen(level, window_px))
    path = params.path
    start = path.at(0.0)
    lap_starts_s = LEVEL_START_S + level.inter_trial_pause_s
    lag_s = 0.25

    def pointer(t_s: float) -> tuple[float, float] | None:
        if t_s < MOUSE_START_S:
            return None
        if t_s < lap_starts_s:
            return position([(MOUSE_START_S, CENTRE), (MOUSE_START_S + MOUSE_MOVE_S * 1.5, start)], t_s)
        return path.at(max(t_s - lap_starts_s - lag_s, 0.0) * params.speed_norm_per_s)

    return MouseDemo(pointer, shot_at_s=lap_starts_s + params.lap_s * 0.3)


def still_demo(shot_at_s: float) -> MouseDemo:
    """The mouse brought to rest in the middle and kept still (breathing, resting)."""
    return MouseDemo(_along(_move_then_hold(CENTRE, move_at_s=MOUSE_START_S, hold_s=120.0)), shot_at_s=shot_at_s)


def assessment_demo(window_px: tuple[int, int]) -> MouseDemo:
    """Slow, wide loops to the edges of a comfortable reach: the reach-range step under way."""
    loop_s = 4.0

    def pointer(t_s: float) -> tuple[float, float] | None:
        if t_s < MOUSE_START_S:
            return None
        angle = 2.0 * math.pi * (t_s - MOUSE_START_S) / loop_s
        return 0.5 + 0.3 * math.sin(angle), 0.55 + 0.25 * (1.0 - math.cos(angle)) - 0.25

    return MouseDemo(pointer, shot_at_s=LEVEL_START_S + 5.5)


def level_demo(level: LevelFile, window_px: tuple[int, int]) -> MouseDemo:
    """How the person plays ``level`` for its screenshot, by the level's family."""
    if isinstance(level, HeadLevel):
        return head_demo(level, window_px)
    if isinstance(level, GraspLevel):
        return grasp_demo(level, window_px)
    if isinstance(level, HoldLevel):
        return hold_demo(level, window_px)
    if isinstance(level, TraceLevel):
        return trace_demo(level, window_px)
    if isinstance(level, ReachLevel):
        return reach_demo(level, window_px)
    if isinstance(level, BreatheLevel):
        return still_demo(LEVEL_START_S + level.lead_in_s + 2.0)  # half-way through the first breath in
    if level.kind == "assessment":
        return assessment_demo(window_px)
    return still_demo(LEVEL_START_S + 4.0)  # a family this script does not know yet: shown early, mouse still


def _shot_time_s(shot: Path) -> float:
    """When a screenshot named ``NNNN_<scene>_<seconds>s.png`` was taken, seconds of game time."""
    return float(shot.stem.rsplit("_", 1)[1].rstrip("s"))


def _nearest(shots: Sequence[Path], at_s: float) -> Path:
    """The screenshot taken nearest to ``at_s``."""
    return min(shots, key=lambda shot: abs(_shot_time_s(shot) - at_s))


def play_level_with_mouse(name: str, scratch: Path, window_px: tuple[int, int]) -> tuple[Path, Path | None]:
    """Play catalogue level ``name`` with scripted mouse input; return its chosen level screenshot and the first
    menu screenshot (``None`` when none was taken).

    Raises ``RuntimeError`` when the run never showed the level.
    """
    level = load_level(name)
    demo = level_demo(level, window_px)
    shots_dir = scratch / f"mouse-{name}"
    result = run_session(
        SessionOptions(
            level=name,
            input_kind=InputKind.MOUSE,
            data_dir=scratch / "mouse-data",
            headless=True,
            max_seconds=demo.shot_at_s + AFTER_SHOT_S,
            screenshot_dir=shots_dir,
            window_px=window_px,
        ),
        clock_factory=lambda: MouseScriptClock(demo, window_px),
    )
    level_shots = [path for path in result.screenshots if "_level_" in path.name]
    menu_shots = [path for path in result.screenshots if "_menu_" in path.name]
    if not level_shots:
        raise RuntimeError(f"{name}: the mouse run did not reach the level: scenes {result.scenes}")
    return _nearest(level_shots, demo.shot_at_s), (menu_shots[0] if menu_shots else None)


def catalogue_screenshots(scratch: Path, out_dir: Path, window_px: tuple[int, int]) -> list[str]:
    """A screenshot of every catalogue level in action (``level-<name>.png``) and the menu (``menu.png``)."""
    written: list[str] = []
    menu: Path | None = None
    for name in list_levels():
        shot, menu_shot = play_level_with_mouse(name, scratch, window_px)
        if menu is None or name == DEFAULT_LEVEL:  # the menu as `motorplay play --input mouse` opens
            menu = menu_shot or menu
        written.append(f"{LEVEL_SHOT_PREFIX}{name}.png")
        _copy(shot, out_dir / written[-1])
    if menu is not None:
        _copy(menu, out_dir / "menu.png")
        written.append("menu.png")
    return written


def _copy(source: Path, target: Path) -> None:
    write_bytes_atomic(target, source.read_bytes())


def replay_screenshots(scratch: Path, out_dir: Path) -> list[str]:
    """The reach level played from a replayed recording of a real hand: ``level.png`` (a reach under way),
    ``rest.png`` (the biofeedback after the reach with an arrest) and ``results.png``.

    Raises ``RuntimeError`` when the run did not reach the results screen.
    """
    level_path = scratch / "replay.toml"
    level_path.write_text(LEVEL_TOML, encoding="utf-8")
    targets = level_targets(level_path, DEFAULT_WINDOW_PX)
    points = waypoints_with_arrest(targets)
    recording = write_hand_recording(scratch / "reach.jsonl", points, fps=FPS)
    CalibrationStore(scratch / "data").save("demo", Calibration(REACH))
    with contextlib.chdir(scratch):  # the results' note names the recording as a player types it: "reach.jsonl"
        result = _replay(level_path, recording.relative_to(scratch), points[-1][0], scratch)
    level_shots = [path for path in result.screenshots if "_level_" in path.name]
    results_shots = [path for path in result.screenshots if "_results_" in path.name]
    if not level_shots or not results_shots:
        raise RuntimeError(f"the run did not reach the results screen: scenes {result.scenes}")
    level_started_s = _shot_time_s(level_shots[0])
    chosen = {
        # the run is deterministic (simulated clock): the first reach, its target filling
        "level.png": _nearest(level_shots, level_started_s + LEVEL_SHOT_AFTER_START_S),
        # the rest after the reach with the arrest
        "rest.png": _nearest(level_shots, level_started_s + REST_SHOT_AFTER_START_S),
        "results.png": results_shots[-1],
    }
    for name, shot in chosen.items():
        _copy(shot, out_dir / name)
    return list(chosen)


def _replay(level_path: Path, recording: Path, last_point_s: float, scratch: Path) -> SessionResult:
    """Play ``level_path`` headless from ``recording`` (a simulated clock) with a saved calibration, taking shots."""
    return run_session(
        SessionOptions(
            level=str(level_path),
            source=recording,
            patient="demo",
            data_dir=scratch / "data",
            headless=True,
            max_seconds=last_point_s + 4.0,
            screenshot_dir=scratch / "shots",
            offer_choices=False,
        ),
        clock_factory=stepped_clock,
    )


def make_screenshots(out_dir: Path, *, window_px: tuple[int, int] = DEFAULT_WINDOW_PX) -> list[str]:
    """Play the demonstrations and write their screenshots into ``out_dir`` (created); returns the names written.

    Raises ``RuntimeError`` when a run did not reach the screen it was to show.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        written = replay_screenshots(scratch, out_dir)
        written += catalogue_screenshots(scratch, out_dir, window_px)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "out_dir", nargs="?", type=Path, default=DEFAULT_OUT_DIR, help=f"where the PNGs go (default: {DEFAULT_OUT_DIR})"
    )
    args = parser.parse_args(argv)
    if args.out_dir.exists() and not args.out_dir.is_dir():
        parser.error(f"{args.out_dir}: is not a folder")
    try:
        written = make_screenshots(args.out_dir)
    except UserFacingError as error:  # a screenshot that cannot be written: the message names the file
        print(f"error: {error}", file=sys.stderr)
        return 2
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"wrote {', '.join(written)} to {args.out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
