"""The level file fields several families share, with one range each: a family's schema uses these types.

A field typed with one of these keeps its family's own name, default and description
(``trials: Trials = Field(description="targets in one play of the level")``); the range lives here once, so two
families that mean the same thing cannot drift apart. Each range is the one the families had: the level files and
the tables of levels/README.md name them.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

# Trials in one play: a therapist's session rarely asks more than a few dozen targets or balls in a row (fatigue
# worsens dystonic symptoms); 100 bounds a typo. Reach, head and grasp.
Trials = Annotated[int, Field(ge=1, le=100)]
# The seed of a level's placements (targets, balls and goals): numpy's generators take any unsigned 32-bit number.
PlacementSeed = Annotated[int, Field(ge=0, le=2**32 - 1)]
# Time on a target to hit it, seconds: 0.1 s is a touch, 5 s a long steady hold. Reach, head, the assessment's reaches.
DwellTime = Annotated[float, Field(ge=0.1, le=5.0)]
# A target not hit within this time is missed, seconds: at least 2 s to get there, at most 2 min. Reach and head.
TargetTimeout = Annotated[float, Field(ge=2.0, le=120.0)]
# Rest between two trials, seconds (each family its own default): up to 10 s. Reach, head, grasp and trace.
InterTrialPause = Annotated[float, Field(ge=0.0, le=10.0)]
# A target's radius, fraction of the screen height: from a small dot to a third of the height. Reach, assessment.
TargetRadius = Annotated[float, Field(ge=0.02, le=0.3)]
