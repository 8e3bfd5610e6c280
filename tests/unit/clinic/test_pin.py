"""The therapist's PIN: salted scrypt hash, constant-time check, five wrong tries lock for a minute (fake clock)."""

from __future__ import annotations

import pytest

from clinic.pin import (
    LOCK_S,
    PinError,
    PinLock,
    after_attempt,
    hash_pin,
    is_locked,
    seconds_left,
    tries_left,
    verify_pin,
)


def test_the_hash_is_salted_scrypt_and_checks_the_pin() -> None:
    first, second = hash_pin("2468"), hash_pin("2468")
    assert first.startswith("scrypt$16384$8$1$")
    assert "2468" not in first.split("$", 4)[4]
    assert first != second  # a fresh salt each time
    assert verify_pin("2468", first) and verify_pin("2468", second)
    assert not verify_pin("2469", first)
    assert not verify_pin("24680", first)


def test_a_known_salt_gives_the_rfc_scrypt_value() -> None:
    import hashlib

    salt = bytes(range(16))
    expected = hashlib.scrypt(b"1234", salt=salt, n=2**14, r=8, p=1, maxmem=64 * 1024 * 1024, dklen=32).hex()
    assert hash_pin("1234", salt).endswith("$" + salt.hex() + "$" + expected)


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "", "١٢٣٤"])
def test_a_pin_is_four_to_eight_ascii_digits(pin: str) -> None:
    with pytest.raises(PinError, match="4 to 8 digits"):
        hash_pin(pin)


def test_a_damaged_stored_hash_is_named() -> None:
    with pytest.raises(PinError, match="not an scrypt hash"):
        verify_pin("1234", "plain:1234")
    with pytest.raises(PinError, match="damaged"):
        verify_pin("1234", "scrypt$16384$8$1$zz$00")


def test_five_wrong_tries_lock_for_a_minute() -> None:
    lock, now = PinLock(), 1000.0
    for _ in range(4):
        lock = after_attempt(lock, correct=False, now_s=now)
        assert not is_locked(lock, now)
    lock = after_attempt(lock, correct=False, now_s=now)
    assert is_locked(lock, now) and seconds_left(lock, now) == LOCK_S
    assert after_attempt(lock, correct=True, now_s=now + 59.0) == lock  # a right PIN does not open it while locked
    assert is_locked(lock, now + 59.9) and not is_locked(lock, now + 60.0)
    lock = after_attempt(lock, correct=False, now_s=now + 61.0)  # after the lock: counting starts again
    assert lock.wrong_tries == 1 and not is_locked(lock, now + 61.0)
    assert after_attempt(lock, correct=True, now_s=now + 62.0) == PinLock()


def test_a_right_pin_resets_the_count() -> None:
    lock = PinLock()
    for _ in range(4):
        lock = after_attempt(lock, correct=False, now_s=0.0)
    lock = after_attempt(lock, correct=True, now_s=1.0)
    for _ in range(4):
        lock = after_attempt(lock, correct=False, now_s=2.0)
    assert not is_locked(lock, 2.0)


def test_the_tries_left_count_down_to_the_lock_and_come_back_after_it() -> None:
    lock, now = PinLock(), 50.0
    seen = [tries_left(lock, now)]
    for _ in range(5):
        lock = after_attempt(lock, correct=False, now_s=now)
        seen.append(tries_left(lock, now))
    assert seen == [5, 4, 3, 2, 1, 0]
    assert tries_left(lock, now + LOCK_S) == 5  # the lock is over: five tries again
