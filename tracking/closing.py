"""Things that hold a device, a file or a model open: ``with thing:`` closes it at the end of the block."""

from __future__ import annotations

import abc
from types import TracebackType
from typing import TypeVar

_Closing = TypeVar("_Closing", bound="ClosesOnExit")


class ClosesOnExit(abc.ABC):
    """A base for what must be released: ``with thing:`` calls :meth:`close` however the block ends."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release what is held (idempotent)."""

    def __enter__(self: _Closing) -> _Closing:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
