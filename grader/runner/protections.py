"""Which of the runner's protections hold on this machine, found by starting one runner and looking at it
from outside (in /proc), never by asking it. A report carries the answer, so a teacher knows what a grade
made here can be trusted for: where the grader is not root, or mount namespaces are refused (a container
without CAP_SYS_ADMIN), learner code still runs apart and under limits, but can read what the grader's
user can read.
"""

from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path

from grader.runner.errors import RunnerFault
from grader.runner.limits import Limits
from grader.runner.process import RunnerProcess

NAMES = ("own_process", "own_user", "private_files", "no_network", "task_cap")
"""own_process: learner code never runs in the judge; the others as the runner's docs describe them."""


@functools.cache
def in_force() -> dict[str, bool]:
    """What held for a runner started just now (once per grading process: the machine does not change)."""
    try:
        process = RunnerProcess(Limits.from_env())  # up, but given no exercise: it runs nothing of anyone's
    except (OSError, subprocess.SubprocessError):
        return dict.fromkeys(NAMES, False)  # grading will say why runners cannot start; this only reports
    try:
        process.wait_until_up()
        return {"own_process": True, **seen_from_outside(process)}
    except RunnerFault:
        return dict.fromkeys(NAMES, False)
    finally:
        process.close()


def seen_from_outside(process: RunnerProcess) -> dict[str, bool]:
    pid = process.proc.pid
    return {"own_user": _uid(pid) not in (None, os.getuid()),
            "private_files": _namespace_differs(pid, "mnt"),  # a runner gets its own mounts only with its own root
            "no_network": _namespace_differs(pid, "net"),
            "task_cap": process.group is not None}


def _namespace_differs(pid: int, kind: str) -> bool:
    try:
        return os.readlink(f"/proc/{pid}/ns/{kind}") != os.readlink(f"/proc/self/ns/{kind}")
    except OSError:
        return False


def _uid(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Uid:"):
                return int(line.split()[2])  # effective uid
    except (OSError, ValueError, IndexError):
        pass
    return None
