"""The game's scenes: one is current at a time (menu, no camera, calibration, level, results)."""
