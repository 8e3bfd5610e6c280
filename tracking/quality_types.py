"""The results of movement-quality analysis: movements, their smoothness and the dystonic breaks inside them.

Pure data; the algorithms live in :mod:`tracking.smoothness`, :mod:`tracking.segmentation`, :mod:`tracking.breaks`
and :mod:`tracking.analysis`. These measures are training feedback, not clinical scores.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from tracking.types import Effector


class BreakKind(enum.Enum):
    """The operational kinds of dystonic break (definitions and thresholds in the README)."""

    ARREST = "arrest"
    JERK = "jerk"
    REVERSAL = "reversal"
    POSTURE = "posture"
    TREMOR = "tremor"


@dataclass(frozen=True)
class Break:
    """One dystonic break: when (seconds from the start of the input), what, where, and how strong.

    ``severity`` is dimensionless and kind-specific (documented per kind in the README); larger is stronger.
    """

    t_s: float
    kind: BreakKind
    effector: Effector
    severity: float


@dataclass(frozen=True)
class MovementQuality:
    """One movement, from rest to rest, with its smoothness and breaks.

    Times in seconds; ``peak_speed_units_per_s`` and ``path_length_units`` in the effector's unit
    (:attr:`Effector.unit`: px for the hand, deg for the head).
    """

    effector: Effector
    start_s: float
    end_s: float
    peak_speed_units_per_s: float
    path_length_units: float
    sparc: float
    ldlj: float
    velocity_peaks: int
    breaks: tuple[Break, ...]

    @property
    def duration_s(self) -> float:
        """The movement's duration in seconds, onset to end."""
        return self.end_s - self.start_s


@dataclass(frozen=True)
class QualityResult:
    """Everything found in one trial or one input: its movements and all breaks (inside movements or not)."""

    effector: Effector
    movements: tuple[MovementQuality, ...]
    breaks: tuple[Break, ...]

    @property
    def mean_sparc(self) -> float | None:
        """The mean SPARC of the movements (dimensionless, <= 0; nearer 0 is smoother), ``None`` without one."""
        if not self.movements:
            return None
        return sum(movement.sparc for movement in self.movements) / len(self.movements)


