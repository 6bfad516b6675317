"""How watch gathers the events of one save: whole files are checked at once, echoes of a checked save dropped."""

import queue

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
