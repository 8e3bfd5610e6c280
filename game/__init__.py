"""The pygame-ce application: loop, scenes, rendering, input mapping, calibration, progression and the CLI."""

import os

# pygame prints a greeting on import; the command line's output is for the patient and therapist.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
