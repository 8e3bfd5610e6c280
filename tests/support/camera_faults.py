"""Cameras that stop delivering and come back, for the tests of a camera unplugged mid-level (issue 9, "Faults").

- :class:`UnpluggableDevice`: a stand-in for ``cv2.VideoCapture(index)`` (what :class:`tracking.sources.CameraSource`
  opens through its ``open_capture``) whose images are the real frames of a video file, read in order across
  reopenings; the test unplugs it (every read fails, ``isOpened`` false for a new capture) and plugs it back. Each
  opening is counted, with the tracker's clock at that moment.
- :class:`ScriptedLandmarkCamera`: a live landmark source (no MediaPipe) whose frames the test hands over one by one,
  unpluggable and reopenable the same way: for game tests that drive a level through the real camera tracker.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2

from tests.support.game_inputs import hand_at
from tracking.types import LandmarkFrame, SourceInfo, TrackingModel

# A bound on how long a test waits for a worker thread: far beyond any real delay, only to report one that is stuck.
STUCK_AFTER_S = 30.0


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Wait (in real time, at most :data:`STUCK_AFTER_S`) until ``condition()``; fail naming ``what`` otherwise."""
    deadline_s = time.monotonic() + STUCK_AFTER_S
    while not condition():
        if time.monotonic() > deadline_s:
            raise AssertionError(f"the live tracker did not get there in time: {what}")
        time.sleep(0.001)


class UnpluggableDevice:
    """A camera device whose pictures are a video file's frames, that the test unplugs and plugs back in.

    Pass :meth:`open` as ``CameraSource(open_capture=...)``. ``openings`` lists the ``clock`` reading at each
    opening, failed or not (the first one is the camera's opening).
    """

    def __init__(self, video: Path, clock: Callable[[], float]) -> None:
        self._video = cv2.VideoCapture(str(video))
        self._clock = clock
        self._lock = threading.Lock()
        self.plugged = True
        self.openings: list[float] = []
        self.failed_reads = 0
        self.frames_read = 0

    def open(self, index: int) -> _FakeCapture:
        """Open the device, as ``cv2.VideoCapture(index)`` would (not opened while unplugged)."""
        with self._lock:
            self.openings.append(self._clock())
            return _FakeCapture(self, opened=self.plugged)

    def unplug(self) -> None:
        """Pull the cable: every read fails from now on, and no capture opens."""
        with self._lock:
            self.plugged = False

    def plug_in(self) -> None:
        """Put the cable back: a capture opened from now on delivers the video's next frames."""
        with self._lock:
            self.plugged = True

    def next_frame(self) -> tuple[bool, Any]:
        with self._lock:
            if not self.plugged:
                self.failed_reads += 1
                return False, None
            ok, image = self._video.read()
            if not ok:  # the video ran out: start it again (a camera never runs out)
                self._video.set(cv2.CAP_PROP_POS_FRAMES, 0)
                ok, image = self._video.read()
            self.frames_read += 1
            return ok, image

    def close(self) -> None:
        self._video.release()


class _FakeCapture:
    """One opening of an :class:`UnpluggableDevice` (the ``tracking.sources.VideoCapture`` protocol)."""

    def __init__(self, device: UnpluggableDevice, *, opened: bool) -> None:
        self._device = device
        self._opened = opened

    def isOpened(self) -> bool:  # noqa: N802 (OpenCV's name)
        return self._opened and self._device.plugged

    def read(self) -> tuple[bool, Any]:
        if not self._opened:
            return False, None
        return self._device.next_frame()

    def set(self, prop_id: int, value: float) -> bool:
        return False  # a camera may ignore what it is asked

    def get(self, prop_id: int) -> float:
        return 25.0 if prop_id == cv2.CAP_PROP_FPS else 0.0

    def release(self) -> None:
        self._opened = False


class ScriptedLandmarkCamera:
    """A live landmark source (the ``LandmarkSource`` protocol, and reopenable) whose frames the test delivers.

    :meth:`read` waits for the next frame from :meth:`deliver`; unplugged, it returns ``None`` (the camera stopped)
    and :meth:`reopen` fails until :meth:`plug_in`. ``reopen_times`` lists the ``clock`` reading at each attempt.
    """

    is_live = True
    frame_count_hint = None
    duration_s = None
    models = frozenset({TrackingModel.HANDS})

    def __init__(self, clock: Callable[[], float]) -> None:
        self.info = SourceInfo(fps=30.0, width_px=640, height_px=360, name="scripted camera")
        self._clock = clock
        self._frames: queue.Queue[LandmarkFrame | None] = queue.Queue()
        self._plugged = True
        self.reopen_times: list[float] = []
        self.closed = False

    def deliver(self, frame: LandmarkFrame) -> None:
        """Hand the reader the camera's next frame."""
        self._frames.put(frame)

    def unplug(self) -> None:
        """Stop delivering: the reader's next read returns ``None``."""
        self._plugged = False
        self._frames.put(None)

    def plug_in(self) -> None:
        """Let the next reopen succeed."""
        self._plugged = True

    def read(self) -> tuple[float, LandmarkFrame] | None:
        """The next delivered frame; ``None`` once unplugged (unplug before closing the tracker: that wakes it)."""
        frame = self._frames.get(timeout=STUCK_AFTER_S)
        return None if frame is None else (frame.t_s, frame)

    def reopen(self) -> bool:
        self.reopen_times.append(self._clock())
        return self._plugged

    def landmarks(self, t_s: float, raw: LandmarkFrame) -> LandmarkFrame:
        return raw

    def close(self) -> None:
        self.closed = True


class ReplayCamera:
    """A live landmark source paced on the game's ``clock``: a frame every ``1 / fps`` with a real hand's landmarks
    at ``palm_at(t)``; it delivers nothing while ``unplugged(t)``, and a reopen succeeds only once that is over.

    ``reopen_times`` lists the clock at each reopening attempt. Set ``stopping`` to the tracker's stop flag, so that
    a read waiting for the next picture returns when the tracker closes (a real camera's read returns within a frame).
    """

    is_live = True
    frame_count_hint = None
    duration_s = None
    models = frozenset({TrackingModel.HANDS})

    def __init__(
        self,
        clock: Callable[[], float],
        palm_at: Callable[[float], tuple[float, float]],
        unplugged: Callable[[float], bool],
        *,
        fps: float = 30.0,
    ) -> None:
        self.info = SourceInfo(fps=fps, width_px=640, height_px=360, name="camera 0")
        self._clock = clock
        self._palm_at = palm_at
        self._unplugged = unplugged
        self._frame_s = 1.0 / fps
        self._next_s = 0.0
        self._gone = False
        self.reopen_times: list[float] = []
        self.closed = False
        self.stopping: Callable[[], bool] = lambda: False

    def read(self) -> tuple[float, LandmarkFrame] | None:
        while not self.closed and not self.stopping():
            now_s = self._clock()
            if self._gone or self._unplugged(now_s):
                self._gone = True
                return None
            if now_s >= self._next_s:
                self._next_s = now_s + self._frame_s
                return now_s, LandmarkFrame(now_s, (hand_at(self._palm_at(now_s)),))
            time.sleep(0.001)  # a camera waits for its next picture
        return None

    def reopen(self) -> bool:
        now_s = self._clock()
        self.reopen_times.append(now_s)
        self._gone = self._unplugged(now_s)
        return not self._gone

    def landmarks(self, t_s: float, raw: LandmarkFrame) -> LandmarkFrame:
        return raw

    def close(self) -> None:
        self.closed = True
