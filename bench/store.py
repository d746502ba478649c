"""The check-in log's speed: durable inserts, sync throughput, insert latency under a backlog.

- durable inserts/s: CheckInLog.record, one commit (WAL, synchronous=FULL) per record,
  as at the door, on the real disk under a temp dir;
- sync throughput: records/s uploaded to a real platform on 127.0.0.1 (gzip, signed,
  batches of 500), including marking them synced in the log;
- scan-path insert latency (p50/p99) while 1,000,000 records wait unsynced.

Run: .venv/bin/python bench/store.py [--backlog 1000000] [--inserts 3000] [--sync 20000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from cityplatform.testing import running_platform
from kiosk import pipeline
from kiosk.decision import Decision
from kiosk.demo import builtin_document, demo_cards, demo_kit
from kiosk.paths import Paths
from kiosk.rules.ruleset import RuleBook
from kiosk.store.log import CheckInLog
from kiosk.sync.client import PlatformClient
from kiosk.sync.device import device_key
from kiosk.sync.worker import SyncWorker
from kiosk.verify.bundle import open_bundle


def a_green_decision(home: Path) -> Decision:
    paths = Paths(data=home / "data", config=home / "config", logs=home / "logs")
    kit = demo_kit(paths)
    now = datetime.now(UTC)
    bundle = open_bundle(kit.bundle(now), kit.root.public)
    context = pipeline.Context.from_bundle(bundle)
    assert RuleBook.from_json(builtin_document("rules.json"))
    decision = pipeline.process(demo_cards(kit, now)[0].text, now, context)
    assert decision.card is not None
    return decision


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bulk_fill(log: CheckInLog, decision: Decision, n: int) -> None:
    """A backlog made fast: inside an outer transaction each record's own transaction
    becomes a savepoint, so there is one commit per 5,000 (the door commits each)."""
    db = log._db
    for start in range(0, n, 5000):
        with db.atomic():
            for _ in range(min(5000, n - start)):
                log.record(decision)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backlog", type=int, default=1_000_000)
    parser.add_argument("--inserts", type=int, default=3000)
    parser.add_argument("--sync", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=Path.home()) as tmp_name:
        tmp = Path(tmp_name)
        decision = a_green_decision(tmp)
        print(f"# bench/store.py (database on {tmp}, the real disk)")

        # 1. durable inserts, one commit each
        log = CheckInLog.open(tmp / "a", kiosk_id="k", venue_id="V-BENCH")
        start = time.perf_counter()
        for _ in range(args.inserts):
            log.record(decision)
        rate = args.inserts / (time.perf_counter() - start)
        print(f"durable inserts:                 {rate:9,.0f} /s  (target >= 2,000)")
        log.close()

        # 1b. what the log's mark costs (issue 10, item 12): interleaved rounds of 500
        # inserts with and without the mark's in-place write, in one run.
        marked = CheckInLog.open(tmp / "m", kiosk_id="k", venue_id="V-BENCH")
        unmarked = CheckInLog.open(tmp / "u", kiosk_id="k", venue_id="V-BENCH")
        unmarked._write_mark = lambda log_id, recorded: None  # type: ignore[method-assign]
        spent = {"with the mark": 0.0, "without the mark": 0.0}
        rounds = max(1, args.inserts // 500)
        for _ in range(rounds):
            for name, which in (("with the mark", marked), ("without the mark", unmarked)):
                start = time.perf_counter()
                for _ in range(500):
                    which.record(decision)
                spent[name] += time.perf_counter() - start
        for name, seconds in spent.items():
            print(f"durable inserts {name + ':':17} {rounds * 500 / seconds:9,.0f} /s")
        marked.close()
        unmarked.close()

        # 2. sync throughput to a real platform on loopback
        with running_platform(tmp / "p") as platform:
            client = PlatformClient(platform.url, timeout=30)
            key = device_key(tmp / "keys")
            kiosk_id = client.enroll(platform.token("V-BENCH"), "V-BENCH", "bench", key)
            log = CheckInLog.open(tmp / "b", kiosk_id=kiosk_id, venue_id="V-BENCH")
            bulk_fill(log, decision, args.sync)
            worker = SyncWorker(log, client, tmp / "b" / "sync-state.json")
            start = time.perf_counter()
            report = worker.sync_once()
            took = time.perf_counter() - start
            assert report.ok, report
            assert report.uploaded == args.sync, report
            assert platform.store.count_checkins() == args.sync
            print(
                f"sync to the platform:            {args.sync / took:9,.0f} records/s  "
                f"({args.sync:,} records in {took:.1f} s; target >= 10,000)"
            )
            client.close()
            log.close()

        # 3. insert latency with a large unsynced backlog
        log = CheckInLog.open(tmp / "c", kiosk_id="k", venue_id="V-BENCH")
        start = time.perf_counter()
        bulk_fill(log, decision, args.backlog)
        print(f"backlog of {args.backlog:,} unsynced made in {time.perf_counter() - start:.0f} s")
        latencies = []
        for _ in range(2000):
            t0 = time.perf_counter()
            log.record(decision)
            latencies.append((time.perf_counter() - t0) * 1000)
        waiting = log.queue_length()
        p50, p99 = statistics.median(latencies), percentile(latencies, 99)
        print(
            f"insert latency, {waiting:,} waiting: p50 {p50:.2f} ms, p99 {p99:.2f} ms, "
            f"max {max(latencies):.2f} ms  (target p99 <= 5 ms)"
        )
        t0 = time.perf_counter()
        batch = log.unsynced(500)
        print(f"reading the oldest 500 for upload: {(time.perf_counter() - t0) * 1000:.1f} ms")
        assert len(batch) == 500
        size = sum(p.stat().st_size for p in (tmp / "c").glob("checkins.sqlite3*"))
        print(f"database size with the backlog:  {size / 1e6:,.0f} MB")
        log.close()


if __name__ == "__main__":
    main()
