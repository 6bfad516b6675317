"""Tell the session when an exercise file is saved: native file events, or polling where those are unreliable."""

from __future__ import annotations

import os
import queue
from pathlib import Path

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

# File systems whose change events do not reach a local process reliably.
REMOTE_FS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "fuse.sshfs", "drvfs", "v9fs", "vboxsf"}


def needs_polling(path: Path) -> str | None:
    """Why native events should not be trusted for `path` (a reason), or None."""
    if os.environ.get("NNLINGS_WATCH_POLL", "").strip() not in ("", "0"):
        return "NNLINGS_WATCH_POLL"
    try:
        if "microsoft" in Path("/proc/sys/kernel/osrelease").read_text().lower():
            return "WSL"
    except OSError:
        pass
    fs = _filesystem(path)
    return f"{fs} file system" if fs in REMOTE_FS else None


def _filesystem(path: Path) -> str | None:
    """The type of the mount holding `path`, from /proc/mounts (Linux); None elsewhere."""
    try:
        mounts = [line.split() for line in Path("/proc/mounts").read_text().splitlines()]
    except OSError:
        return None
    target = str(path.resolve())
    best = max((m for m in mounts if len(m) > 2 and (target + "/").startswith(m[1].rstrip("/") + "/")),
               key=lambda m: len(m[1]), default=None)
    return best[2] if best else None


class _Saved(FileSystemEventHandler):
    def __init__(self, events: queue.Queue):
        self.events = events

    def on_any_event(self, event):
        if event.is_directory or event.event_type not in ("modified", "created", "moved", "closed"):
            return
        # A file closed after writing, or moved into place, is whole; one modified may still be half-written.
        kind = "written" if event.event_type in ("closed", "moved") else "saved"
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path and str(path).endswith(".py"):
                self.events.put((kind, Path(os.fsdecode(path)).resolve()))


def start(folder: Path, events: queue.Queue, polling: bool):
    """Watch `folder` recursively; puts ('saved', path) on `events`, or ('written', path) once the file is whole
    (closed after writing, or moved into place; polling never knows). Returns the observer (stop() it)."""
    observer = PollingObserver(timeout=0.25) if polling else Observer()
    observer.schedule(_Saved(events), str(folder), recursive=True)
    observer.daemon = True
    observer.start()
    return observer
