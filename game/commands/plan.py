"""``motorplay plan show|edit|validate|import|export|pin``: the therapist's plan of a patient.

The plan format: docs/adaptive-difficulty.md.

- ``show --patient ID``: the current plan, level by level (limits, caps, success rule), and its history.
- ``edit --patient ID``: opens ``$EDITOR`` (else ``$VISUAL``, else ``nano``) on a copy; the copy is validated
  before it is saved as a new version (an invalid copy is kept, and named, for another try).
- ``validate FILE``: check a plan file; every error names the field (exit status 2 when invalid).
- ``import FILE --patient ID``: validate a plan file and store it as the patient's newest version.
- ``export --patient ID [--out FILE]``: the current plan's text (to standard output, or a file written atomically).
- ``pin --patient ID``: set the PIN of the in-game therapist screen; only its salted scrypt hash is stored.
"""

from __future__ import annotations

import argparse
import getpass
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.commands.patients import NO_ACTION_EXIT_CODE, add_store_options, local_time, open_records
from tracking.errors import UserFacingError

if TYPE_CHECKING:
    from levels.plan import Plan

# A plan file is a few KB; one over this is not a plan (the records keep at most 256 KiB).
MAX_PLAN_FILE_BYTES = 256 * 1024
DEFAULT_EDITOR = "nano"
# What `plan edit` starts from when the patient has no plan yet.
TEMPLATE = """\
# The plan of {patient}: docs/adaptive-difficulty.md describes every field.
schema_version = 1
affected_side = "left"          # left, right, both or none
session_limit_min = 30          # minutes
rest_between_sets_s = 30.0

[[levels]]
name = "reach"
repetitions = 8
sets = 2
start_difficulty = 0.3
min_difficulty = 0.0
max_difficulty = 0.8
caps = {{ target_radius_norm = {{ min = 0.07 }} }}
"""


class PlanCommandError(UserFacingError):
    """A plan action that cannot be done (no plan to export, an editor that failed, PINs that differ)."""


