"""Issue 10, item 6: the platform's database is 0600 whatever its directory's mode."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from cityplatform.testing import running_platform


def test_the_database_is_private_even_in_an_open_directory(tmp_path: Path) -> None:
    data = tmp_path / "platform"  # where running_platform keeps the database
    data.mkdir()
    os.chmod(data, 0o777)
    old = os.umask(0o000)  # the worst case: nothing masked
    try:
        with running_platform(tmp_path) as platform:
            platform.token("HCM-Q1-000123")  # a write: the WAL exists now
            files = [p for p in data.iterdir() if p.name.startswith("platform.db")]
            assert files
            for path in files:
                assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    finally:
        os.umask(old)
