"""``motorplay levels list|show|validate|schema``: the level catalogue and level files, for therapists and editors.

- ``list``: one level a line: its name first, then its family and a short description.
- ``show NAME|FILE``: every field of one level, with what it means.
- ``validate FILE...``: check level files; each error names the file, the line or field and what was expected
  (exit status 2 when one is invalid).
- ``schema``: the JSON Schema of the level file (the union of the families, discriminated on ``kind``), for
  editors that check TOML against a schema.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tracking.errors import UserFacingError

# A description in the list is cut to this many characters: one line of a terminal with the name and family.
SHORT_DESCRIPTION_CHARS = 70
# The schema's identity for editors (JSON Schema draft of pydantic's output).
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def add_parser(subparsers: Any) -> None:
    """Add ``levels`` and its actions."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "levels",
        help="list, show and check levels",
        description="The levels of the catalogue and level files: list them, show one, check a file, or print the "
        "JSON Schema of the level file for an editor.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser("list", help="one level a line: name, family, short description")
    show = actions.add_parser("show", help="every field of a level, with what it means")
    show.add_argument("level", metavar="NAME|FILE", help="a catalogue level name or the path of a .toml file")
    validate = actions.add_parser("validate", help="check level files (exit status 2 when one is invalid)")
    validate.add_argument("files", nargs="+", metavar="FILE", help="level files (.toml) or catalogue names")
    schema = actions.add_parser("schema", help="print the JSON Schema of the level file (for editors)")
    schema.add_argument("--out", type=Path, metavar="FILE", help="write it to FILE instead of printing it")
    parser.set_defaults(run=run, levels_parser=parser)


def run(args: argparse.Namespace) -> int:
    """Run the chosen action."""
    if args.action is None:
        args.levels_parser.print_help()
        return 2
    actions = {"list": _list, "show": _show, "validate": _validate, "schema": _schema}
    return int(actions[args.action](args))


def short_description(text: str, title: str) -> str:
    """The description's first sentence (or the title), cut to :data:`SHORT_DESCRIPTION_CHARS`."""
    text = " ".join(text.split()) or title
    sentence = text.split(". ")[0].rstrip(".")
    if len(sentence) > SHORT_DESCRIPTION_CHARS:
        sentence = sentence[: SHORT_DESCRIPTION_CHARS - 3].rstrip() + "..."
    return sentence


def _list(args: argparse.Namespace) -> int:
    from levels.errors import LevelFileError
    from levels.loader import list_levels, load_level

    rows: list[tuple[str, str, str]] = []
    broken: list[str] = []
    for name in list_levels():
        try:
            level = load_level(name)
        except LevelFileError as error:
            broken.append(str(error))
            continue
        rows.append((level.name, level.kind, short_description(level.description, level.title)))
    name_width = max((len(row[0]) for row in rows), default=0)
    kind_width = max((len(row[1]) for row in rows), default=0)
    for name, kind, text in rows:
        print(f"{name:<{name_width}}  {kind:<{kind_width}}  {text}")
    for message in broken:
        print(f"motorplay levels list: error: {message}", file=sys.stderr)
    return 2 if broken else 0


def _show(args: argparse.Namespace) -> int:
    from levels.loader import load_level

    level = load_level(args.level)
    fields = type(level).model_fields
    print(f"{level.title} ({level.name}, family {level.kind})")
    if level.description:
        print(level.description)
    print()
    for name in level.field_names():
        value = getattr(level, name)
        shown = [item.value for item in value] if name == "models" else value
        meaning = fields[name].description or ""
        setting = f"{name} (not set)" if shown is None else f"{name} = {json.dumps(shown, default=str)}"
        print(setting + (f"    # {meaning}" if meaning else ""))
    _show_adaptation(args.level)
    return 0


def _show_adaptation(name: str) -> None:
    """Print the level's difficulty pairs and its success rule (docs/adaptive-difficulty.md)."""
    from levels.loader import load_level_spec
    from levels.staircase import success_rule_text

    spec = load_level_spec(name)
    print()
    print(f"difficulty: starts at {spec.adaptation.start_difficulty:g}, step {spec.adaptation.difficulty_step:g}"
          + ("" if spec.ramps else " (no [easy, hard] pairs: the level does not change with it)"))
    for ramp in spec.ramps:
        print(f"  {ramp.field} = [{ramp.easy:g}, {ramp.hard:g}]    # easiest, hardest")
    print(success_rule_text(spec.adaptation))


def _validate(args: argparse.Namespace) -> int:
    from levels.loader import load_level

    failed = 0
    for file in args.files:
        try:
            level = load_level(file)
        except UserFacingError as error:
            print(f"motorplay levels validate: error: {error}", file=sys.stderr)
            failed += 1
            continue
        print(f"{file}: valid ({level.kind} level {level.name!r}: {level.title})")
    return 2 if failed else 0


def level_file_schema() -> dict[str, Any]:
    """The JSON Schema of a level file: the union of the families' schemas, discriminated on ``kind``.

    Every difficulty parameter takes a number or an ``[easy, hard]`` pair in the same range, and every family the
    adaptation settings (:func:`levels.difficulty.level_file_json_schema`).
    """
    from levels.difficulty import level_file_json_schema

    schema = level_file_json_schema()
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": "motorplay level file",
        "description": "A level of motorplay (TOML). Every field, with its unit and valid range: levels/README.md",
        **schema,
    }


def _schema(args: argparse.Namespace) -> int:
    text = json.dumps(level_file_schema(), indent=2) + "\n"
    if args.out is None:
        sys.stdout.write(text)
        return 0
    from tracking.atomic_files import write_text_atomic

    write_text_atomic(args.out, text)
    print(f"Wrote the level file schema to {args.out}")
    return 0
