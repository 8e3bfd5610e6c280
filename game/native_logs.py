"""Keep the log lines of MediaPipe, TensorFlow Lite, absl/glog and OpenCV off a person's terminal.

Those libraries write to file descriptor 2 from C++ ("INFO: Created TensorFlow Lite XNNPACK delegate for CPU.",
"WARNING: All log messages before absl::InitializeLog() is called are written to STDERR", "W0000 ...
inference_feedback_manager.cc:114] Feedback manager requires a model with a single signature inference ...",
"landmark_projection_calculator.cc:186] Using NORM_RECT without IMAGE_DIMENSIONS ...", OpenCV's
"[ WARN:0@1.8] ... can't open camera by index"). The environment variables below silence what honours them; the
MediaPipe 0.10.21 wheel logs through absl before absl is initialised and ignores GLOG_minloglevel and
TF_CPP_MIN_LOG_LEVEL (measured: the lines above still appear with both set). Those lines are not written when a
model is created but when the first frames are processed (the first hand found, the first face), so the
descriptor is redirected for the whole command, not around model creation: :func:`native_stderr_silenced`.

``motorplay --verbose`` leaves all of this alone.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

# Set only when the person has not set them: GLOG_minloglevel 2 = errors only (glog levels 0 info, 1 warning,
# 2 error); TF_CPP_MIN_LOG_LEVEL 3 = TensorFlow's C++ logging off but fatal; OPENCV_LOG_LEVEL ERROR drops OpenCV's
# warnings (e.g. a missing camera index, which motorplay reports itself). Read by the libraries when they load.
QUIET_ENVIRONMENT = {
    "GLOG_minloglevel": "2",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "OPENCV_LOG_LEVEL": "ERROR",
}


def quiet_library_environment() -> None:
    """Put :data:`QUIET_ENVIRONMENT` in ``os.environ`` (values the person set are kept). Call before mediapipe or
    cv2 is imported: they read it when they load."""
    for name, value in QUIET_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


def _python_stderr_fd() -> int | None:
    try:
        return sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        return None  # replaced by an in-memory stream (tests): it does not use descriptor 2


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Point file descriptor 2 at the null device for the block, while Python's ``sys.stderr`` (our messages, rich
    progress bars, tracebacks) keeps writing to the real standard error through a copy of the descriptor.

    What C++ libraries write to descriptor 2 during the block is dropped; that includes a native crash message, so
    ``--verbose`` (which does not use this) is the way to see one.
    """
    try:
        saved_fd = os.dup(2)
    except OSError:
        yield  # no standard error at all: nothing to silence
        return
    original_stream = sys.stderr
    replaced = _python_stderr_fd() == 2
    if replaced:
        original_stream.flush()
        sys.stderr = os.fdopen(
            os.dup(saved_fd),
            "w",
            buffering=1,
            encoding=getattr(original_stream, "encoding", None) or "utf-8",
            errors=getattr(original_stream, "errors", None) or "backslashreplace",
        )
    null_fd = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null_fd, 2)
    finally:
        os.close(null_fd)
    try:
        yield
    finally:
        if replaced:
            sys.stderr.flush()
        os.dup2(saved_fd, 2)
        os.close(saved_fd)
        if replaced:
            sys.stderr.close()
            sys.stderr = original_stream
