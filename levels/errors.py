"""Errors about level files: each names the file, the field and what was expected."""

from __future__ import annotations

from tracking.errors import UserFacingError


class LevelFileError(UserFacingError):
    """A level file is missing, is not valid TOML, or does not follow the level schema."""
