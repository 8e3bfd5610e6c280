"""Command-line options shared by the commands: ``play``, ``calibrate`` (and ``--models`` for ``track``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.errors import GameSetupError
from tracking.frames import TrackingModel

if TYPE_CHECKING:
    from game.session import SessionOptions  # imports pygame: only when a game command runs


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


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
    parser.add_argument("--camera", type=int, default=0, metavar="N", help="camera index (default: 0)")
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
        "--max-seconds", type=positive_seconds, metavar="N", help="stop after N seconds of wall-clock time"
    )
    parser.add_argument(
        "--screenshot-dir",
        type=Path,
        metavar="DIR",
        help="save PNG frames here: one per screen change and one a second",
    )


def parse_models(text: str) -> frozenset[TrackingModel]:
    """``"hands,face"`` -> the models; a person's error names the bad one and the choices."""
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


def session_options(args: argparse.Namespace, **overrides: Any) -> SessionOptions:
    """The :class:`SessionOptions` of the options :func:`add_common_options` added, with ``overrides``."""
    from game.session import SessionOptions

    return SessionOptions(
        source=args.source,
        camera_index=args.camera,
        patient=args.patient,
        data_dir=args.data_dir,
        headless=args.headless,
        max_seconds=args.max_seconds,
        screenshot_dir=args.screenshot_dir,
        **overrides,
    )
