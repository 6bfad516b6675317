"""Tests whose outcome is known before they run, reported without running them.

An exercise whose file is missing fails every one of its tests in the same way, before the test itself runs
(the `impl` fixture cannot load it): its tests are reported as that error. An exercise whose file is still
exactly its stub has every test todo (the self-check proves it, running the stubs for real): its tests are
reported todo. A submission of a few exercises is then graded in the time its own exercises take.
"""

from __future__ import annotations

import time

from _pytest.reports import TestReport

from grader.core.paths import exercise_file, id_from_test_file
from grader.core.sync import SyncError, make_stub


def exercises(items, root) -> list[str]:
    """The exercises whose tests are among `items`, in the order of their first test."""
    ids = (id_from_test_file(root, item.path) for item in items if "impl" in getattr(item, "fixturenames", ()))
    return [i for i in dict.fromkeys(ids) if i]


def missing(ids, tree) -> set[str]:
    """The exercises among `ids` whose file does not exist in `tree`."""
    return {i for i in ids if not exercise_file(tree, i).exists()}


def untouched(ids, root, tree) -> set[str]:
    """The exercises among `ids` whose file in `tree` is still exactly the stub of the kit's solution (none where
    the kit has no solutions, as in a student's release)."""
    found = set()
    for i in ids:
        solution, mine = exercise_file(root / "solutions", i), exercise_file(tree, i)
        try:
            if mine.read_text(encoding="utf-8") == make_stub(solution.read_text(encoding="utf-8"), i):
                found.add(i)
        except (OSError, UnicodeDecodeError, SyncError):
            continue  # no solution here, or a file to be loaded (and reported) by the test itself
    return found


def report_unrun(item, longrepr, status: str, outcome: str = "failed", when: str = "setup") -> None:
    """Log `item` as ending in its set-up (by default as an error, as pytest would have for the fixture's
    LoadError), or with `when="call"` in the test itself, without running anything: no set-up is done, so
    nothing needs tearing down."""
    ihook = item.ihook
    ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    now = time.time()
    report = TestReport(item.nodeid, item.location, {k: 1 for k in item.keywords}, outcome, longrepr, when,
                        start=now, stop=now, user_properties=[("nnlings_status", status)])
    ihook.pytest_runtest_logreport(report=report)
    ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
