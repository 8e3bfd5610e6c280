"""Inputs that are not what they claim: refused at once, naming the path as given and what it is instead.

Videos (tracking.sources), cameras, and the ``analyze``/``track`` commands on folders, devices and named pipes
(which used to hang: opening a FIFO for reading blocks until something writes to it).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.support.paths import REPO_ROOT
from tracking.errors import SourceError
from tracking.head_neutral import HeadNeutralFileError, read_head_neutral
from tracking.limits import MAX_CAMERA_INDEX
from tracking.recording import RecordingFileError
from tracking.sources import CameraSource, VideoFileSource, check_input_file
from tracking.types import HeadAngles

REPO = REPO_ROOT
# Generous for a loaded two-core machine: the refusals take milliseconds, a hang takes forever.
COMMAND_TIMEOUT_S = 120.0


def _write_video(path: Path, frames: int, fps: float) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), fps, (64, 48))
    for index in range(frames):
        writer.write(np.full((48, 64, 3), index * 20 % 255, dtype=np.uint8))
    writer.release()
    return path


def _bad_videos(tmp_path: Path, media_dir: Path) -> dict[Path, str]:
    folder = tmp_path / "folder.mp4"
    folder.mkdir()
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    text = tmp_path / "notes.mp4"
    text.write_text("These are my notes, not a video.\n" * 1000, encoding="utf-8")
    renamed = tmp_path / "photo.mp4"
    renamed.write_bytes((media_dir / "face_test.jpeg").read_bytes())
    return {
        tmp_path / "missing.mp4": "no such file",
        folder: "is a folder",
        Path(os.devnull): "is a device",
        empty: "is empty",
        text: "is a text file, not a video",
        renamed: "is a still image (JPEG), not a video",
        media_dir / "face_test.jpeg": "is a still image (JPEG), not a video",
        media_dir / "thumbs_up.png": "is a still image (PNG), not a video",
        _write_video(tmp_path / "one_frame.mp4", 1, 25.0): "single frame: a still image",
    }


def test_what_is_not_a_video_is_named_for_what_it_is(tmp_path: Path, media_dir: Path) -> None:
    for path, words in _bad_videos(tmp_path, media_dir).items():
        started_s = time.perf_counter()
        with pytest.raises(SourceError) as caught:
            VideoFileSource(path)
        message = str(caught.value)
        assert message.startswith(f"{path}: ") and words in message, message
        assert time.perf_counter() - started_s < 5.0, path  # quick: OpenCV does not probe it for long


def test_a_real_video_still_opens_with_every_frame(media_dir: Path, tmp_path: Path) -> None:
    source = VideoFileSource(media_dir / "hand_video.mp4")
    try:
        times = []
        while (item := source.read()) is not None:
            times.append(item[0])
        assert source.info.fps == 25.0 and (source.info.width_px, source.info.height_px) == (640, 360)
    finally:
        source.close()
    assert len(times) == 202 and times[:2] == [0.0, 0.04]  # the two frames read ahead are not lost
    two = VideoFileSource(_write_video(tmp_path / "two.mp4", 2, 25.0))
    assert two.read() is not None and two.read() is not None and two.read() is None
    two.close()


def _frames_then_end(source: VideoFileSource) -> int:
    """Read ``source`` to its end; return how many frames it gave."""
    count = 0
    while source.read() is not None:
        count += 1
    return count


def _cut(media_dir: Path, tmp_path: Path, fraction: float) -> Path:
    """The first ``fraction`` of hand_video.mp4's bytes (its header, which says 202 frames, is at its start)."""
    data = (media_dir / "hand_video.mp4").read_bytes()
    cut = tmp_path / f"cut{fraction:g}.mp4"
    cut.write_bytes(data[: int(len(data) * fraction)])
    return cut


@pytest.mark.parametrize(("fraction", "decoded"), [(0.5, 86), (0.8, 150)])
def test_a_video_cut_short_gives_its_frames_then_is_named(
    media_dir: Path, tmp_path: Path, fraction: float, decoded: int
) -> None:
    cut = _cut(media_dir, tmp_path, fraction)
    with VideoFileSource(cut) as source:
        assert source.frame_count_hint == 202
        frames = [source.read() for _ in range(decoded)]
        assert all(frame is not None for frame in frames)
        with pytest.raises(SourceError) as caught:
            source.read()
    assert str(caught.value) == (
        f"{cut}: ends after {decoded} of 202 frames; expected a complete video (the file may be cut short)"
    )


def test_a_video_a_few_frames_short_of_its_declared_count_is_read_to_its_end(media_dir: Path, tmp_path: Path) -> None:
    """Some containers' counts are estimates: a few frames fewer than declared is not a file cut short."""
    with VideoFileSource(_cut(media_dir, tmp_path, 0.98)) as source:
        assert source.frame_count_hint == 202
        assert _frames_then_end(source) == 198  # 4 short: under MIN_MISSING_FRAMES


