from __future__ import annotations

import sys

from cityplatform.cli import main

sys.exit(main())
