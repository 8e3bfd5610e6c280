"""A simulated patient played against the staircase: what a plan will do before a patient meets it (pure).

The model (logistic, issue 8). At trial ``t`` (from 0) and difficulty ``d`` the patient's effective skill is
``s = skill - fatigue * FATIGUE_SKILL_LOSS_PER_TRIAL * t``, and

* the goal is met with probability ``sigmoid(GOAL_SLOPE * (s - d) + GOAL_OFFSET)``: a patient of skill ``S``
  meets the goal at ``d = S`` four times in five (sigmoid(1.39) = 0.8), and one step of 0.1 changes the odds by
  ``exp(0.8)``;
* a dystonic break happens with probability ``sigmoid(logit(B) + BREAK_SLOPE * (d - 0.5) + fatigue *
  FATIGUE_BREAK_GAIN_PER_TRIAL * t)``: ``B`` at difficulty 0.5 on a rested patient, more at harder levels and as
  fatigue builds;
* a trial succeeds when the goal is met with no break (the simulated smoothness is above the floor).

Every draw comes from ``random.Random(seed)``, so a seed gives the same run.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from levels.staircase import StaircaseRules, StaircaseState, TrialResult, start, step

GOAL_SLOPE = 8.0
GOAL_OFFSET = math.log(4.0)  # sigmoid(log 4) = 0.8 at d == skill
BREAK_SLOPE = 3.0
# Fatigue 1 costs 0.02 of skill a trial (0.6 over 30 trials) and raises the odds of a break by exp(0.06) a trial.
FATIGUE_SKILL_LOSS_PER_TRIAL = 0.02
FATIGUE_BREAK_GAIN_PER_TRIAL = 0.06
# Breaks at difficulty 0.5 are given as a probability; it is kept off 0 and 1 so that its logit is finite.
BREAK_RATE_LIMIT = 1e-6


@dataclass(frozen=True)
class SimulatedPatient:
    """Skill 0-1, fatigue 0-1 (how fast performance falls), the chance of a break at difficulty 0.5."""

    skill: float
    fatigue: float = 0.0
    break_rate: float = 0.05


@dataclass(frozen=True)
class SimulatedTrial:
    """One simulated trial: the difficulty it was played at, its result, and the staircase's reason after it."""

    trial: int
    difficulty: float
    success: bool
    breaks: int
    reason: str
    changed: bool
    rest_suggested: bool
    goal_probability: float


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def goal_probability(patient: SimulatedPatient, difficulty: float, trial: int) -> float:
    """Return the chance the goal is met at ``difficulty`` on trial ``trial`` (from 0)."""
    skill = patient.skill - patient.fatigue * FATIGUE_SKILL_LOSS_PER_TRIAL * trial
    return _sigmoid(GOAL_SLOPE * (skill - difficulty) + GOAL_OFFSET)


def break_probability(patient: SimulatedPatient, difficulty: float, trial: int) -> float:
    """Return the chance of a dystonic break on trial ``trial`` (from 0) at ``difficulty``."""
    rate = min(1.0 - BREAK_RATE_LIMIT, max(BREAK_RATE_LIMIT, patient.break_rate))
    logit = math.log(rate / (1.0 - rate))
    return _sigmoid(logit + BREAK_SLOPE * (difficulty - 0.5) + patient.fatigue * FATIGUE_BREAK_GAIN_PER_TRIAL * trial)


@dataclass(frozen=True)
class SimulationRun:
    """The simulated trials and the difficulty the staircase ended at (the next trial's)."""

    trials: tuple[SimulatedTrial, ...]
    final_difficulty: float


def simulate(
    patient: SimulatedPatient, rules: StaircaseRules, start_difficulty: float, trials: int, seed: int = 0
) -> SimulationRun:
    """Play ``trials`` simulated trials from ``start_difficulty``; the difficulty of each is the one played."""
    draw = random.Random(seed)
    state: StaircaseState = start(rules, start_difficulty)
    played: list[SimulatedTrial] = []
    for index in range(trials):
        difficulty = state.difficulty
        goal_chance = goal_probability(patient, difficulty, index)
        goal = draw.random() < goal_chance
        breaks = int(draw.random() < break_probability(patient, difficulty, index))
        state = step(rules, state, TrialResult(success=goal and breaks == 0, breaks=breaks))
        played.append(
            SimulatedTrial(
                trial=index + 1,
                difficulty=difficulty,
                success=goal and breaks == 0,
                breaks=breaks,
                reason=state.reason,
                changed=state.changed,
                rest_suggested=state.rest_suggested,
                goal_probability=goal_chance,
            )
        )
    return SimulationRun(trials=tuple(played), final_difficulty=state.difficulty)


def success_rate(trials: tuple[SimulatedTrial, ...]) -> float:
    """Return the share of successful trials (0 when there are none)."""
    return sum(trial.success for trial in trials) / len(trials) if trials else 0.0
