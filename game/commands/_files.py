"""Checks of the files a person names on the command line, done before any work, with messages that name the option
and the path as given.

Outputs: never the same file as an input or as another output (compared with :func:`os.path.samefile`, so a hard
or symbolic link counts), never a folder or in a missing folder; written through
:mod:`tracking.atomic_files`, so that a failure leaves the previous file as it was and nothing half-written.

Inputs that are not videos (a still image, a text file) are refused at once: OpenCV's FFmpeg back-end would
otherwise decode a photograph as a one-frame video, and a text file as a stream of hundreds of garbage frames.
"""

from __future__ import annotations

import codecs
import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from tracking.atomic_files import AtomicFile, check_output_path, same_file
from tracking.errors import OutputFileError, UserFacingError

# Longest file name or source printed whole in a summary line; longer ones are shortened in the middle (the JSON
# and recordings keep them whole). Two terminal lines: any path a person types stays whole and can be copied, while
# a recording's header source (any length: 100 KB seen) or a PATH_MAX-long path does not flood the terminal.
DISPLAY_NAME_CHARS = 160
ELLIPSIS = "…"

# How much of an input is read to tell a video from a still image or a text file: enough for every signature below
# and for a text file to show itself as text.
SNIFF_BYTES = 4096

# File signatures of still images (the formats OpenCV reads as images; their first bytes by specification).
IMAGE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "JPEG 2000"),
    (b"\x76\x2f\x31\x01", "OpenEXR"),
)
# Still-image file name endings, for images whose signature is not in the list above (PNM, HDR, WebP, ...).
IMAGE_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".jpe", ".png", ".bmp", ".dib", ".gif", ".tif", ".tiff", ".webp", ".jp2", ".exr", ".hdr",
     ".pic", ".pbm", ".pgm", ".ppm", ".pnm", ".pxm", ".pfm", ".sr", ".ras", ".heic", ".heif", ".avif"}
)


class FileArgumentError(UserFacingError):
    """A file named on the command line cannot be used as it is (the message names the option and the path)."""


def display_name(name: str | Path, *, limit: int = DISPLAY_NAME_CHARS) -> str:
    """``name`` for a printed line: whole when short, else its start and end around an ellipsis."""
    text = str(name)
    if len(text) <= limit:
        return text
    keep = limit - len(ELLIPSIS)
    head = keep // 2
    return text[:head] + ELLIPSIS + text[len(text) - (keep - head) :]


def _image_kind(path: Path, head: bytes) -> str | None:
    for signature, kind in IMAGE_SIGNATURES:
        if head.startswith(signature):
            return kind
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WebP"
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return path.suffix.lower().lstrip(".").upper()
    return None


def _looks_like_text(head: bytes) -> bool:
    if head.startswith(b"YUV4MPEG2"):
        return False  # an uncompressed video whose header is text
    if b"\x00" in head:
        return False  # every video container has zero bytes in its first kilobytes (box sizes, headers)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def check_video_input(path: Path, *, what: str = "") -> None:
    """Refuse, before any decoding, an input that is not a video file: missing, a folder or device, empty, a still
    image, or text (a landmark recording whose name does not end in ``.jsonl``).

    Raises
    ------
    FileArgumentError
        Naming ``path`` and what it is instead.
    """
    named = f"{what} {path}" if what else str(path)
    expected = "expected a video file or a .jsonl landmark recording"
    if not path.exists():
        raise FileArgumentError(f"{named}: no such file ({expected})")
    if path.is_dir():
        raise FileArgumentError(f"{named}: is a folder ({expected})")
    if not path.is_file():
        raise FileArgumentError(f"{named}: is not a regular file ({expected})")
    try:
        with path.open("rb") as stream:
            head = stream.read(SNIFF_BYTES)
    except OSError as error:
        raise FileArgumentError(f"{named}: cannot read it ({error.strerror or error})") from None
    if not head:
        raise FileArgumentError(f"{named}: is empty ({expected})")
    image = _image_kind(path, head)
    if image is not None:
        raise FileArgumentError(f"{named}: is a still image ({image}), not a video; {expected}")
    if _looks_like_text(head):
        raise FileArgumentError(
            f"{named}: is a text file, not a video; {expected} (a recording's name must end in .jsonl)"
        )


def _same_target(a: Path, b: Path) -> bool:
    """Same file on disk, or (for files not written yet) the same name in the same folder."""
    return same_file(a, b) or (a.name == b.name and same_file(a.parent, b.parent))


def check_outputs(inputs: Sequence[tuple[str, Path]], outputs: Sequence[tuple[str, Path]]) -> None:
    """Refuse an output that is a folder, in a missing folder, the same file as an input, or the same file as
    another output. ``inputs`` and ``outputs`` are (option, path) pairs, e.g. ``("--json", Path("a.json"))``.

    Raises
    ------
    FileArgumentError
        Naming the option(s) and path(s).
    """
    for index, (option, path) in enumerate(outputs):
        try:
            check_output_path(path, what=option)
        except OutputFileError as error:
            raise FileArgumentError(str(error)) from None
        for input_option, input_path in inputs:
            if _same_target(path, input_path):
                raise FileArgumentError(
                    f"{option} {path}: is the same file as {input_option} {input_path}; writing it would destroy "
                    "the input: choose another name"
                )
        for other_option, other_path in outputs[:index]:
            if _same_target(path, other_path):
                raise FileArgumentError(
                    f"{option} {path}: is the same file as {other_option} {other_path}; choose another name"
                )


@contextlib.contextmanager
def naming_option(option: str) -> Iterator[None]:
    """Report an :class:`OutputFileError` raised in the block (read-only or full file system, ...) as a
    :class:`FileArgumentError` that starts with ``option``, e.g. ``--json out.json: cannot write here (...)``."""
    try:
        yield
    except OutputFileError as error:
        raise FileArgumentError(f"{option} {error}") from None


def open_output(path: Path, option: str, *, binary: bool = False) -> AtomicFile:
    """Start writing ``path`` (a temporary file beside it, renamed by ``commit``); errors name ``option``."""
    with naming_option(option):
        return AtomicFile(path, binary=binary)
