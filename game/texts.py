"""The words the game shows (and the command line prints) in more than one place, in one module: the disclaimer,
what the screen says while the level's effector is not seen or the game is paused (and why it was paused), and the
notes on the measures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # not at run time: `motorplay --help` takes this module's DISCLAIMER and must stay instant
    from tracking.types import Effector

DISCLAIMER = (
    "motorplay supports a therapist's programme of exercises. It does not diagnose and is not a medical device: "
    "its measures are training feedback, not clinical scores."
)

# While the level's effector is not seen (the level waits, its clock stopped) or a calibration step waits for it;
# keyed by Effector.value.
_NOT_SEEN_MESSAGES = {
    "hand": "Hand not seen - move your hand into view of the camera",
    "head": "Face not seen - look at the camera",
}
_WAITING_TITLES = {"hand": "Waiting for your hand", "head": "Waiting for your face"}


def not_seen_message(effector: Effector) -> str:
    """What to do when ``effector`` is not seen, e.g. "Hand not seen - move your hand into view of the camera"."""
    return _NOT_SEEN_MESSAGES[effector.value]


def waiting_title(effector: Effector) -> str:
    """The title over a level that waits for ``effector``, e.g. "Waiting for your hand"."""
    return _WAITING_TITLES[effector.value]


# While a camera delivers no pictures (unplugged, taken by another program) and the game reopens it every second
# (tracking.live.CAMERA_RETRY_INTERVAL_S): shown instead of the "not seen" message; the level waits, its clock stopped.
CAMERA_WAITING_TITLE = "Waiting for the camera"
CAMERA_WAITING_MESSAGE = "The camera stopped sending pictures. Trying again every second - check that it is plugged in."

PAUSED_TITLE = "Paused"
PAUSED_MESSAGE = "Press P or Escape to continue, Q to quit."  # under the title "Paused": not said twice
# The pause screen asks why (game.scenes.level): its answers, in the order of their buttons (left to right), each
# (reason code kept in the records, button label, the kind reply). Plain, kind words: no blame, no alarm.
PAUSE_QUESTION = "Why did you pause?"
PAUSE_HOW_TO_ANSWER = "Hold or click your answer, or press 1, 2 or 3."
PAUSE_ANSWERS: tuple[tuple[str, str, str], ...] = (
    ("break", "Just a break", "Take all the time you need. Carry on whenever you are ready."),
    (
        "pain",
        "It hurts",
        "Thank you for telling us. Please stop and rest now, and tell your therapist about the pain. "
        "Hold Stop at the top right to end the level.",
    ),
    (
        "tired",
        "I'm tired",
        "Well done for listening to your body. Rest as long as you need - stopping for today is fine too.",
    ),
)

# Why a trial of a mouse player has no smoothness or breaks (they measure a hand or a head, not a mouse).
MOUSE_NOTE = "smoothness needs camera tracking"
FEEDBACK_NOTE = "Smoothness (SPARC: closer to 0 is smoother) and breaks are training feedback, not clinical scores."
# The live steadiness gauge's label in a level (the gauge fills while the movement is steady).
STEADY_LABEL = "Steady"
# The results screen: the patient's stars, then the raw measures in a section clearly for the therapist.
STARS_HEADING = "Stars"
THERAPIST_HEADING = "For your therapist"
# What `motorplay analyze` prints (one line of its summary, not in its JSON): a file has no task, so its breaks use
# the free definitions; in a level each trial's breaks are judged against its start and target
# (tracking.task_breaks).
FREE_ANALYSIS_NOTE = (
    "No task: breaks use the free definitions (each movement against its own direction and speed); in a level, "
    "they are judged against the trial's target."
)
