"""The nnlings-report/1 JSON rendering."""

import json

from grader.core.report import Report


def render(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
