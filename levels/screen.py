"""The shape of the play area, as plain numbers a family's rules can use without pygame.

Screen positions are 0..1 of the width (x) and of the height (y). The game's renderer of a family works these
numbers out from the window and its theme (the status bar's height) and gives them to the rules.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScreenShape:
    """The window's shape as a level sees it.

    ``aspect`` is width / height (> 0); ``top_reserved_norm`` is the fraction of the height reserved at the top for
    the status bar (0 to < 1), where a level places nothing.
    """

    aspect: float
    top_reserved_norm: float = 0.0

    def __post_init__(self) -> None:
        if not self.aspect > 0.0:
            raise ValueError(f"aspect: expected width / height > 0, got {self.aspect}")
        if not 0.0 <= self.top_reserved_norm < 1.0:
            raise ValueError(
                f"top_reserved_norm: expected 0 to < 1 (a fraction of the height), got {self.top_reserved_norm}"
            )
