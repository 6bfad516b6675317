"""The teacher's note on protections that did not hold: in words, in both languages, and in the class report."""

from grader.core.report import Report
from grader.grading.render import html_report, protections

ALL_HELD = {"own_process": True, "own_user": True, "private_files": True, "no_network": True, "task_cap": True}


def test_nothing_to_say_when_everything_held():
    """Is there no note when every protection held, or when grading did not isolate at all?"""
    assert protections.warning(ALL_HELD, "en") is None and protections.warning(None, "en") is None


def test_readable_files_are_said_plainly():
    """Does a runner without its own user or files get a note naming both and what learner code could read?"""
    held = {**ALL_HELD, "own_user": False, "private_files": False}
    note = protections.warning(held, "en")
    assert "a user of its own or a private view of the files" in note and "solutions" in note
    assert "参考答案" in protections.warning(held, "zh")


def test_a_lesser_gap_is_not_dramatised():
    """Does a missing network cut give its own short note, without the warning about readable files?"""
    note = protections.warning({**ALL_HELD, "no_network": False}, "en")
    assert "network" in note and "solutions" not in note


def test_the_class_report_carries_the_note():
    """Does the class page show the note when a protection was missing, and no note when all held?"""
    def page(held):
        report = Report("0", 1, "t", "n", "alice", protections=held)
        return html_report.render([("alice", report)], seed=1, exercise_ids=[])

    assert 'id="protections"' in page({**ALL_HELD, "own_user": False}) and 'id="protections"' not in page(ALL_HELD)
