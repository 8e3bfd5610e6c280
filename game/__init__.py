"""The pygame-ce application: the loop, the scenes and their routes, one renderer per level family, input mapping
(camera, recording, mouse), the calibration scene, sessions of several levels with their results, and the CLI.

Difficulty does not adapt between trials or sessions yet: a level plays as its file says.
"""

import os

# pygame prints a greeting on import; the command line's output is for the patient and therapist.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
