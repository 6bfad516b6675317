"""The runner's own view of the file system, in a mount namespace made as root before it drops its user.

An interpreter installed under a private folder (pyenv under /root, say) cannot be run by another user:
each private folder on the way is covered by an empty tmpfs and only what the runner needs is bound back
at its own path, so the rest (keys, the teacher's files) is simply not there. The folders everyone may
write to (/tmp, /dev/shm) are covered too, so a runner cannot leave files for anyone. Nothing changes
outside the namespace.
"""

from __future__ import annotations

import ctypes
import os
import stat
from pathlib import Path

CLONE_NEWNS = 0x00020000
MS_BIND, MS_REC, MS_PRIVATE = 0x1000, 0x4000, 1 << 18


def blocked_ancestor(path: Path) -> Path | None:
    """The first folder on the way to `path` that others may not enter, or None."""
    for folder in [*reversed(path.parents), path]:
        try:
            mode = folder.stat().st_mode
        except OSError:
            return None
        if stat.S_ISDIR(mode) and not mode & stat.S_IXOTH:
            return folder
    return None


TEMPORARY = ("/tmp", "/var/tmp", "/dev/shm")
"""Folders everyone may write to: each gets an empty, small tmpfs of its own, so nothing written lasts."""


def plan(needed: list[Path]) -> list[tuple[Path, str, list[Path]]]:
    """(folder to cover, tmpfs options, needed paths under it to bind back), outermost folders first."""
    covers = {Path(f): "mode=1777,size=16m" for f in TEMPORARY if Path(f).is_dir()}
    for path in needed:
        folder = blocked_ancestor(path)
        if folder is not None and folder != path:
            covers.setdefault(folder, "mode=0755,size=1m")
    steps = []
    for folder in sorted(covers, key=lambda f: len(f.parts)):
        keep = [p for p in needed if p != folder and p.is_relative_to(folder) and p.exists()]
        steps.append((folder, covers[folder], keep))
    return steps


def apply(steps: list[tuple[Path, str, list[Path]]]) -> None:
    """Run in the new process (as root, before it drops its user): cover each folder, bind back what is needed."""
    libc = ctypes.CDLL(None, use_errno=True)

    def mount(source, target, fstype, flags, data=None) -> None:
        if libc.mount(_b(source), _b(target), _b(fstype), flags, _b(data)) != 0:
            raise OSError(ctypes.get_errno(), f"mount {target}")

    if libc.unshare(CLONE_NEWNS) != 0:
        raise OSError(ctypes.get_errno(), "unshare")
    mount("none", "/", None, MS_REC | MS_PRIVATE)  # nothing done here is seen outside
    for folder, options, keep in steps:
        held = [(path, os.open(path, os.O_PATH | os.O_DIRECTORY)) for path in keep]  # still reachable once covered
        mount("tmpfs", str(folder), "tmpfs", 0, options)
        for path, fd in held:
            os.makedirs(path, mode=0o755, exist_ok=True)
            mount(f"/proc/self/fd/{fd}", str(path), None, MS_BIND | MS_REC)
            os.close(fd)


def _b(value):
    return None if value is None else str(value).encode()
