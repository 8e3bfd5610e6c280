"""Errors from the game's set-up that reach a person (the command line prints them without a traceback)."""

from __future__ import annotations

from tracking.errors import UserFacingError


class GameSetupError(UserFacingError):
    """Options that do not fit together, or a game that cannot start."""
