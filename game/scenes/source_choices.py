"""What a screen offers when the tracking source has ended, shared by the menu, the calibration and the results:
a file can be played again from its start (it is opened again), a camera that stopped can be tried again, and a
camera player can go on with the mouse. No screen waits for a hand that cannot come. Each choice is a route
(:mod:`game.scenes.routes`): this module builds no scene.
"""

from __future__ import annotations

from game.mouse_input import MouseInput
from game.scenes.base import GameContext
from game.scenes.routes import Next, ToLoading, ToMenu
from game.tracking_input import SourceEnd, source_end
from tracking.recording import is_recording_path


def source_noun(context: GameContext) -> str:
    """ "video", "recording" or "camera": what the player is playing from."""
    opener = context.tracking
    if opener is None or opener.spec.path is None:
        return "camera"
    return "recording" if is_recording_path(opener.spec.path) else "video"


def preview_label(context: GameContext) -> str:
    """What the live preview shows, under it: the camera, or the video file (neither is recorded)."""
    noun = source_noun(context)
    return "Camera (not recorded)" if noun == "camera" else f"The {noun} file (not recorded)"


def playing_from_file(context: GameContext) -> bool:
    return context.tracking is not None and context.tracking.is_file


def ended(context: GameContext) -> SourceEnd | None:
    return source_end(context.input_source)


def can_reopen(context: GameContext) -> bool:
    return context.tracking is not None


def reopen(then: Next) -> ToLoading:
    """Open the camera or file again (a file from its first frame), then go to ``then``."""
    return ToLoading(then=then)


def fresh_source(context: GameContext, then: Next) -> Next:
    """``then`` with a source that can deliver: a file or camera that has ended is opened again first."""
    if ended(context) is not None and can_reopen(context):
        return reopen(then)
    return then


def use_mouse(context: GameContext) -> ToMenu:
    """Go on with the mouse (a camera that is missing or stopped): the menu, with the mouse as input."""
    context.input_source.close()
    context.input_source = MouseInput(context.screen_size_px)
    return ToMenu()


def again_words(context: GameContext) -> str:
    """How "Space" opens the source again, as the player reads it."""
    if playing_from_file(context):
        return f"play the {source_noun(context)} again from the start"
    return "try the camera again"
