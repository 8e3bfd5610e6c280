"""Break-detection validation over a larger seed range than the test suite runs (figures for the docs).

Seeded synthetic recordings (tracking/synthetic.py) at 25 and 30 fps, with the test suite's plan and matching rule
(tests/support/break_matching.py: same kind, within 0.35 s). Run from the repository root:

    .venv/bin/python -m benchmarks.validate_breaks [--seeds 30] [--along-share 0.0] [--jitter-px 1.5]

Prints precision and recall overall and per kind (sideways and along-path jerks apart), false breaks per clean
reach, reaches not found as one movement, and the SPARC of clean reaches.
"""

from __future__ import annotations

import argparse

import numpy as np

from tests.support.break_matching import break_plan, false_breaks_on_clean_reaches, match
from tests.support.paths import HAND_TEMPLATE_PATH
from tracking.analysis_input import analyze_samples
from tracking.quality_types import BreakKind
from tracking.synthetic import InjectedBreak, load_hand_template, synthetic_hand

FRAME_RATES_HZ = (25.0, 30.0)


def _label(truth: InjectedBreak) -> str:
    if truth.kind is BreakKind.JERK:
        return "jerk along" if truth.along_path else "jerk across"
    return str(truth.kind.value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--along-share", type=float, default=0.0, help="share of jerks along the path, 0..1")
    parser.add_argument("--jitter-px", type=float, default=1.5)
    args = parser.parse_args()
    template, _ = load_hand_template(HAND_TEMPLATE_PATH)
    totals = np.zeros(3, dtype=int)
    hits_by_label: dict[str, list[int]] = {}
    false_by_kind: dict[str, int] = {}
    clean_reaches = clean_false = wrong_movement_counts = 0
    clean_sparcs: list[float] = []
    for seed in range(args.seeds):
        for fps in FRAME_RATES_HZ:
            recording = synthetic_hand(
                template, seed=seed, fps=fps, breaks=break_plan(seed), along_jerk_share=args.along_share,
                jitter_px=args.jitter_px,
            )
            result = analyze_samples(recording.samples(), info=recording.info).result
            found = list(result.breaks)
            totals += match(recording.injected, found)
            for truth in recording.injected:
                hit, _, _ = match([truth], [event for event in found if event.kind is truth.kind])
                counts = hits_by_label.setdefault(_label(truth), [0, 0])
                counts[0] += hit
                counts[1] += 1
            for kind in (BreakKind.ARREST, BreakKind.JERK, BreakKind.REVERSAL):
                truths = [truth for truth in recording.injected if truth.kind is kind]
                _, false, _ = match(truths, [event for event in found if event.kind is kind])
                false_by_kind[kind.value] = false_by_kind.get(kind.value, 0) + false
            wrong_movement_counts += len(result.movements) != len(recording.reaches)
            run_clean, run_false = false_breaks_on_clean_reaches(recording, found)
            clean_reaches, clean_false = clean_reaches + run_clean, clean_false + run_false
            clean_sparcs += [
                movement.sparc
                for reach, movement in zip(recording.reaches, result.movements, strict=False)
                if reach.injected is None
            ]
    hits, false, missed = (int(value) for value in totals)
    print(f"seeds 0-{args.seeds - 1} at {FRAME_RATES_HZ} fps, along-path share {args.along_share}, "
          f"jitter {args.jitter_px} px")
    print(f"all breaks: true {hits}, false {false}, missed {missed}; "
          f"precision {hits / max(hits + false, 1):.3f}, recall {hits / max(hits + missed, 1):.3f}")
    for label, (found_count, total) in sorted(hits_by_label.items()):
        print(f"  {label:12s} found {found_count} of {total}")
    print(f"  false detections by kind: {false_by_kind}")
    print(f"false breaks per clean reach: {clean_false / max(clean_reaches, 1):.3f} ({clean_false}/{clean_reaches})")
    print(f"recordings whose reaches were not each one movement: {wrong_movement_counts}")
    print(f"clean-reach SPARC: min {min(clean_sparcs):.3f}, median {float(np.median(clean_sparcs)):.3f}")


if __name__ == "__main__":
    main()
