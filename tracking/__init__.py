"""Camera, video or recording -> landmarks -> control signals -> movement quality.

Imports nothing of motorplay's and never pygame; only :mod:`tracking.landmarker` imports mediapipe.
"""
