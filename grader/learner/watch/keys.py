"""Keys from the learner: single keys on a terminal, or whole lines (n, h, l, r, q + Enter) without one."""

from __future__ import annotations

import os
import queue
import select
import sys
import threading
from contextlib import contextmanager

KEYS = "nhlrq"


@contextmanager
def single_keys(stream=sys.stdin):
    """Put a terminal in cbreak mode (keys arrive without Enter) and restore it afterwards."""
    if not stream.isatty():
        yield False
        return
    import termios
    import tty

    fd = stream.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield True
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def start(events: queue.Queue, single: bool, stream=sys.stdin) -> threading.Thread:
    """A daemon thread putting ('key', k) on `events`, and ('eof', None) when input ends."""
    thread = threading.Thread(target=_read_keys if single else _read_lines, args=(events, stream), daemon=True)
    thread.start()
    return thread


def _read_keys(events: queue.Queue, stream) -> None:
    fd = stream.fileno()
    while True:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        data = os.read(fd, 1)
        if not data:
            events.put(("eof", None))
            return
        key = data.decode(errors="ignore").lower()
        if key in KEYS:
            events.put(("key", key))


def _read_lines(events: queue.Queue, stream) -> None:
    for line in stream:
        key = line.strip().lower()[:1]
        if key in KEYS:
            events.put(("key", key))
    events.put(("eof", None))
