"""The real game process killed with SIGKILL mid-session (issue 9, "Faults"): after a restart every finished trial is
there, once, with its values, the session is marked incomplete, the database is sound and no file is half-written.

``motorplay play`` runs headless from a recording of a real hand reaching the targets of an 8-target level, recorded
for a patient added with ``motorplay patients add``; once the records hold two committed trials it is killed. The
next start is another ``motorplay`` command opening the records (``motorplay sessions list``).
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from uuid import UUID

from clinic.records.store import open_store
from game.session_results import OUTCOME_NAMES, RECORD_OUTCOMES
from levels.trial import Outcome
from tests.support.killed_game import (
    COMMAND_TIMEOUT_S,
    KILL_AFTER_TRIALS,
    PATIENT,
    TRIALS,
    committed_trials,
    half_written,
    integrity,
    motorplay,
    prepare,
    results_document,
    session_rows,
    start_play,
    wait_for_trials,
)

# The session-results file's word for each of the records' outcomes.
FILE_OUTCOMES = {RECORD_OUTCOMES[outcome].value: OUTCOME_NAMES[outcome] for outcome in Outcome}


def test_a_game_killed_mid_session_keeps_its_trials_and_is_closed_incomplete_next_start(tmp_path: Path) -> None:
    game = prepare(tmp_path)
    process = start_play(game, tmp_path)
    try:
        seen = wait_for_trials(process, game, tmp_path, KILL_AFTER_TRIALS)
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=COMMAND_TIMEOUT_S) == -signal.SIGKILL
    finally:
        if process.poll() is None:  # a failure before the kill: the game must not outlive the test
            process.kill()
            process.wait(timeout=COMMAND_TIMEOUT_S)

    # As the kill left them: the trials committed (those seen before the kill among them), the session open.
    left = committed_trials(game.database)
    assert left[: len(seen)] == seen
    assert KILL_AFTER_TRIALS <= len(left) < TRIALS, left  # killed mid-level
    assert [row[0] for row in left] == list(range(len(left)))  # each trial once, in order
    assert all(row[1] == "success" for row in left), left  # the recorded hand hit each target
    [(session_uuid, ended_at, complete, process_id)] = session_rows(game.database)
    assert (ended_at, complete, process_id) == (None, 0, process.pid)  # the game could not end it
    # The results file, rewritten (atomically) after every trial before the trial's commit: complete JSON, the
    # session not ended, the same trials (one more if the kill fell between the file and the commit).
    document = results_document(game.results_json)
    assert (document["patient"], document["ended_at"], document["complete"]) == (PATIENT, None, False)
    [level] = document["levels"]
    entries = level["trials"]
    assert len(left) <= len(entries) <= len(left) + 1, (left, entries)
    for (index, outcome, time_s, *_), entry in zip(left, entries, strict=False):
        assert (entry["trial"], entry["outcome"], entry["time_s"]) == (index + 1, FILE_OUTCOMES[outcome], time_s)
    assert half_written(game.data_dir, game.results_json.parent) == []

    # The next start: a motorplay command opens the records and closes the session its killed process left.
    listed = motorplay("sessions", "list", "--patient", PATIENT, "--data-dir", str(game.data_dir))
    assert listed.returncode == 0, listed.stderr
    [(uuid_after, ended_at, complete, _)] = session_rows(game.database)
    assert uuid_after == session_uuid and ended_at is not None and complete == 0
    assert committed_trials(game.database) == left  # nothing lost, nothing duplicated, nothing changed

    with open_store(data_dir=game.data_dir, environ={}, import_calibrations=False) as store:
        [summary] = store.sessions(PATIENT)
        [run] = store.level_runs(summary.session.uuid)
        trials = store.trials(run.uuid)
    assert not summary.session.complete and summary.trials == len(left)
    assert [(t.index, t.outcome.value, t.time_s, t.points, t.uuid) for t in trials] == [
        (index, outcome, time_s, points, UUID(str(uuid))) for index, outcome, time_s, points, uuid, _ in left
    ]
    assert summary.session.ended_at == trials[-1].ended_at  # it ends at its last finished trial
    assert integrity(game.database) == "ok"
    assert half_written(game.data_dir, game.results_json.parent) == []
