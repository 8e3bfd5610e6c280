"""Command-line options shared by the commands: ``play``, ``calibrate`` (and ``--models`` for ``track``)."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.errors import GameSetupError
from tracking.limits import MAX_CAMERA_INDEX

if TYPE_CHECKING:
    from game.session import SessionOptions  # imports pygame: only when a game command runs
    from tracking.types import TrackingModel  # imports numpy (~0.1 s): only once the window shows (see parse_models)


def positive_seconds(text: str) -> float:
    """A positive, finite number of seconds (``inf`` would never end a headless run)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not math.isfinite(value) or not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive, finite number of seconds (e.g. 30), got {text!r}")
    return value


def camera_index(text: str) -> int:
    """A camera index from 0 to :data:`~tracking.limits.MAX_CAMERA_INDEX` (OpenCV reads larger numbers as a
    capture back-end, and overflows on huge ones)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 0 to {MAX_CAMERA_INDEX}, got {text!r}"
        ) from None
    if not 0 <= value <= MAX_CAMERA_INDEX:
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 0 to {MAX_CAMERA_INDEX} (0 is the first camera), got {text!r}"
        )
    return value


def level_list(text: str) -> tuple[str, ...]:
    """``"assessment,reach,grasp"`` -> the level names (or .toml paths) in order; at least one.

    An empty name (``reach,,hold``, a comma at an end) is refused rather than dropped: a name may be missing.
    """
    names = tuple(part.strip() for part in text.split(","))
    if not any(names):
        raise argparse.ArgumentTypeError(f"expected level names separated by commas (e.g. reach,grasp), got {text!r}")
    if not all(names):
        raise argparse.ArgumentTypeError(
            f"an empty level name between commas in {text!r}; expected names separated by single commas "
            "(e.g. reach,grasp)"
        )
    return names


def add_common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--patient",
        default="default",
        help="whose calibration to use and save (letters, digits, '.', '_', '-'; default: default)",
    )
    parser.add_argument(
        "--source",
        type=Path,
        metavar="FILE",
        help="play from a video file or a .jsonl landmark recording instead of the camera",
    )
    parser.add_argument(
        "--camera",
        type=camera_index,
        default=0,
        metavar="N",
        help=f"camera index, 0 to {MAX_CAMERA_INDEX} (default: 0, the first camera)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="where patient data is kept (default: $MOTORPLAY_DATA_DIR or ~/.local/share/motorplay)",
    )
    parser.add_argument(
        "--headless",
        action="store_true",
        help="no window (SDL dummy drivers), for tests and demonstrations; needs --max-seconds",
    )
    parser.add_argument(
        "--max-seconds",
        type=positive_seconds,
        metavar="N",
        help="stop N seconds of wall-clock time after the command starts (loading included)",
    )
    parser.add_argument(
        "--screenshot-dir",
        type=Path,
        metavar="DIR",
        help="save PNG frames here: one per screen change and one a second",
    )
    parser.add_argument(
        "--fullscreen",
        action="store_true",
        help="start fullscreen (F11 switches between fullscreen and a window fitted to the screen)",
    )
    parser.add_argument("--mute", action="store_true", help="start with the game's sounds off (N switches them)")
    parser.add_argument(
        "--background-tracking",
        action="store_true",
        help="run tracking at background priority (Linux): smoother frames on a computer running nothing else, but "
        "tracking stalls while other programs keep every core busy",
    )
    parser.add_argument(
        "--skip-head",
        action="store_true",
        help="calibrate without the head step (the earlier head calibration, if any, is kept)",
    )


def parse_models(text: str) -> frozenset[TrackingModel]:
    """``"hands,face"`` -> the models; a person's error names the bad one and the choices."""
    from tracking.types import TrackingModel  # here: numpy loads after the loading screen is drawn

    models = set()
    for raw in text.split(","):
        name = raw.strip().lower()
        if not name:
            continue
        try:
            models.add(TrackingModel(name))
        except ValueError:
            choices = ", ".join(model.value for model in TrackingModel)
            raise GameSetupError(
                f"--models: unknown tracking model {raw.strip()!r}; expected some of: {choices}"
            ) from None
    if not models:
        raise GameSetupError(f"--models: no model given; expected some of: {', '.join(m.value for m in TrackingModel)}")
    return frozenset(models)


def session_options(args: argparse.Namespace, *, started_s: float, **overrides: Any) -> SessionOptions:
    """The :class:`SessionOptions` of the options :func:`add_common_options` added, with ``overrides``;
    ``started_s`` is ``time.monotonic()`` when the command started (``--max-seconds`` counts from it).

    Raises
    ------
    SourceError
        ``--source`` is missing, a folder, a device or pipe, empty, a still image or a text file (a recording: not a
        regular file), refused before the tracker loads (seconds) as ``analyze`` and ``track`` refuse it.
    """
    from game.input_source import InputKind
    from game.session import SessionOptions

    options = SessionOptions(
        started_s=started_s,
        source=args.source,
        camera_index=args.camera,
        patient=args.patient,
        data_dir=args.data_dir,
        headless=args.headless,
        max_seconds=args.max_seconds,
        screenshot_dir=args.screenshot_dir,
        fullscreen=args.fullscreen,
        mute=args.mute,
        background_tracking=args.background_tracking,
        skip_head=args.skip_head,
        **overrides,
    )
    if options.source is not None and options.input_kind is not InputKind.MOUSE:  # with the mouse: the session
        _check_source(options.source, options.screenshot_dir)  # says the two cannot be used together
    return options


def _check_source(source: Path, screenshot_dir: Path | None) -> None:
    """Refuse a ``--source`` that cannot be a landmark source, after the screenshot folder (the order of the
    session's own checks, which come later: the folder is told first when both are wrong)."""
    from game.screenshots import check_screenshot_dir
    from tracking.sources import check_input_file

    if screenshot_dir is not None:
        check_screenshot_dir(screenshot_dir)
    check_input_file(source)
