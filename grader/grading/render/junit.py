"""JUnit XML, as GitLab and Jenkins read it: one testsuite per exercise, one testcase per graded test.

Each testcase's classname is the exercise id and its name the test function listed in the manifest;
a check that did not pass carries the learner-facing message as its failure (or error) text. Points
are properties of the exercise's testsuite (`score`, `possible`, and `<test>.score` and
`<test>.possible` for each test, beside `title`, `status` and the run's `seed`), and each testcase
says its points and cases in system-out, so that a CI page shows them beside the verdict. The
schema allows no properties inside a testcase.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from grader.core.i18n import t
from grader.core.report import ExerciseResult, Report, TestResult

# Statuses where the learner's code ran and gave a wrong answer (or none yet): a failure.
FAILURES = frozenset({"failed", "todo", "forbidden", "invalid_output"})
# Statuses where the check could not give a verdict: an error.
ERRORS = frozenset({"error", "timeout", "crashed", "missing"})
# Characters XML 1.0 cannot hold at all (a learner's print can emit them).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(report: Report, lang: str = "en") -> str:
    root = ET.Element("testsuites", name="nnlings")
    if report.error:
        _broken(root, report, lang)
    for ex in report.exercises:
        root.append(_suite(ex, report.seed, lang))
    _count(root, root.iter("testsuite"))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(ex: ExerciseResult, seed: int, lang: str) -> ET.Element:
    suite = ET.Element("testsuite", name=ex.id)
    props = ET.SubElement(suite, "properties")
    _property(props, "title", ex.title)
    _property(props, "seed", str(seed))
    _property(props, "status", ex.status)
    _property(props, "score", _number(ex.score))
    _property(props, "possible", _number(ex.possible))
    for test in ex.tests:
        _property(props, f"{test.name}.score", _number(test.score))
        _property(props, f"{test.name}.possible", _number(test.possible))
    for test in ex.tests:
        suite.append(_case(ex, test, lang))
    _count(suite, [suite])
    return suite


def _case(ex: ExerciseResult, test: TestResult, lang: str) -> ET.Element:
    case = ET.Element("testcase", name=test.name, classname=ex.id)
    text = _clean(test.message or t(f"status.{ex.status}", lang))
    if test.status in FAILURES or test.status in ERRORS:
        tag = "failure" if test.status in FAILURES else "error"
        ET.SubElement(case, tag, message=text.splitlines()[0] if text else test.status, type=test.status).text = text
    elif test.status == "skipped":
        ET.SubElement(case, "skipped", message=text.splitlines()[0] if text else "skipped")
    ET.SubElement(case, "system-out").text = (
        f"{_number(test.score)} of {_number(test.possible)} points; {test.passed} of {test.total} cases passed")
    return case


def _broken(root: ET.Element, report: Report, lang: str) -> None:
    """Grading itself broke: one suite with one errored testcase, so CI shows the reason and no score."""
    suite = ET.SubElement(root, "testsuite", name="nnlings")
    case = ET.SubElement(suite, "testcase", name="grading", classname="nnlings")
    detail = _clean(t("cli.grade_broke", lang, detail=report.error))
    ET.SubElement(case, "error", message=detail.splitlines()[0] if detail else "grading broke",
                  type="grading").text = detail
    _count(suite, [suite])


def _count(element: ET.Element, suites) -> None:
    """Set tests, failures, errors and skipped on `element` from the testcases of `suites`."""
    cases = [c for s in suites for c in s.iter("testcase")]
    element.set("tests", str(len(cases)))
    for tag, attr in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
        element.set(attr, str(sum(c.find(tag) is not None for c in cases)))


def _property(props: ET.Element, name: str, value: str) -> None:
    ET.SubElement(props, "property", name=name, value=_clean(value))


def _number(x: float) -> str:
    return f"{round(x, 4):g}"


def _clean(text: str) -> str:
    return NOT_XML.sub("\ufffd", text)
