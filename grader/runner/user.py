"""Which user a runner runs as: when the grader is root, a fresh unprivileged uid that owns no file and
no other process on the machine; otherwise the grader's own user (then there is nothing to drop).
"""

from __future__ import annotations

import os
import secrets

UID_RANGE = (200_000, 2_000_000)
"""Far above the uids of real accounts, so that no file on the machine belongs to the runner."""


def runner_uid() -> int | None:
    if os.geteuid() != 0 or os.environ.get("NNLINGS_RUNNER_AS_ROOT"):
        return None
    return UID_RANGE[0] + secrets.randbelow(UID_RANGE[1] - UID_RANGE[0])
