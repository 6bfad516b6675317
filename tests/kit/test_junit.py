"""`grade --format junit`: JUnit XML that validates against the schema GitLab and Jenkins read, one testcase per
graded test, the learner's message as the failure text and the points as properties."""

import shutil
from pathlib import Path

import pytest
from lxml import etree

from grader.core import manifest
from grader.core import report as results
from grader.grading.render import junit

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).with_name("junit.xsd"))))
SEED = 11
pytestmark = pytest.mark.timeout(600)


def parsed(text: str) -> etree._Element:
    """The document's root, after it has been validated against the JUnit schema."""
    root = etree.fromstring(text.encode("utf-8"))
    assert SCHEMA.validate(root), SCHEMA.error_log
    return root


def a_report() -> results.Report:
    """One exercise with a test in every status a report can hold, and a message XML cannot carry as is."""
    statuses = ["passed", "failed", "todo", "error", "forbidden", "timeout", "crashed", "invalid_output", "skipped",
                "missing"]
    tests = [results.TestResult(f"test_{s}", s, 1.0, 1.0 if s == "passed" else 0.0, 1.0, 2 if s == "passed" else 0, 2,
                        "" if s == "passed" else f"{s}: yours <b> & \x1b[31mred\x1b[0m\nsecond line")
             for s in statuses]
    ex = results.ExerciseResult("activations.softmax", "activations", "Softmax", "partial", 1.0, 10.0, tests)
    return results.Report("0.1.0", SEED, "2.13.0", "2.0", "sub", score=1.0, possible=10.0, exercises=[ex])


def test_every_status_validates_and_maps():
    """Does each status become a pass, a failure, an error or a skip, in a document the schema accepts?"""
    root = parsed(junit.render(a_report()))
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert len(cases) == 10 and {c.get("classname") for c in cases.values()} == {"activations.softmax"}
    verdict = {name: next((e.tag for e in c if e.tag in ("failure", "error", "skipped")), "pass")
               for name, c in cases.items()}
    assert verdict == {"test_passed": "pass", "test_failed": "failure", "test_todo": "failure",
                       "test_forbidden": "failure", "test_invalid_output": "failure", "test_error": "error",
                       "test_timeout": "error", "test_crashed": "error", "test_missing": "error",
                       "test_skipped": "skipped"}
    suite = root.find("testsuite")
    counts = tuple(suite.get(a) for a in ("tests", "failures", "errors", "skipped"))
    assert counts == ("10", "4", "4", "1")
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("10", "4", "4")


def test_message_and_points():
    """Is the failure text the learner's whole message (unprintable characters replaced), its first line the
    message attribute, and are the points properties of the suite and the system-out of each case?"""
    root = parsed(junit.render(a_report()))
    failure = root.find(".//testcase[@name='test_failed']/failure")
    assert failure.get("message") == "failed: yours <b> & \ufffd[31mred\ufffd[0m" and failure.get("type") == "failed"
    assert failure.text == "failed: yours <b> & \ufffd[31mred\ufffd[0m\nsecond line"
    props = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert props["score"] == "1" and props["possible"] == "10" and props["seed"] == str(SEED)
    assert props["test_passed.score"] == "1" and props["test_failed.score"] == "0"
    assert props["test_failed.possible"] == "1" and props["status"] == "partial"
    assert root.find(".//testcase[@name='test_passed']/system-out").text == "1 of 1 points; 2 of 2 cases passed"


def test_broken_grading_is_an_error():
    """When grading broke, is there one errored testcase with the reason, and no points at all?"""
    report = results.Report("0.1.0", SEED, "2.13.0", "2.0", "sub", error="the submission is not a zip file")
    root = parsed(junit.render(report))
    (case,) = root.iter("testcase")
    assert case.find("error") is not None and "not a zip file" in case.find("error").text
    assert root.get("errors") == "1" and not list(root.iter("property"))


def wrong_softmax(folder: Path) -> None:
    path = folder / "activations" / "softmax.py"
    path.write_text(path.read_text().replace(
        '    raise NotImplementedError("activations.softmax: softmax")',
        "    e = np.exp(x)\n    return e / e.sum(axis=axis, keepdims=True)", 1))


def test_grade_writes_junit(nnlings, kit, tmp_path):
    """Does `grade --format junit --out` write a valid document in which a solved exercise passes, the stubs
    are failures of type todo and a wrong softmax's failure names the mistake?"""
    sub = tmp_path / "eve"
    shutil.copytree(kit / "exercises", sub, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(kit / "solutions" / "tensors" / "broadcasting.py", sub / "tensors" / "broadcasting.py")
    wrong_softmax(sub)
    out = tmp_path / "eve.xml"
    done = nnlings(kit, "grade", str(sub), "--format", "junit", "--out", str(out), "--seed", str(SEED))
    assert done.returncode == 1, done.stderr[-2000:]
    root = parsed(out.read_text(encoding="utf-8"))
    m = manifest.load(kit)
    assert [s.get("name") for s in root.iter("testsuite")] == [e.id for e in m.exercises]
    assert int(root.get("tests")) == sum(len(e.tests) for e in m.exercises)
    solved = root.find("testsuite[@name='tensors.broadcasting']")
    assert solved.get("failures") == "0" and solved.find("properties/property[@name='score']").get("value") == "10"
    failures = root.findall("testsuite[@name='activations.softmax']/testcase/failure")
    assert any("without subtracting the maximum" in f.text for f in failures)
    todo = root.findall("testsuite[@name='losses.mse']/testcase/failure")
    assert todo and {f.get("type") for f in todo} == {"todo"}


def test_class_writes_junit_per_student(nnlings, kit, tmp_path):
    """With --out-dir, is each student's report reports/<student>.xml, a broken submission's too?"""
    (tmp_path / "dave.zip").write_text("this is not a zip file\n")
    out = tmp_path / "out"
    done = nnlings(kit, "grade", str(tmp_path / "dave.zip"), "--format", "junit", "--out-dir", str(out))
    assert done.returncode == 1, done.stderr[-2000:]
    root = parsed((out / "reports" / "dave.xml").read_text(encoding="utf-8"))
    assert root.get("errors") == "1" and "zip" in root.find(".//error").text
    assert not (out / "reports" / "dave.json").exists()
