"""Helpers for the bad-input tests: run ``motorplay`` as a person would, and see that nothing was overwritten.

``run_in_process`` calls ``game.cli.main`` (fast: the libraries stay loaded); ``run_subprocess`` starts
``.venv/bin/motorplay`` (for what depends on the real start-up time). ``Snapshot`` records what a path is (its bytes,
or that it is a folder, a named pipe, a device) so a test can check that a refused input or an output that was
there before is exactly as it was.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

from game.cli import main
from tests.support.paths import REPO_ROOT

MOTORPLAY = REPO_ROOT / ".venv" / "bin" / "motorplay"
# Generous for a loaded two-core machine: the refusals take seconds at most, a hang takes forever.
SUBPROCESS_TIMEOUT_S = 180.0


@dataclass(frozen=True)
class Finished:
    """What a command did: its exit status and what it printed."""

    code: int
    out: str
    err: str


def run_in_process(*argv: str) -> Finished:
    """Run ``motorplay ARGV`` through ``game.cli.main``; an argparse refusal (SystemExit) gives its status."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exited:
            code = exited.code if isinstance(exited.code, int) else 2
    return Finished(code, out.getvalue(), err.getvalue())


def run_subprocess(*argv: str, cwd: Path) -> Finished:
    """Run ``.venv/bin/motorplay ARGV`` headless (SDL dummy drivers) in ``cwd``."""
    environment = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    done = subprocess.run(
        [str(MOTORPLAY), *argv], cwd=cwd, env=environment, capture_output=True, text=True,
        timeout=SUBPROCESS_TIMEOUT_S, check=False,
    )
    return Finished(done.returncode, done.stdout, done.stderr)


@dataclass(frozen=True)
class Snapshot:
    """What a path is: ``kind`` (file, folder, named pipe, device, missing) and a regular file's bytes."""

    kind: str
    content: bytes = b""

    @classmethod
    def of(cls, path: Path) -> Snapshot:
        """Look at ``path`` without following it into a pipe (a named pipe is never opened)."""
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            return cls("missing")
        if stat.S_ISDIR(mode):
            return cls("folder", "\n".join(sorted(os.listdir(path))).encode())
        if stat.S_ISFIFO(mode):
            return cls("named pipe")
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            return cls("device")
        return cls("file", path.read_bytes())


def first_half(source: Path, target: Path) -> Path:
    """Write the first half of ``source``'s bytes to ``target`` (a file cut short, as by a failed copy)."""
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target
