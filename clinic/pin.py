"""The therapist's PIN: stored only as a salted scrypt hash, compared in constant time, locked after five misses.

The hash text is ``scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>`` (:func:`hashlib.scrypt`, RFC 7914). The lock is pure:
:class:`PinLock` is a frozen state and :func:`after_attempt` its step, given the time by the caller (a monotonic
clock in the game, a fake clock in the tests).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from tracking.errors import UserFacingError

# scrypt cost: n = 2**14, r = 8, p = 1 is the interactive-login setting of RFC 7914 section 2 (about 16 MiB and
# ~50 ms a check). A 4-8 digit PIN is short: the hash slows guessing from a copied file, the lock guards the screen.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_MAX_MEMORY = 64 * 1024 * 1024
HASH_BYTES = 32
SALT_BYTES = 16
# A PIN is 4 to 8 digits: typed on a keypad or keyboard by the therapist.
MIN_PIN_DIGITS = 4
MAX_PIN_DIGITS = 8
# Five wrong tries lock the therapist screen for a minute (issue 8).
MAX_WRONG_TRIES = 5
LOCK_S = 60.0
PREFIX = "scrypt"


class PinError(UserFacingError):
    """A PIN that is not 4-8 digits, or a stored hash that cannot be read (the message says which)."""


def check_pin_text(pin: str) -> str:
    """Return ``pin`` when it is 4 to 8 digits; else :class:`PinError`."""
    if not (pin.isascii() and pin.isdigit() and MIN_PIN_DIGITS <= len(pin) <= MAX_PIN_DIGITS):
        raise PinError(f"PIN: expected {MIN_PIN_DIGITS} to {MAX_PIN_DIGITS} digits")
    return pin


def _derive(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=SCRYPT_MAX_MEMORY, dklen=HASH_BYTES)


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """Return the stored form of ``pin``: a fresh random salt (unless given) and its scrypt hash."""
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    digest = _derive(check_pin_text(pin), salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"{PREFIX}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    """Return whether ``pin`` matches the stored hash (compared in constant time)."""
    parts = stored.strip().split("$")
    if len(parts) != 6 or parts[0] != PREFIX:
        raise PinError("the stored PIN is not an scrypt hash; set it again with `motorplay plan pin`")
    try:
        n, r, p = (int(part) for part in parts[1:4])
        salt, expected = bytes.fromhex(parts[4]), bytes.fromhex(parts[5])
    except ValueError:
        raise PinError("the stored PIN hash is damaged; set it again with `motorplay plan pin`") from None
    return hmac.compare_digest(_derive(pin, salt, n, r, p), expected)


@dataclass(frozen=True)
class PinLock:
    """Wrong tries in a row and, once five are reached, the time (clock seconds) the lock ends."""

    wrong_tries: int = 0
    locked_until_s: float | None = None


def is_locked(lock: PinLock, now_s: float) -> bool:
    """Return whether tries are refused at ``now_s``."""
    return lock.locked_until_s is not None and now_s < lock.locked_until_s


def seconds_left(lock: PinLock, now_s: float) -> float:
    """Return the seconds until the lock ends (0 when not locked)."""
    return max(0.0, lock.locked_until_s - now_s) if is_locked(lock, now_s) and lock.locked_until_s else 0.0


def tries_left(lock: PinLock, now_s: float) -> int:
    """Return the wrong tries still allowed before the lock (0 while locked, all of them once a lock has ended)."""
    if is_locked(lock, now_s):
        return 0
    if lock.locked_until_s is not None:
        return MAX_WRONG_TRIES
    return max(0, MAX_WRONG_TRIES - lock.wrong_tries)


def after_attempt(lock: PinLock, correct: bool, now_s: float) -> PinLock:
    """Return the lock after a try at ``now_s``; a try while locked is not counted (nor checked by the caller)."""
    if is_locked(lock, now_s):
        return lock
    if correct:
        return PinLock()
    wrong = lock.wrong_tries + 1 if lock.locked_until_s is None else 1
    if wrong >= MAX_WRONG_TRIES:
        return PinLock(wrong_tries=wrong, locked_until_s=now_s + LOCK_S)
    return PinLock(wrong_tries=wrong)
