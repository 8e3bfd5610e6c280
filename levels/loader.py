"""Loading level files: by name from the installed catalogue, or from a path.

The catalogue is read through :mod:`importlib.resources`, so an installed copy finds its levels from any folder.
Every error names the file, the field and what was expected; TOML syntax errors keep their line and column.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from levels.errors import LevelFileError
from levels.schema import LevelFile

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

CATALOGUE_PACKAGE = "levels.catalogue"
LEVEL_SUFFIX = ".toml"


def list_levels() -> list[str]:
    """The names of the levels in the installed catalogue, sorted."""
    catalogue = resources.files(CATALOGUE_PACKAGE)
    return sorted(
        entry.name.removesuffix(LEVEL_SUFFIX)
        for entry in catalogue.iterdir()
        if entry.is_file() and entry.name.endswith(LEVEL_SUFFIX)
    )


def load_level(name_or_path: str | Path) -> LevelFile:
    """A level by catalogue name (``"reach"``) or by the path of a ``.toml`` file.

    Raises
    ------
    LevelFileError
        The level is unknown, the file cannot be read, is not valid TOML, or breaks the schema; the message
        names the file, the field and what was expected.
    """
    text = str(name_or_path)
    if text.endswith(LEVEL_SUFFIX) or "/" in text or "\\" in text:
        path = Path(text)
        try:
            content = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise LevelFileError(f"{path}: cannot read the level file ({error})") from None
        return parse_level(content, source=str(path), expected_name=path.stem)
    if text not in list_levels():
        available = ", ".join(list_levels()) or "none"
        raise LevelFileError(
            f"Unknown level {text!r}. Available levels: {available}; or give the path of a .toml file."
        )
    resource = resources.files(CATALOGUE_PACKAGE) / f"{text}{LEVEL_SUFFIX}"
    return parse_level(
        resource.read_text(encoding="utf-8"),
        source=f"{CATALOGUE_PACKAGE}/{text}{LEVEL_SUFFIX}",
        expected_name=text,
    )


def parse_level(content: str, *, source: str, expected_name: str | None = None) -> LevelFile:
    """Check the text of a level file; ``source`` names it in errors, ``expected_name`` is its file stem."""
    try:
        raw = tomllib.loads(content)
    except tomllib.TOMLDecodeError as error:
        raise LevelFileError(f"{source}: not valid TOML: {error}") from None
    try:
        level = LevelFile.model_validate(raw)
    except ValidationError as error:
        raise LevelFileError(f"{source}: " + _describe(error)) from None
    if expected_name is not None and level.name != expected_name:
        raise LevelFileError(
            f"{source}, field 'name': expected the file's name {expected_name!r}, got {level.name!r}"
        )
    return level


def _describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "(file)"
        if item["type"] == "extra_forbidden":
            problems.append(f"field {field!r}: unknown field (check its spelling against levels/schema.py)")
        elif item["type"] == "missing":
            problems.append(f"field {field!r}: missing (this field is required)")
        else:
            problems.append(f"field {field!r}: {item['msg']}, got {_show(item.get('input'))}")
    return "; ".join(problems)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
