"""The limits a runner works under, and how they are put on it from outside (before its code starts).

Defaults suit the exercises of the kit; a teacher (or the kit's own tests) may change the time limits
with NNLINGS_CALL_LIMIT and NNLINGS_EXERCISE_LIMIT (seconds).
"""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass

from grader.runner import mounts

CLONE_NEWNET = 0x40000000


@dataclass(frozen=True)
class Limits:
    call_seconds: float = 20.0
    """Wall time of one call (the import of the exercise file counts as a call)."""
    exercise_seconds: float = 120.0
    """Wall time of all calls of one exercise together."""
    memory_bytes: int = 3 * 2**30
    """Address space of the runner."""
    processes: int = 16
    """Tasks the runner may have at once (threads count); where the platform has a pids cgroup or a uid to spare."""
    file_bytes: int = 16 * 2**20
    """Largest file the runner may write (it has no folder it may write to anyway)."""
    output_bytes: int = 64 * 2**10
    """Printed output kept for the report; the rest is read and dropped, so printing never blocks."""
    open_files: int = 256

    @classmethod
    def from_env(cls) -> "Limits":
        base = cls()
        return cls(call_seconds=_seconds("NNLINGS_CALL_LIMIT", base.call_seconds),
                   exercise_seconds=_seconds("NNLINGS_EXERCISE_LIMIT", base.exercise_seconds))


def _seconds(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


def confine(limits: Limits, *, cgroup_procs: str | None, uid: int | None, mount_steps=None, workdir: str = "/"):
    """A function for Popen's preexec_fn: runs in the new process, before it executes Python."""

    def apply() -> None:
        os.setsid()  # its own process group, killed as a whole
        if cgroup_procs:
            with open(cgroup_procs, "w") as procs:  # the pids cgroup caps tasks and lists every descendant
                procs.write(str(os.getpid()))
        if os.geteuid() == 0:
            mounts.UNSHARE(CLONE_NEWNET)  # no network; harmless where refused
        if uid is not None and mount_steps:
            mounts.apply(mount_steps, workdir)
        cpu = int(limits.exercise_seconds) + 5
        for which, value in ((resource.RLIMIT_AS, limits.memory_bytes), (resource.RLIMIT_CPU, cpu),
                             (resource.RLIMIT_FSIZE, limits.file_bytes), (resource.RLIMIT_CORE, 0),
                             (resource.RLIMIT_NOFILE, limits.open_files)):
            resource.setrlimit(which, (value, value))
        if uid is not None:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))

    return apply
