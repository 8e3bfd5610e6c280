"""The pygame-ce application: loop, scenes, rendering, input mapping, calibration, progression and the CLI."""
