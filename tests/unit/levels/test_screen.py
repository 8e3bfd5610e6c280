"""The play area's shape as plain numbers: impossible shapes are refused with what was expected."""

from __future__ import annotations

import pytest

from levels.screen import ScreenShape


@pytest.mark.parametrize(
    ("aspect", "top", "words"),
    [(0.0, 0.0, "aspect: expected width / height > 0, got 0.0"), (1.5, 1.0, "top_reserved_norm: expected 0 to < 1")],
)
def test_impossible_shapes_are_refused(aspect: float, top: float, words: str) -> None:
    with pytest.raises(ValueError, match=words.replace("(", r"\(")):
        ScreenShape(aspect=aspect, top_reserved_norm=top)
