"""Plausible ranges for what a source or a file may claim.

A value outside them comes from a broken or hostile file, not from a camera: it is refused where it is read, with
the file, line and field, instead of crashing later or sizing an array by it (an analysis grid has duration x fps
rows, so an fps of 1e308 or a time of 1e300 s must never reach it).
"""

from __future__ import annotations

# Below one frame a second no movement can be followed (the 6 Hz analysis low-pass needs at least 12 fps to mean
# anything); 1 fps still lets a slide-show-like test recording load.
MIN_FPS = 1.0
# High-speed consumer cameras reach 240-960 fps; a larger frame rate is a broken header or container.
MAX_FPS = 1000.0
# Seconds from the start of a source: 10^7 s is 115 days, far beyond any session, and keeps t x fps (at most
# 10^10 grid steps) and the recorded microseconds exact in a float64.
MAX_TIME_S = 1e7
# MediaPipe's normalised image coordinates run 0..1 across the image but extrapolate points off its edges (a hand
# half out of view, z in units of x); ten image widths away is no longer a point of a tracked body.
MAX_ABS_COORD_NORM = 10.0
# MediaPipe's world hand landmarks are metres around the hand's centre (a hand spans about 0.2 m).
MAX_ABS_WORLD_M = 10.0
# Head angles (yaw, pitch, roll) are degrees in -180..180 whatever their neutral.
MAX_ABS_ANGLE_DEG = 180.0
# The largest frame side: 8K video is 7680 px wide; H.265 and AV1 stop at 16384 px; 65536 leaves room for any
# camera while refusing a header of a billion pixels.
MAX_IMAGE_SIDE_PX = 65_536
# OpenCV reads a camera index of 100 or more as a capture back-end (index // 100 * 100, e.g. 200 = V4L2) plus a
# device number, so indices 0..99 are the devices; larger ones are a typo, and 3e9 overflows OpenCV's C int.
MAX_CAMERA_INDEX = 99
# One line of a landmark recording: a frame with a 478-point face mesh, pose and two hands is about 40 KB; a line
# of more than 4 MiB is not a recording (a binary file named .jsonl) and is not read into memory.
MAX_LINE_BYTES = 4 * 1024 * 1024
