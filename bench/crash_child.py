"""A kiosk that records and syncs as fast as it can, until it is killed (bench/crash.py).

It prints each record's uuid only after the record is committed: a printed uuid is a
decision the guard's screen would have shown. Usage (by bench/crash.py):
    python bench/crash_child.py DATA_DIR PLATFORM_URL SEED
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime
from pathlib import Path

from kiosk import pipeline
from kiosk.rules.ruleset import RuleBook
from kiosk.store.log import CheckInLog
from kiosk.sync.client import PlatformClient
from kiosk.sync.device import Enrollment, device_key
from kiosk.sync.worker import SyncWorker
from kiosk.verify.truststore import TrustStore


def main() -> None:
    data = Path(sys.argv[1])
    url = sys.argv[2]
    rng = random.Random(int(sys.argv[3]))
    enrollment = Enrollment.load(data / "enrollment.json")
    assert enrollment is not None
    log = CheckInLog.open(data, kiosk_id=enrollment.kiosk_id, venue_id=enrollment.venue_id)
    client = PlatformClient(
        url, key=device_key(data / "keys"), kiosk_id=enrollment.kiosk_id, timeout=5.0
    )
    worker = SyncWorker(log, client, data / "sync-state.json")
    context = pipeline.Context(TrustStore(), RuleBook())
    payloads = [f"HCM1:NOT-A-CARD-{i}" for i in range(10)]
    out = sys.stdout
    while True:
        for _ in range(rng.randint(1, 40)):
            decision = pipeline.process(rng.choice(payloads), datetime.now(UTC), context)
            record = log.record(decision)
            out.write(record.uuid + "\n")
            out.flush()
        worker.sync_once()


if __name__ == "__main__":
    main()
