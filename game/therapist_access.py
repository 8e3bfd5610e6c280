"""What the menu and the therapist screen share of a session: its clinic records and the PIN's lock.

The therapist screen reads and saves the patient's plan in the session's records (the store the session's journal
writes to), and its PIN lock is kept across screens, so that leaving the screen and coming back does not reset
five wrong tries. Both live on the session's :class:`~game.scenes.base.GameContext` as ``records`` and
``pin_lock``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clinic.pin import PinLock

if TYPE_CHECKING:
    from clinic.records.store import RecordsStore
    from game.scenes.base import GameContext

RECORDS_FIELD = "records"
PIN_LOCK_FIELD = "pin_lock"


def session_records(context: GameContext) -> RecordsStore | None:
    """The session's clinic records, ``None`` when the session is not recorded (no patient's records open)."""
    return context.records


def therapist_available(context: GameContext) -> bool:
    """Whether the menu offers the therapist screen: only for a patient whose records are open."""
    return session_records(context) is not None


def pin_lock(context: GameContext) -> PinLock:
    """The therapist screen's PIN lock for this session (wrong tries and the lock's end, game-clock seconds)."""
    return context.pin_lock


def keep_pin_lock(context: GameContext, lock: PinLock) -> None:
    """Keep ``lock`` for this session, across screens."""
    context.pin_lock = lock
