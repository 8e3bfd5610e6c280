"""The internet sockets a running process holds, read from Linux's ``/proc`` (no psutil needed).

A socket of the process is a ``socket:[INODE]`` link in ``/proc/PID/fd``; its protocol, addresses and state are in
``/proc/PID/net/{tcp,tcp6,udp,udp6}`` (the process's network namespace), found by the inode.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

# /proc/net/tcp's state column (include/net/tcp_states.h).
TCP_LISTEN = "0A"
PROTOCOLS = ("tcp", "tcp6", "udp", "udp6")
SAMPLE_INTERVAL_S = 0.05


@dataclass(frozen=True)
class InetSocket:
    """An internet socket: protocol, local address (hex, as /proc shows it), remote address and state code."""

    protocol: str
    local: str
    remote: str
    state: str

    @property
    def listening(self) -> bool:
        """Return ``True`` for a TCP socket waiting for connections."""
        return self.protocol.startswith("tcp") and self.state == TCP_LISTEN


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    try:
        links = list(Path(f"/proc/{pid}/fd").iterdir())
    except (FileNotFoundError, ProcessLookupError):
        return inodes
    for link in links:
        try:
            target = str(link.readlink())
        except OSError:  # closed between the listing and the read
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def inet_sockets(pid: int) -> set[InetSocket]:
    """Return the internet sockets process ``pid`` holds now (empty once it has ended)."""
    inodes = _socket_inodes(pid)
    found: set[InetSocket] = set()
    if not inodes:
        return found
    for protocol in PROTOCOLS:
        try:
            lines = Path(f"/proc/{pid}/net/{protocol}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[9] in inodes:
                found.add(InetSocket(protocol, fields[1], fields[2], fields[3]))
    return found


def sockets_while_running(process: subprocess.Popen[str], *, timeout_s: float) -> tuple[set[InetSocket], int]:
    """Sample ``process``'s internet sockets until it ends; return every one seen and how many samples were taken."""
    seen: set[InetSocket] = set()
    samples = 0
    deadline = time.monotonic() + timeout_s
    while process.poll() is None and time.monotonic() < deadline:
        seen |= inet_sockets(process.pid)
        samples += 1
        time.sleep(SAMPLE_INTERVAL_S)
    return seen, samples


def sockets_of_run(process: subprocess.Popen[str], *, timeout_s: float) -> tuple[set[InetSocket], int]:
    """:func:`sockets_while_running`, then wait ``timeout_s`` at most for ``process``'s end (killed in any case); it
    must have exited 0 (its stderr is the failure's message)."""
    try:
        sockets, samples = sockets_while_running(process, timeout_s=timeout_s)
        _, stderr = process.communicate(timeout=timeout_s)
    finally:
        process.kill()
    assert process.returncode == 0, stderr
    return sockets, samples
