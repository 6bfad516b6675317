"""The runner's own file system, built as root in a mount namespace just before it drops its user.

A fresh tmpfs becomes the runner's root. Bound into it, read-only and at their usual paths, are only the
interpreter's installation, NumPy, the system's shared libraries, /dev/null and the runner's scratch
folder; /tmp is an empty folder of that small tmpfs. So learner code cannot read the kit (its solutions
and tests), other students' submissions or the teacher's files, nor leave a file for anyone: none of it
exists there. Nothing changes outside the namespace.
"""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

CLONE_NEWNS = 0x00020000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 0x1, 0x2, 0x4, 0x20, 0x1000, 0x4000, 1 << 18
SYSTEM_LIBRARIES = ("/lib", "/lib64", "/usr/lib", "/usr/lib64")
DEVICES = ("/dev/null", "/dev/urandom")
LIBC = ctypes.CDLL(None, use_errno=True)
UNSHARE, MOUNT = LIBC.unshare, LIBC.mount
"""Looked up once, in the grader: the new process runs apply() between fork and exec, where a lookup (dlsym)
would wait for the dynamic loader's lock if another thread of the grader held it at the fork (runners are
started from a thread while the tests go on)."""


def plan(needed: list[Path], new_root: Path) -> dict:
    """What apply() binds: folders and files that exist, by their real paths (symlinks followed)."""
    folders = sorted({str(Path(p).resolve()) for p in [*needed, *SYSTEM_LIBRARIES] if Path(p).exists()})
    outermost = [f for f in folders if not any(f != g and f.startswith(g.rstrip("/") + "/") for g in folders)]
    links = {p: os.readlink(p) for p in SYSTEM_LIBRARIES if os.path.islink(p)}  # /lib -> usr/lib on merged /usr
    return {"root": str(new_root), "folders": outermost, "files": [d for d in DEVICES if Path(d).exists()],
            "links": links}


def apply(steps: dict, workdir: str) -> None:
    """Run in the new process (as root, before it drops its user): build the root, enter it, cd to `workdir`."""
    def mount(source, target, fstype, flags, data=None) -> None:
        if MOUNT(_b(source), _b(target), _b(fstype), flags, _b(data)) != 0:
            raise OSError(ctypes.get_errno(), f"mount {target}")

    if UNSHARE(CLONE_NEWNS) != 0:
        raise OSError(ctypes.get_errno(), "unshare")
    mount("none", "/", None, MS_REC | MS_PRIVATE)  # nothing done here is seen outside
    root = steps["root"]
    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=16m")
    for folder in steps["folders"]:
        inside = root + folder
        os.makedirs(inside, mode=0o755, exist_ok=True)
        mount(folder, inside, None, MS_BIND | MS_REC)
        mount(None, inside, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID)
    for device in steps["files"]:
        inside = root + device
        os.makedirs(os.path.dirname(inside), mode=0o755, exist_ok=True)
        open(inside, "a").close()
        mount(device, inside, None, MS_BIND)
    for link, target in steps["links"].items():
        os.symlink(target, root + link)
    os.makedirs(root + "/tmp", mode=0o1777, exist_ok=True)
    os.chmod(root + "/tmp", 0o1777)
    os.chdir(root)
    os.chroot(".")
    os.chdir(workdir)


def _b(value):
    return None if value is None else str(value).encode()
