"""How many trials a second the records store commits, on SQLite (the default file) and on PostgreSQL.

Each trial is committed on its own (as the game does when a trial ends: ``RecordsStore.add_trial``), with one break
event, its parameters and measures. SQLite: the default file in a temporary data folder on this machine's disk (WAL,
full sync: each commit reaches the disk). PostgreSQL 15: a server started for the run on loopback with its default,
durable settings (fsync on), from ``/usr/lib/postgresql/15/bin`` (as root it runs as the ``postgres`` user); skipped,
saying why, when it is not installed. One writer, then four writer threads with a store each (as four stations).
Prints figures, never fails on noise.

Usage: ``.venv/bin/python -m benchmarks.bench_records [--trials N] [--rounds N]``
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

from clinic.records.store import RecordsStore, open_store
from clinic.records.types import BreakRecord, TrialOutcome, TrialRecord
from tests.support.postgres import PostgresServer, missing_reason, start_postgres
from tracking.quality_types import BreakKind
from tracking.types import Effector

THREADS = 4


def _trial(index: int) -> TrialRecord:
    return TrialRecord(
        index=index,
        outcome=TrialOutcome.SUCCESS,
        time_s=2.5,
        params={"target_radius_norm": 0.09, "dwell_time_s": 0.6},
        sparc=-1.62,
        ldlj=-6.3,
        stars=2,
        measures={"peak_speed_units_per_s": 412.0, "path_length_units": 210.0},
        breaks=(BreakRecord(t_s=0.8, kind=BreakKind.ARREST, effector=Effector.HAND, severity=0.9),),
    )


def _write_trials(store: RecordsStore, patient: str, trials: int) -> float:
    """Seconds to commit ``trials`` trials, one commit each, in a new session."""
    session = store.start_session(patient)
    run = store.start_level_run(session.uuid, "reach", "reach")
    records = [_trial(index) for index in range(trials)]  # made before the clock: the game hands them over ready
    started = time.perf_counter()
    for record in records:
        store.add_trial(run.uuid, record)
    elapsed = time.perf_counter() - started
    store.end_session(session.uuid, complete=True)
    return elapsed


def _one_writer(data_dir: Path, db: str | None, trials: int, rounds: int) -> float:
    with open_store(data_dir=data_dir, db=db, environ={}) as store:
        patient = store.add_patient().code
        _write_trials(store, patient, 20)  # warm-up: connections, statement caches
        return statistics.median(trials / _write_trials(store, patient, trials) for _ in range(rounds))


def _threads(data_dir: Path, db: str | None, trials: int) -> float:
    stores = [open_store(data_dir=data_dir, db=db, environ={}, station=f"bench-{i}") for i in range(THREADS)]
    try:
        patient = stores[0].add_patient().code
        barrier = threading.Barrier(THREADS + 1)

        def work(store: RecordsStore) -> None:
            barrier.wait()
            _write_trials(store, patient, trials)

        workers = [threading.Thread(target=work, args=(store,)) for store in stores]
        for worker in workers:
            worker.start()
        barrier.wait()
        started = time.perf_counter()
        for worker in workers:
            worker.join()
        return THREADS * trials / (time.perf_counter() - started)
    finally:
        for store in stores:
            store.close()


def _report(name: str, data_dir: Path, db: str | None, trials: int, rounds: int) -> None:
    single = _one_writer(data_dir, db, trials, rounds)
    together = _threads(data_dir, db, trials)
    print(f"{name:<11} one writer: {single:7.0f} trials/s ({1000 / single:5.2f} ms a trial); "
          f"{THREADS} writers together: {together:7.0f} trials/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=300, help="trials per writer and round (default 300)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the one-writer figure (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="motorplay-bench-", dir=Path.home()) as folder:
        _report("SQLite", Path(folder) / "data", None, args.trials, args.rounds)
    reason = missing_reason()
    if reason is not None:
        print(f"PostgreSQL  skipped: {reason}")
        return
    server: PostgresServer = start_postgres(durable=True)
    try:
        with tempfile.TemporaryDirectory(prefix="motorplay-bench-", dir=Path.home()) as folder:
            _report("PostgreSQL", Path(folder) / "data", server.create_database("bench"), args.trials, args.rounds)
    finally:
        server.remove()


if __name__ == "__main__":
    main()