def add_parser(subparsers: Any) -> None:
    """Add ``plan`` and its actions."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "plan",
        help="the therapist's plan of a patient: show, edit, validate, import, export; set the PIN",
        description="The therapist's plan of a patient: which levels in what order, sets and repetitions, the "
        "session's length, each level's difficulty limits and caps. Stored in the records with its history.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    show = actions.add_parser("show", help="the current plan and its history")
    _patient(show)
    show.set_defaults(run=_show)
    edit = actions.add_parser("edit", help="edit the plan in $EDITOR; saved only when valid")
    _patient(edit)
    _author(edit)
    edit.set_defaults(run=_edit)
    validate = actions.add_parser("validate", help="check a plan file (exit status 2 when invalid)")
    validate.add_argument("file", metavar="FILE", help="a plan file (.toml)")
    validate.set_defaults(run=_validate)
    imported = actions.add_parser("import", help="store a plan file as the patient's newest plan")
    imported.add_argument("file", metavar="FILE", help="a plan file (.toml)")
    _patient(imported)
    _author(imported)
    imported.set_defaults(run=_import)
    export = actions.add_parser("export", help="the current plan's text")
    _patient(export)
    export.add_argument("--out", type=Path, metavar="FILE", help="write it to FILE (default: standard output)")
    export.set_defaults(run=_export)
    pin = actions.add_parser("pin", help="set the PIN of the in-game therapist screen (4-8 digits)")
    _patient(pin)
    pin.add_argument("--pin-stdin", action="store_true",
                     help="read the PIN from the first line of standard input (for scripts) instead of asking twice")
    pin.set_defaults(run=_pin)
    parser.set_defaults(run=lambda args: _no_action(parser))


def _patient(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--patient", required=True, metavar="ID", help="the patient's ID")
    add_store_options(parser)


def _author(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--author", metavar="NAME", help="who made this version (default: this computer's user)")


def _no_action(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return NO_ACTION_EXIT_CODE


def _read_plan_file(file: str) -> str:
    from levels.loader import _where  # a level file's words: "line 2: byte 0xe9 at column 19 is not UTF-8 text"
    from levels.plan import PlanFileError
    from tracking.input_files import InputFileError, read_text_file

    try:
        return read_text_file(file, expected="a .toml plan file", max_bytes=MAX_PLAN_FILE_BYTES)
    except InputFileError as error:
        raise PlanFileError(f"{error.path}: cannot read the plan file: {_where(error)}") from None


def _author_of(args: argparse.Namespace) -> str:
    return str(args.author or getpass.getuser() or "unknown")


def _validate(args: argparse.Namespace) -> int:
    from clinic.plan import check_plan

    plan = check_plan(_read_plan_file(args.file), args.file)
    names = ", ".join(entry.name for entry in plan.levels)
    print(f"{args.file}: valid plan ({len(plan.levels)} level{'s' if len(plan.levels) != 1 else ''}: {names})")
    return 0


def _import(args: argparse.Namespace) -> int:
    from clinic.plan import save_plan

    text = _read_plan_file(args.file)
    with open_records(args) as store:
        store.patient(args.patient)
        record = save_plan(store, args.patient, text, author=_author_of(args), source=args.file)
    print(f"Stored {args.file} as version {record.version} of the plan of {args.patient} (by {record.author})")
    return 0


def _export(args: argparse.Namespace) -> int:
    with open_records(args) as store:
        record = store.plan(args.patient)
    if record is None:
        raise PlanCommandError(f"patient {args.patient} has no plan yet: `motorplay plan edit --patient "
                               f"{args.patient}` or `motorplay plan import FILE --patient {args.patient}`")
    if args.out is None:
        sys.stdout.write(record.text)
        return 0
    from tracking.atomic_files import write_text_atomic

    write_text_atomic(args.out, record.text)
    print(f"Wrote version {record.version} of the plan of {args.patient} to {args.out}")
    return 0


def _show(args: argparse.Namespace) -> int:
    from clinic.plan import current_plan

    with open_records(args) as store:
        store.patient(args.patient)
        found = current_plan(store, args.patient)
        history = store.plan_history(args.patient)
    if found is None:
        print(f"Patient {args.patient} has no plan yet: `motorplay plan edit --patient {args.patient}` makes one.")
        return 0
    record, plan = found
    print(f"Plan of {args.patient}: version {record.version} by {record.author}, {local_time(record.created_at)}")
    for line in describe_plan(plan):
        print(line)
    print()
    print("History:")
    for version in history:
        print(f"  version {version.version}: {version.author}, {local_time(version.created_at)}")
    return 0


def describe_plan(plan: Plan) -> list[str]:
    """Return the plan in lines for the therapist: settings, then each level with limits, caps and success rule."""
    from levels.loader import load_level_spec
    from levels.plan import index_limits
    from levels.staircase import success_rule_text

    lines = [f"affected side: {plan.affected_side}; session limit: {plan.session_limit_min:g} min; "
             f"rest between sets: {plan.rest_between_sets_s:g} s"]
    for position, entry in enumerate(plan.levels, start=1):
        spec = load_level_spec(entry.name)
        low, high = index_limits(spec, entry)
        repetitions = "as the level says" if entry.repetitions is None else str(entry.repetitions)
        lines.append(f"{position}. {entry.name}: {entry.sets} set(s) of {repetitions}; difficulty starts at "
                     f"{entry.start_difficulty:g}, within {low:g}..{high:.3g}")
        for field, cap in entry.caps.items():
            bounds = [f"at least {cap.min:g}" if cap.min is not None else "", f"at most {cap.max:g}"
                      if cap.max is not None else ""]
            lines.append(f"   cap: {field} " + " and ".join(part for part in bounds if part))
        for ramp in spec.ramps:
            lines.append(f"   {ramp.field}: {ramp.easy:g} (easiest) to {ramp.hard:g} (hardest)")
        lines.append("   " + success_rule_text(spec.adaptation))
    return lines


def _editor() -> list[str]:
    command = os.environ.get("EDITOR") or os.environ.get("VISUAL") or DEFAULT_EDITOR
    return shlex.split(command)


def _edit(args: argparse.Namespace) -> int:
    from clinic.plan import save_plan

    with open_records(args) as store:
        store.patient(args.patient)
        record = store.plan(args.patient)
        original = TEMPLATE.format(patient=args.patient) if record is None else record.text
        text = _edit_copy(original, args.patient)
        if text is None:
            print(f"No change: the plan of {args.patient} stays as it was.")
            return 0
        saved = save_plan(store, args.patient, text, author=_author_of(args), source="the edited plan")
    print(f"Saved version {saved.version} of the plan of {args.patient} (by {saved.author})")
    return 0


def _edit_copy(original: str, patient: str) -> str | None:
    """Let the person edit a copy of ``original``; return the new text, ``None`` when unchanged.

    The copy is validated here; when invalid, it is kept and named in the error, so the work is not lost.
    """
    from clinic.plan import check_plan
    from levels.plan import PlanFileError

    handle, name = tempfile.mkstemp(prefix=f"plan-{patient}-", suffix=".toml")
    copy = Path(name)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(original)
    try:
        finished = subprocess.run([*_editor(), str(copy)], check=False)
    except OSError as error:
        raise PlanCommandError(f"cannot start the editor {_editor()[0]!r} ($EDITOR): {error.strerror}") from None
    if finished.returncode != 0:
        raise PlanCommandError(f"the editor exited with status {finished.returncode}; the plan was not changed "
                               f"(your copy: {copy})")
    text = copy.read_text(encoding="utf-8")
    if text == original:
        copy.unlink()
        return None
    try:
        check_plan(text, str(copy))
    except PlanFileError as error:
        raise PlanFileError(f"{error} -- not saved; your copy is kept at {copy}") from None
    copy.unlink()
    return text


def _pin(args: argparse.Namespace) -> int:
    from clinic.pin import check_pin_text
    from clinic.plan import set_pin

    if args.pin_stdin:
        pin = sys.stdin.readline().strip()
    else:
        pin = getpass.getpass("New therapist PIN (4-8 digits): ")
        if getpass.getpass("The same PIN again: ") != pin:
            raise PlanCommandError("the two PINs differ; nothing was changed")
    check_pin_text(pin)
    with open_records(args) as store:
        store.patient(args.patient)
        data_dir = store.location.data_dir
    path = set_pin(data_dir, args.patient, pin)
    print(f"Set the therapist PIN of {args.patient} (only its salted hash is kept, in {path})")
    return 0
