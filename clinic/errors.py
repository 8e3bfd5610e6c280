"""Errors about patient data: each names the file or value and what was expected."""

from __future__ import annotations

from tracking.errors import UserFacingError


class ClinicError(UserFacingError):
    """Base class for errors raised by the clinic package."""


class PatientNameError(ClinicError):
    """A patient name that cannot be used safely as a folder name."""


class CalibrationFileError(ClinicError):
    """A calibration file that cannot be read, or does not follow the calibration format."""
