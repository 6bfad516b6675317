"""A pytest plugin object that writes one JSON record per test case, for the grader to score."""

from __future__ import annotations

import json
import os
from pathlib import Path

from grader.core.paths import id_from_test_file


class Recorder:
    """Collects (exercise, test, case, status, message) for every test; written at the end of the session."""

    def __init__(self, path: Path, root: Path):
        self.path, self.root = path, root
        self.reports: dict[str, object] = {}  # made into records at the end, once every message is final
        self.collect_errors: list[dict] = []

    def pytest_collectreport(self, report):
        if report.failed:
            self.collect_errors.append({"nodeid": report.nodeid, "message": str(report.longreprtext)[-4000:]})

    def pytest_runtest_logreport(self, report):
        if report.when == "teardown" and report.nodeid in self.reports:
            return
        if report.when == "call" or report.outcome != "passed":
            self.reports[report.nodeid] = report

    def _case(self, report) -> dict:
        path, _, rest = report.nodeid.partition("::")
        test, _, params = rest.partition("[")
        status = dict(report.user_properties).get("nnlings_status") or _plain_status(report)
        message = report.longrepr[2] if status == "todo" and isinstance(report.longrepr, tuple) else report.longreprtext
        return {
            "nodeid": report.nodeid,
            "exercise": id_from_test_file(self.root, self.root / path),
            "test": test,
            "params": params.rstrip("]"),
            "status": status,
            "message": message or "",
            "duration": round(report.duration, 4),
        }

    def pytest_sessionfinish(self, session, exitstatus):
        cases = [self._case(r) for r in self.reports.values()]
        data = {"exitstatus": int(exitstatus), "collect_errors": self.collect_errors, "cases": cases}
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, self.path)  # a reader never sees half a file


def _plain_status(report) -> str:
    if report.passed:
        return "passed"
    if report.skipped:
        return "skipped"
    return "failed" if report.when == "call" else "error"