def test_the_videos_opencv_writes_are_complete(tmp_path: Path) -> None:
    for name, fourcc in (("mpeg4.mp4", "mp4v"), ("mjpeg.avi", "MJPG")):
        path = tmp_path / name
        writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*fourcc), 25.0, (64, 48))
        for index in range(60):
            writer.write(np.full((48, 64, 3), index * 4, dtype=np.uint8))
        writer.release()
        with VideoFileSource(path) as source:
            assert _frames_then_end(source) == source.frame_count_hint == 60, name


@pytest.mark.parametrize("index", [-1, MAX_CAMERA_INDEX + 1, 3_000_000_000, True])
def test_camera_index_out_of_range_is_a_source_error(index: int) -> None:
    with pytest.raises(SourceError, match=rf"Camera index {index!r} cannot be used: .*0 to {MAX_CAMERA_INDEX}"):
        CameraSource(index)


def _motorplay(*args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    return subprocess.run(
        [sys.executable, "-m", "game.cli", *args], cwd=REPO, env=environment, capture_output=True, text=True,
        timeout=COMMAND_TIMEOUT_S, check=False,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
@pytest.mark.parametrize("suffix", [".jsonl", ".mp4"])
def test_analyze_and_track_refuse_a_named_pipe_without_hanging(tmp_path: Path, suffix: str) -> None:
    fifo = tmp_path / f"pipe{suffix}"
    os.mkfifo(fifo)
    for args in (["analyze", str(fifo)], ["track", str(fifo), "--out", str(tmp_path / "out.jsonl")]):
        finished = _motorplay(*args)
        assert finished.returncode == 2, finished.stderr
        assert f"{fifo}: is " in finished.stderr and "Traceback" not in finished.stderr  # (the CLI's own words)


@pytest.mark.parametrize("suffix", [".jsonl", ".mp4"])
def test_analyze_names_a_folder_as_a_folder(tmp_path: Path, suffix: str) -> None:
    folder = tmp_path / f"folder{suffix}"
    folder.mkdir()
    finished = _motorplay("analyze", str(folder))
    assert finished.returncode == 2, finished.stderr
    assert f"{folder}: is " in finished.stderr and "folder" in finished.stderr and "Traceback" not in finished.stderr


NEUTRAL = '{"yaw": 1.5, "pitch": -2, "roll": 0}'


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (NEUTRAL.replace("1.5", "1" + "0" * 400), "field 'yaw': expected degrees from -180 to 180, got a 401-digit"),
        (NEUTRAL.replace("1.5", "9" * 5000), "field 'yaw': expected degrees from -180 to 180, got a 5000-digit"),
        (NEUTRAL.replace("1.5", "1e308"), "field 'yaw': expected degrees from -180 to 180, got 1e+308"),
        (NEUTRAL.replace("1.5", "NaN"), "field 'yaw': expected degrees from -180 to 180, got NaN"),
        (NEUTRAL.replace("1.5", '"5"'), "field 'yaw': expected a number of degrees, got \"5\""),
        (NEUTRAL.replace("-2", "true"), "field 'pitch': expected a number of degrees, got true"),
        (NEUTRAL.replace("0}", "0, \"tilt\": 1}"), "field 'tilt': unknown field"),
        (NEUTRAL.replace(', "roll": 0', ""), "field 'roll': missing"),
        ("[" * 10_000 + "]" * 10_000, ", line 1: lists or objects nested more than 100 levels"),
        ("[" * 40_000 + "]" * 40_000, ": is larger than 65536 bytes"),
        ('{"yaw": 0,\n"pitch": 0,\n"roll": }', ", line 3: not valid JSON"),
        ("[1, 2, 3]", ": expected a JSON object"),
    ],
)
def test_neutral_file_errors_name_the_file_and_field(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "neutral.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HeadNeutralFileError) as caught:
        read_head_neutral(path)
    assert str(caught.value).startswith(str(path)) and words in str(caught.value), str(caught.value)


def test_neutral_file_that_is_not_a_file(tmp_path: Path) -> None:
    (tmp_path / "neutral.json").write_text(NEUTRAL, encoding="utf-8")
    assert read_head_neutral(tmp_path / "neutral.json").pitch_deg == -2.0
    latin = tmp_path / "latin1.json"
    latin.write_bytes(b'{"yaw": 0,\n"pitch": 0,\n"roll": 0, "\xe9": 1}')
    cases = {tmp_path: "is a folder", Path(os.devnull): "is a device", latin: "line 3: byte 0xe9"}
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.json")
        cases[tmp_path / "pipe.json"] = "is a named pipe"
    for path, words in cases.items():
        with pytest.raises(HeadNeutralFileError) as caught:
            read_head_neutral(path)
        assert str(caught.value).startswith(str(path)) and words in str(caught.value), str(caught.value)


def test_neutral_file_names_carry_their_unit_and_the_old_names_are_still_read(tmp_path: Path) -> None:
    path = tmp_path / "neutral.json"
    path.write_text('{"yaw_deg": 1.5, "pitch_deg": -2, "roll_deg": 0.25}', encoding="utf-8")
    assert read_head_neutral(path) == HeadAngles(yaw_deg=1.5, pitch_deg=-2.0, roll_deg=0.25)
    path.write_text('{"yaw": 1.5, "pitch": -2, "roll": 0.25}', encoding="utf-8")
    assert read_head_neutral(path) == HeadAngles(yaw_deg=1.5, pitch_deg=-2.0, roll_deg=0.25)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"yaw_deg": 1, "pitch": 2, "roll_deg": 3}', "field 'pitch': an old name beside 'yaw_deg'"),
        ('{"yaw": 1, "pitch": 2, "roll": 3, "roll_deg": 3}', "field 'yaw': an old name beside 'roll_deg'"),
        ('{"yaw_deg": 1, "pitch_deg": 2}', "field 'roll_deg': missing; expected {\"yaw_deg\": degrees"),
        ('{"yaw_deg": 1, "pitch_deg": true, "roll_deg": 3}', "field 'pitch_deg': expected a number of degrees"),
        ('{"yaw_deg": 1, "pitch_deg": 2, "roll_deg": 181}', "field 'roll_deg': expected degrees from -180 to 180"),
        ("{}", "field 'yaw_deg': missing"),
    ],
)
def test_neutral_file_mixing_old_and_new_names_or_missing_one_is_refused(
    tmp_path: Path, text: str, words: str
) -> None:
    path = tmp_path / "neutral.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HeadNeutralFileError) as caught:
        read_head_neutral(path)
    assert str(caught.value).startswith(f"{path}, ") and words in str(caught.value), str(caught.value)


