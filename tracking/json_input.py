"""The one JSON (and TOML) parser for files a person gives motorplay: every failure a clear error with file and line.

Python's parsers fail on hostile input in ways ``json.JSONDecodeError`` does not cover: 100,000 nested brackets
raise ``RecursionError``, an integer of more than 4300 digits raises ``ValueError`` (Python's int-string limit),
and ``10**400`` parses to an int that raises ``OverflowError`` when a check converts it to a float. Here:

- integers of more than :data:`MAX_INT_DIGITS` digits become :class:`HugeNumber`, an infinite float that shows
  itself as "a 5000-digit number", so that every range check rejects it and names its field;
- deep nesting and syntax errors become :class:`~tracking.input_files.InputFileError` naming the file and line.
"""

from __future__ import annotations

import json
import math
import re
import sys
from typing import Any

from tracking.input_files import InputFileError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

# Integers with more digits than this are out of every range motorplay accepts (10^300 is still below the largest
# float, 1.8e308, so every integer kept converts to a float without OverflowError).
MAX_INT_DIGITS = 300
# No motorplay file nests more than 4 levels; Python's parsers recurse once a level and stop near 1000.
MAX_NESTING = 100

_DIGIT_RUN = re.compile(r"[0-9][0-9_]{" + str(MAX_INT_DIGITS) + r",}")


class HugeNumber(float):
    """An integer too long for any field: infinite (with its sign) for range checks, shown by its digit count."""

    digits: int

    def __new__(cls, text: str) -> HugeNumber:
        """Return the huge integer written ``text`` (digits with an optional sign)."""
        number = super().__new__(cls, -math.inf if text.startswith("-") else math.inf)
        number.digits = len(text.lstrip("+-"))
        return number

    def __repr__(self) -> str:
        sign = "negative " if self < 0 else ""
        return f"a {self.digits}-digit {sign}number (out of range)"

    __str__ = __repr__


def _parse_int(text: str) -> int | float:
    return int(text) if len(text) <= MAX_INT_DIGITS else HugeNumber(text)


def deep_nesting_line(text: str, *, limit: int = MAX_NESTING) -> int | None:
    """Return the 1-based line where brackets or braces first nest deeper than ``limit`` (outside strings), or None."""
    depth = 0
    line = 1
    quote = ""
    escaped = False
    for char in text:
        if char == "\n":
            line += 1
        if quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > limit:
                return line
        elif char in "]}":
            depth = max(0, depth - 1)
    return None


def long_number_line(text: str) -> int | None:
    """Return the 1-based line of the first run of more than :data:`MAX_INT_DIGITS` digits, or None."""
    match = _DIGIT_RUN.search(text)
    return None if match is None else text.count("\n", 0, match.start()) + 1


def _too_deep(text: str, source: str, first_line: int) -> InputFileError:
    line = deep_nesting_line(text)
    return InputFileError(
        source,
        f"lists or objects nested more than {MAX_NESTING} levels deep; this is not a motorplay file",
        line=None if line is None else first_line + line - 1,
    )


def loads_checked(text: str, *, source: str, first_line: int = 1) -> Any:
    """Parse JSON text from ``source`` (a path as the person gave it).

    ``first_line`` is the file line that ``text`` starts on (a JSON Lines reader passes each line's number).

    Raises
    ------
    InputFileError
        Not JSON, nested too deeply, or otherwise unparsable; the message names ``source`` and the line.
    """
    try:
        return json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as error:
        raise InputFileError(
            source, f"not valid JSON: {error.msg} (column {error.colno})", line=first_line + error.lineno - 1
        ) from None
    except RecursionError:
        raise _too_deep(text, source, first_line) from None
    except (ValueError, OverflowError) as error:
        raise InputFileError(source, f"cannot be read as JSON ({error})", line=first_line) from None


def toml_loads_checked(text: str, *, source: str) -> dict[str, Any]:
    """Parse TOML text from ``source``.

    ``tomllib`` has no hook for integers: one of more than 4300 digits fails in it, and is reported as out of range
    with its line; shorter huge integers reach the schema's range checks.

    Raises
    ------
    InputFileError
        Not TOML (with the parser's line and column), nested too deeply, or a number out of range.
    """
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputFileError(source, f"not valid TOML: {error}") from None
    except RecursionError:
        raise _too_deep(text, source, 1) from None
    except (ValueError, OverflowError) as error:
        line = long_number_line(text)
        if line is not None:
            raise InputFileError(source, "a number with too many digits (out of range)", line=line) from None
        raise InputFileError(source, f"cannot be read as TOML ({error})") from None
