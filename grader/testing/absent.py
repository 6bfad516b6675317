"""An exercise whose file is missing fails every one of its tests in the same way, before the test itself runs
(the `impl` fixture cannot load it). Its tests are reported as that error without being set up: a submission
of a few exercises is then graded in the time its own exercises take, not the whole curriculum's.
"""

from __future__ import annotations

import time

from _pytest.reports import TestReport

from grader.core.paths import exercise_file, id_from_test_file


def missing(items, root, tree) -> set[str]:
    """The exercises among `items` whose file does not exist in `tree`."""
    ids = {id_from_test_file(root, item.path) for item in items if "impl" in getattr(item, "fixturenames", ())}
    return {i for i in ids if i and not exercise_file(tree, i).exists()}


def report_unrun(item, longrepr, status: str, outcome: str = "failed") -> None:
    """Log `item` as ending in its set-up (by default as an error, as pytest would have for the fixture's
    LoadError) without running anything: no set-up is done, so nothing needs tearing down."""
    ihook = item.ihook
    ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    now = time.time()
    report = TestReport(item.nodeid, item.location, {k: 1 for k in item.keywords}, outcome, longrepr, "setup",
                        start=now, stop=now, user_properties=[("nnlings_status", status)])
    ihook.pytest_runtest_logreport(report=report)
    ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