def test_the_early_check_refuses_what_opening_refuses_in_the_same_words(tmp_path: Path, media_dir: Path) -> None:
    """The commands call check_input_file before MediaPipe loads; its words are those of opening the video."""
    for path, words in _bad_videos(tmp_path, media_dir).items():
        if "single frame" in words:
            continue  # known only by decoding: refused when the video is opened
        with pytest.raises(SourceError) as caught:
            check_input_file(path)
        assert str(caught.value).startswith(f"{path}: ") and words in str(caught.value), str(caught.value)
    notes = tmp_path / "notes.txt"
    notes.write_text("patient notes\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"is a text file, not a video; .*a recording's name must end in \.jsonl"):
        check_input_file(notes)
    check_input_file(media_dir / "hand_video.mp4")  # a real video passes


def test_the_early_check_of_a_recording_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder.jsonl"
    folder.mkdir()
    cases = {tmp_path / "missing.jsonl": "no such file", folder: "is a folder"}
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.jsonl")
        cases[tmp_path / "pipe.jsonl"] = "is a named pipe"
    for path, words in cases.items():
        with pytest.raises(RecordingFileError) as caught:
            check_input_file(path)
        assert str(caught.value).startswith(f"{path}: ") and words in str(caught.value), str(caught.value)
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    check_input_file(empty)  # its lines are checked when it is read, after the outputs (tested through analyze)


def test_a_webp_photo_named_as_a_video_is_a_still_image(tmp_path: Path, media_dir: Path) -> None:
    ok, encoded = cv2.imencode(".webp", cv2.imread(str(media_dir / "face_test.jpeg")))
    assert ok
    photo = tmp_path / "photo.mp4"
    photo.write_bytes(encoded.tobytes())
    with pytest.raises(SourceError, match=r"photo\.mp4: is a still image \(WebP\), not a video"):
        VideoFileSource(photo)


def test_an_uncompressed_yuv4mpeg_video_with_printable_bytes_is_a_video_not_text(tmp_path: Path) -> None:
    """A .y4m file starts with a text header; grey pixels of value 65 are the letter A: still a video."""
    width, height, frames = 64, 48, 3
    plane_bytes = width * height + 2 * (width // 2) * (height // 2)  # 4:2:0, the chroma planes at half size
    video = tmp_path / "grey.y4m"
    video.write_bytes(
        f"YUV4MPEG2 W{width} H{height} F25:1 Ip A1:1 C420jpeg\n".encode() + (b"FRAME\n" + b"A" * plane_bytes) * frames
    )
    with VideoFileSource(video) as source:
        assert (source.info.width_px, source.info.height_px, source.frame_count_hint) == (width, height, frames)
        count = 0
        while source.read() is not None:
            count += 1
    assert count == frames
