"""How watch gathers the events of one save: whole files are checked at once, echoes of a checked save dropped."""

import ast
import os
import queue
import subprocess
import sys

import pytest

from grader.commands import watch


@pytest.fixture
def slow_settle(monkeypatch):
    """A settle time no test could sit through: a call that waited for it would hit the test's time limit."""
    monkeypatch.setattr(watch, "SETTLE", 600.0)


def queued(*items) -> queue.Queue:
    events = queue.Queue()
    for item in items:
        events.put(item)
    return events


@pytest.mark.timeout(60)
def test_a_file_seen_whole_is_checked_without_waiting(slow_settle, tmp_path):
    """Does a save whose file was closed after writing return at once, with the events already there?"""
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    assert watch._settle(queued(), "written", a) == {a}
    events = queued(("written", b), ("saved", a), ("written", a))
    assert watch._settle(events, "saved", a) == {a, b} and events.empty()


def test_a_half_written_file_waits_for_the_burst_and_a_key_waits_for_the_check(monkeypatch, tmp_path):
    """Is a modified file checked once after its burst, with a key pressed meanwhile kept for after?"""
    monkeypatch.setattr(watch, "SETTLE", 0.01)
    a = tmp_path / "a.py"
    events = queued(("saved", a), ("key", "h"))
    assert watch._settle(events, "saved", a) == {a}
    assert events.get_nowait() == ("key", "h")


def test_the_echo_of_a_checked_save_is_dropped_but_a_new_save_is_not(tmp_path):
    """Are events of a file whose text is what was checked dropped, while keys, other files and changes stay?"""
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("x = 1\n")
    events = queued(("saved", a), ("key", "n"), ("written", b), ("written", a))
    watch._drop_echoes(events, a, b"x = 1\n")
    assert [events.get_nowait() for _ in range(events.qsize())] == [("key", "n"), ("written", b)]
    events = queued(("written", a))
    watch._drop_echoes(events, a, b"x = 0\n")  # saved again with other text while it was checked
    assert events.get_nowait() == ("written", a)


STANDBY_THEN_SAVE = """
import collections, shutil, sys, time
from pathlib import Path
from grader.learner.warm import WarmChecker
root = Path(sys.argv[1])
checker = WarmChecker(root, "en")
checker.warm()
checker.prepare("losses.mse")
time.sleep(5)  # the standby collects while the file is still its stub, as while a learner reads the screen
shutil.copy(root / "solutions" / "losses" / "mse.py", root / "exercises" / "losses" / "mse.py")  # the save
print(dict(collections.Counter(c["status"] for c in checker.check("losses.mse"))))
checker.close()
"""


def test_the_first_save_after_the_standby_collected_is_checked_as_saved(fresh_kit):
    """Does a standby that collected while the file was its untouched stub check what the learner then saved?"""
    out = subprocess.run([sys.executable, "-c", STANDBY_THEN_SAVE, str(fresh_kit)], cwd=fresh_kit, text=True,
                         capture_output=True, timeout=300, env={**os.environ, "NNLINGS_ROOT": str(fresh_kit)})
    assert out.returncode == 0, out.stderr[-2000:]
    statuses = ast.literal_eval(out.stdout.strip().splitlines()[-1])
    assert set(statuses) == {"passed"}, statuses