@dataclass(frozen=True)
class QualityParams:
    """Every threshold of movement segmentation and break detection, with its default and where it comes from.

    "Design choice" marks defaults that no publication fixes: they were set on the seeded synthetic recordings of
    :mod:`tracking.synthetic` (reaches with injected breaks at 25 and 30 fps, MediaPipe-like jitter) and are
    documented with the validation figures in ``docs/movement-quality.md``.
    """

    # Filtering. Winter DA (2009), Biomechanics and Motor Control of Human Movement, 4th ed., ch. 3: arm and hand
    # movement has nearly all its power below ~6 Hz, so a 6 Hz low-pass removes tracking jitter without distorting
    # reaches (zero-phase Butterworth: tracking.filtering.zero_phase).
    lowpass_cutoff_hz: float = 6.0
    # Tracking gaps up to this many frames are filled linearly; longer ones end the movement. Design choice: a
    # 3-frame gap at 25-30 fps is 0.1-0.12 s, shorter than the shortest arrest to find (0.12 s in the synthetic
    # reaches of tracking/synthetic.py).
    max_gap_frames: int = 3
    # Segmentation: rest is speed below rest_speed_fraction of the movement's peak (a common 5% rule, e.g.
    # Rohrer et al. 2002), raised above the measured jitter, for at least rest_min_s (design choice: longer than
    # the synthetic reaches' arrests, up to 0.4 s, shorter than their rests, 1-1.5 s).
    rest_speed_fraction: float = 0.05
    rest_min_s: float = 0.5
    jitter_window_s: float = 0.25  # windows of this length measure the resting jitter
    jitter_percentile: float = 90.0  # speed percentile in a window taken as its jitter level
    jitter_rest_share_percent: float = 15.0  # design choice: inputs rest at least 15% of the time
    jitter_margin: float = 1.5  # design choice: "just above" the jitter
    min_movement_s: float = 0.25  # design choice: shorter bursts above rest are twitches, not movements
    min_peak_over_jitter: float = 3.0  # design choice: a movement's peak speed exceeds 3x the resting jitter
    # Design choice: a movement goes at least this far (hand: fraction of the image width, 2% = 13 px at 640 px;
    # head: degrees); less is a tracker settling or a fidget, not a movement, even when the input has no jitter.
    min_hand_amplitude_norm: float = 0.02
    min_head_amplitude_deg: float = 3.0
    # Arrest: a speed valley below arrest_valley_fraction of the peak between two substantial peaks (design choice,
    # checked on the synthetic reaches), or a valley deeper than arrest_deep_valley_ratio of the lower flanking peak.
    arrest_valley_fraction: float = 0.10
    arrest_deep_valley_ratio: float = 0.5  # design choice
    arrest_flank_fraction: float = 0.3  # design choice: a "substantial" peak is >= 30% of the movement's peak
    # Jerk (spasm): an off-path burst far above the patient's own off-path wobble, lasting at most jerk_max_s, and
    # at least jerk_min_amplitude_fraction of the movement's amplitude. "Far above": median + jerk_mad_k MAD, the
    # median/MAD outlier rule of Leys et al. (2013), J Exp Soc Psychol 49:764-766 (who suggest 2.5 MAD scaled by
    # 1.4826); k = 5 unscaled (about 3.4 scaled) and 0.3 s are design choices, checked on the synthetic reaches.
    jerk_mad_k: float = 5.0
    jerk_max_s: float = 0.3
    jerk_min_amplitude_fraction: float = 0.035  # design choice: half the smallest injected spasm (7%)
    jerk_min_head_deg: float = 2.0  # design choice: head spasms smaller than 2 degrees drown in sway and jitter
    jerk_median_window_s: float = 0.4  # design choice (tuned on the synthetic reaches): median of the intended path
    # Along-path jerk (a jolt ahead of the path's schedule or back): the raw progress along the movement minus
    # its low-pass at along_jerk_trend_hz, above median + jerk_mad_k MAD of that residual pooled over the input's
    # movements, at least along_jerk_min_amplitude_fraction of the amplitude, lasting at most jerk_max_s, and
    # not at the corners of a hold (speed under arrest_valley_fraction of the peak for along_jerk_hold_s).
    along_jerk_trend_hz: float = 3.5  # design choice, tuned on the synthetic reaches (2.5-4 Hz tried)
    along_jerk_min_amplitude_fraction: float = 0.03  # design choice, tuned on the synthetic reaches (2.5-5% tried)
    along_jerk_hold_s: float = 0.07  # design choice, tuned on the synthetic reaches (0.05-0.1 s tried)
    along_jerk_edge_s: float = 0.08  # design choice: no along-path jerk this close to a movement's start or end
    # Reversal: going back against the movement by at least this fraction of its amplitude, then going on (design
    # choice, checked on the synthetic reaches).
    reversal_fraction: float = 0.10
    # Posture (head): more than posture_enter_deg from the target for posture_min_s, exiting below posture_exit_deg
    # (design choices, checked on the synthetic head recordings: sway of 1.5 degrees, excursions of 14-22).
    posture_enter_deg: float = 10.0
    posture_exit_deg: float = 7.0  # design choice: 3 degrees of hysteresis, above natural sway
    posture_min_s: float = 0.5
    # Tremor: band power well above the resting jitter's for at least tremor_min_s. Bands: 3-8 Hz for the hand,
    # 1.5-7 Hz for the head, covering the tremor recorded in dystonia (arm 3.5-7 Hz, head 3-6.5 Hz: Dystonia 2024,
    # doi:10.3389/dyst.2024.12551) and the 1-6.5 Hz bursts of dystonic contractions (Elble 2013, Curr
    # Neuropharmacol 11:48-52); the exact edges and tremor_min_s are design choices.
    tremor_hand_band_hz: tuple[float, float] = (3.0, 8.0)
    tremor_head_band_hz: tuple[float, float] = (1.5, 7.0)
    tremor_min_s: float = 1.0
    tremor_over_jitter: float = 4.0  # design choice: band amplitude at least 4x the resting jitter's
    tremor_window_s: float = 0.5  # running RMS window
    # Design choice: a tremor's band RMS is at least this much even on jitter-free input (hand: fraction of the
    # image width, 0.3% = 1.9 px at 640 px; head: degrees), so that a movement's own band content is not one.
    tremor_min_hand_rms_norm: float = 0.003
    tremor_min_head_rms_deg: float = 0.5
    # Design choice, set on the synthetic reaches: a tremor half-wave counts when its peak is at least this share of
    # the largest one (fast reaches and reversals ring for 2-4 uneven half-waves in the band).
    tremor_regularity: float = 0.5
    # A tremor has at least this many strong half-waves: three full cycles (a quick movement out and back rings for
    # two), and at least 2 x the band's low edge x tremor_min_s.
    tremor_min_half_waves: int = 6
    # The tremor band's resting level is the running band RMS at this percentile of the input (design choice: inputs
    # rest at least 10% of the time, between reaches or at the start).
    tremor_rest_percentile: float = 10.0
    # Events closer than this count once (design choice, checked on the synthetic reaches).
    merge_s: float = 0.25
