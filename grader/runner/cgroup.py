"""A pids cgroup per runner, where the platform lets us make one: it caps the number of tasks (a fork
bomb stops there) and lists every descendant, even one that left the process group, so all can be killed.
"""

from __future__ import annotations

import os
import secrets
import signal
import time
from pathlib import Path

ROOTS = (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup/unified"), Path("/sys/fs/cgroup"))


class PidsGroup:
    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def create(cls, max_tasks: int) -> "PidsGroup | None":
        """A new group under the first writable pids hierarchy, or None where there is none."""
        for root in ROOTS:
            if not (root / "cgroup.procs").is_file() or not os.access(root, os.W_OK):
                continue
            path = root / f"nnlings-{os.getpid()}-{secrets.token_hex(4)}"
            try:
                path.mkdir()
                if not (path / "pids.max").is_file():
                    path.rmdir()
                    continue
                (path / "pids.max").write_text(str(max_tasks))
            except OSError:
                continue
            return cls(path)
        return None

    @property
    def procs_file(self) -> str:
        return str(self.path / "cgroup.procs")

    def pids(self) -> list[int]:
        try:
            return [int(p) for p in (self.path / "cgroup.procs").read_text().split()]
        except (OSError, ValueError):
            return []

    def kill_once(self) -> bool:
        """Send SIGKILL to every task in the group now; whether there was any."""
        pids = self.pids()
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        return bool(pids)

    def kill_all(self, seconds: float = 5.0) -> None:
        """Kill every task in the group until none is left (a task forking meanwhile is caught next round)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self.kill_once():
            time.sleep(0.01)
        try:
            self.path.rmdir()
        except OSError:
            pass
