"""`nnlings watch`: show the current exercise and recheck it on every save, with keys to move around."""

from __future__ import annotations

import queue
import sys

from grader.core.context import Context
from grader.core.i18n import t
from grader.learner.warm import WarmChecker
from grader.learner.watch import files, keys
from grader.learner.watch.session import WatchSession

# Editors write a file in several steps; checks wait this long for the last one, unless the file was seen to be
# closed after writing (or moved into place), when it is whole at once.
SETTLE = 0.04
SAVES = ("saved", "written")


def add_arguments(parser) -> None:
    parser.add_argument("--poll", action="store_true", help="poll for changes instead of using file events")


def run(args, ctx: Context) -> int:
    events: queue.Queue = queue.Queue()
    reason = "--poll" if args.poll else files.needs_polling(ctx.root / "exercises")
    checker = WarmChecker(ctx.root, ctx.lang)
    ctx.say(t("watch.starting", ctx.lang))
    ctx.say(t("watch.polling", ctx.lang, reason=reason) if reason else t("watch.native", ctx.lang))
    ctx.out.flush()
    checker.warm()
    observer = files.start(ctx.root / "exercises", events, polling=bool(reason))
    with keys.single_keys() as single:
        session = WatchSession(ctx, checker, tty=sys.stdout.isatty(), single_keys=single)
        keys.start(events, single)
        try:
            session.begin()
            _loop(session, events)
        except KeyboardInterrupt:
            pass
        finally:
            observer.stop()
            checker.close()
    ctx.say(t("watch.bye", ctx.lang))
    return 0


def _loop(session: WatchSession, events: queue.Queue) -> None:
    while True:
        kind, value = events.get()
        if kind == "key" and not session.on_key(value):
            return
        if kind in SAVES:
            for path in _settle(events, kind, value):
                before = _text(path)
                session.on_saved(path)
                _drop_echoes(events, path, before)


def _settle(events: queue.Queue, kind: str, path) -> set:
    """Gather the burst of events one save makes, so it is checked once: until SETTLE passes without one, or at
    once when every file in it was seen whole."""
    saved, whole = {path}, {path} if kind == "written" else set()
    while True:
        try:
            kind, value = events.get(timeout=SETTLE) if saved - whole else events.get_nowait()
        except queue.Empty:
            return saved
        if kind in SAVES:
            saved.add(value)
            if kind == "written":
                whole.add(value)
        else:
            events.put((kind, value))  # a key during the burst is handled after the check
            return saved


def _drop_echoes(events: queue.Queue, path, before: bytes | None) -> None:
    """Forget the events of `path` that came while it was checked, if its text is still what was checked: the
    tail of the same save (an editor touching the file after closing it) would only check it again."""
    if before is None or _text(path) != before:
        return
    queued = []
    while True:
        try:
            queued.append(events.get_nowait())
        except queue.Empty:
            break
    for kind, value in queued:
        if not (kind in SAVES and value == path):
            events.put((kind, value))


def _text(path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
