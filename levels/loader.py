"""Loading level files: by name from the installed catalogue, or from a path.

The catalogue is read through :mod:`importlib.resources`, so an installed copy finds its levels from any folder.
A file is validated as the union of the families' schemas, discriminated on ``kind`` (:mod:`levels.families`).
Every error names the file, the field and what was expected; TOML syntax errors keep their line and column. The
messages speak to a therapist editing a level file: an unknown ``kind`` lists the known kinds, an unknown field
lists the fields that kind of level has and points to ``levels/README.md``, never to Python code. Hostile files
(a folder or named pipe given as a level, deep nesting, numbers of thousands of digits) are refused with the same
kind of message (:mod:`tracking.json_input`).
"""

from __future__ import annotations

import difflib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from levels.difficulty import DifficultyError, LevelSpec, ends, level_at, split_level_data
from levels.errors import LevelFileError
from levels.families import family_for, known_kinds, level_file_adapter
from levels.schema import SCHEMA_VERSION, LevelFile
from tracking.input_files import InputFileError, read_text_file
from tracking.json_input import toml_loads_checked

CATALOGUE_PACKAGE = "levels.catalogue"
LEVEL_SUFFIX = ".toml"
# A level file is well under 2 KB; a file over 1 MiB is not one and is not read into memory.
MAX_LEVEL_BYTES = 1024 * 1024
# Where a person finds every field of a level file with its unit and valid range.
FIELDS_HELP = "levels/README.md"


def list_levels() -> list[str]:
    """Return the names of the levels in the installed catalogue, sorted."""
    catalogue = resources.files(CATALOGUE_PACKAGE)
    return sorted(
        entry.name.removesuffix(LEVEL_SUFFIX)
        for entry in catalogue.iterdir()
        if entry.is_file() and entry.name.endswith(LEVEL_SUFFIX)
    )


def load_level(name_or_path: str | Path) -> LevelFile:
    """Return a level by catalogue name (``"reach"``) or by the path of a ``.toml`` file, at its start difficulty.

    Raises
    ------
    LevelFileError
        As :func:`load_level_spec`.
    """
    spec = load_level_spec(name_or_path)
    level: LevelFile = level_at(spec, spec.adaptation.start_difficulty)
    return level


def load_level_spec(name_or_path: str | Path) -> LevelSpec:
    """Return a level file with its ``[easy, hard]`` ramps (:mod:`levels.difficulty`), by name or path.

    Raises
    ------
    LevelFileError
        The level is unknown, the file cannot be read, is not valid TOML, or breaks the schema; the message
        names the file, the field and what was expected.
    """
    text = str(name_or_path)
    if text.endswith(LEVEL_SUFFIX) or "/" in text or "\\" in text:
        try:
            content = read_text_file(text, expected="a .toml level file", max_bytes=MAX_LEVEL_BYTES)
        except InputFileError as error:
            raise LevelFileError(f"{error.path}: cannot read the level file: {_where(error)}") from None
        return parse_level_spec(content, source=text, expected_name=Path(text).stem)
    if text not in list_levels():
        available = ", ".join(list_levels()) or "none"
        raise LevelFileError(
            f"Unknown level {text!r}. Available levels: {available}; or give the path of a .toml file."
        )
    resource = resources.files(CATALOGUE_PACKAGE) / f"{text}{LEVEL_SUFFIX}"
    return parse_level_spec(
        resource.read_text(encoding="utf-8"),
        source=f"{CATALOGUE_PACKAGE}/{text}{LEVEL_SUFFIX}",
        expected_name=text,
    )


def parse_level(content: str, *, source: str, expected_name: str | None = None) -> LevelFile:
    """Check the text of a level file; ``source`` names it in errors, ``expected_name`` is its file stem.

    Returns the level at its start difficulty (:func:`parse_level_spec` keeps its ramps).
    """
    spec = parse_level_spec(content, source=source, expected_name=expected_name)
    level: LevelFile = level_at(spec, spec.adaptation.start_difficulty)
    return level


def parse_level_spec(content: str, *, source: str, expected_name: str | None = None) -> LevelSpec:
    """Check the text of a level file with its ``[easy, hard]`` pairs: each end is checked by the family's schema."""
    try:
        raw = toml_loads_checked(content, source=source)
    except InputFileError as error:
        raise LevelFileError(str(error)) from None
    try:
        spec = split_level_data(raw)
    except DifficultyError as error:
        raise LevelFileError(f"{source}: {error}") from None
    for label, index in ends(spec):
        data = spec.data_at(index)
        try:
            level = level_file_adapter().validate_python(data)
        except ValidationError as error:
            ramped = {ramp.field for ramp in spec.ramps}
            about_a_pair = any(str(part) in ramped for item in error.errors() for part in item["loc"])
            where = f"{source} ({label})" if label and about_a_pair else source
            raise LevelFileError(f"{where}: " + _describe(error, data)) from None
        if expected_name is not None and level.name != expected_name:
            raise LevelFileError(
                f"{source}, field 'name': expected the file's name {expected_name!r}, got {level.name!r}"
            )
    return spec


def _where(error: InputFileError) -> str:
    return error.problem if error.line is None else f"line {error.line}: {error.problem}"


def _unknown_field(field: str, kind: str) -> str:
    names = family_for(kind).schema.field_names()
    close = difflib.get_close_matches(field, names, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"field {field!r}: unknown field; {hint}a {kind} level file has the fields {', '.join(names)}"


def _kinds() -> str:
    return ", ".join(repr(kind) for kind in known_kinds())


def _problem(item: ErrorDetails, raw: dict[str, Any]) -> str:
    """One validation error for a person; ``raw`` is the file's data (its ``kind`` says which fields it may have)."""
    kind = raw.get("kind")
    loc = item["loc"]
    if item["type"] == "union_tag_not_found":
        return f"field 'kind': missing (this field is required); expected one of {_kinds()}"
    if item["type"] == "union_tag_invalid":
        return f"field 'kind': unknown kind of level; expected one of {_kinds()}, got {_show(kind)}"
    if loc and loc[0] == kind:  # the union's errors start with the member's tag
        loc = loc[1:]
    field = ".".join(str(part) for part in loc) or "(file)"
    if item["type"] == "extra_forbidden":
        return _unknown_field(field, str(kind))
    if item["type"] == "missing" and field == "schema_version":
        return f"field 'schema_version': missing; a level file starts with schema_version = {SCHEMA_VERSION}"
    if item["type"] == "missing":
        return f"field {field!r}: missing (this field is required)"
    message = str(item["msg"]).removeprefix("Value error, ")
    return f"field {field!r}: {message}, got {_show(item.get('input'))}"


def _describe(error: ValidationError, raw: dict[str, Any]) -> str:
    problems = [_problem(item, raw) for item in error.errors()]
    if any(item["type"] in ("extra_forbidden", "missing") for item in error.errors()):
        problems[-1] += f". Every field, with its unit and valid range: {FIELDS_HELP}"
    return "; ".join(problems)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
