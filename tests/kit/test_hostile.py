"""Hostile submissions (tests/kit/hostile_cases.py), graded in one batch: the grader must survive them all.

Every case must end with one of its allowed statuses, earn nothing it did not earn honestly, and get a
message a learner can read; the correct submission graded in the same batch still gets full marks; no
process a case started outlives the batch; and nothing a case wrote changes the kit or the reports.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader.core import manifest
from grader.core.paths import exercise_file


def _load_cases():
    """tests/kit/hostile_cases.py by path: with --import-mode=importlib the tests folder is not on sys.path."""
    path = Path(__file__).with_name("hostile_cases.py")
    spec = importlib.util.spec_from_file_location("nnlings_hostile_cases", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


_cases = _load_cases()
CASES, SENTINEL, STATUSES, Case, render = _cases.CASES, _cases.SENTINEL, _cases.STATUSES, _cases.Case, _cases.render

# One batch of some fifty submissions, a few running into limits. Each is graded against the whole curriculum
# (about 14 s on an idle 2-core machine, most of it the other exercises' todo checks): 12 minutes in all here,
# more on a busy or slower machine, so the limits leave room.
pytestmark = pytest.mark.timeout(1800)

SEED = 7
LIMITS = {"NNLINGS_CALL_LIMIT": "3", "NNLINGS_EXERCISE_LIMIT": "60"}  # roomy for the correct one on a busy machine
# Unique to this run: in every marker a case puts on the processes it starts, and in the submissions' path.
TOKEN = f"nnlings-hostile-{secrets.token_hex(4)}"
GRADE_TIMEOUT = 1680  # the whole batch; leaves the rest of the module's 1800 s to the checks
CANARY = "tests/losses/hostile-canary.txt"
MAX_REPORT_BYTES = 1_000_000
MAX_MESSAGE_CHARS = 20_000


def marker(case: Case) -> str:
    return f"{TOKEN}-{case.name}"


@dataclass
class Batch:
    done: subprocess.CompletedProcess
    timed_out: bool
    seconds: float
    kit: Path
    out: Path
    students: list[str]
    reports: dict
    """student -> parsed report, for the reports that exist."""
    report_bytes: dict
    """Relative path in the out dir -> its bytes, as they were when the batch ended."""
    survivors: dict
    """pid -> command line of processes carrying TOKEN still alive after the batch (then killed)."""
    kit_before: dict
    kit_after: dict


def write_submission(where: Path, case: Case) -> Path:
    folder = where / case.name
    target = exercise_file(folder, case.exercise)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(case.source, marker(case)), encoding="utf-8")
    for rel, text in case.extra.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(text, marker(case)), encoding="utf-8")
    return folder


def snapshot(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file, leaving out the bytecode Python and pytest write."""
    digests = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digests[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def read_tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def grade(root: Path, args: list[str], timeout: float) -> tuple[subprocess.CompletedProcess, bool]:
    """`python -m grader ARGS` in the kit copy, as the `nnlings` fixture runs it, but in a session of its own
    with a longer time limit: on timeout the whole process group is killed, not only the grader."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NNLINGS_")}
    env.update({"NNLINGS_ROOT": str(root), "NO_COLOR": "1", **LIMITS})
    proc = subprocess.Popen([sys.executable, "-m", "grader", *args], cwd=root, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
        return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), True


def processes_with(token: str) -> dict[int, str]:
    """pid -> command line of every process whose command line contains `token`."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if token.encode() in cmdline:
            found[int(entry.name)] = cmdline.replace(b"\0", b" ").decode(errors="replace")[:300]
    return found


def surviving_processes(token: str, grace: float = 5.0) -> dict[int, str]:
    """Processes with `token` still there after `grace` seconds (time for a killed group to be gone)."""
    deadline = time.monotonic() + grace
    found = processes_with(token)
    while found and time.monotonic() < deadline:
        time.sleep(0.25)
        found = processes_with(token)
    return found


def kill_by_pid(pids: dict[int, str], token: str) -> None:
    """End the hostile processes this batch left, one by one, after checking each is still one of them."""
    for pid in pids:
        try:
            if token.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                os.kill(pid, signal.SIGKILL)
        except (OSError, ProcessLookupError):
            pass


def remove_litter(token: str) -> None:
    """Files the cases may have left in the temporary folder: named after the token, or forged with it inside."""
    for folder in {Path(tempfile.gettempdir()), Path("/tmp")}:
        for path in folder.glob(f"{token}*"):
            if path.is_file():
                path.unlink(missing_ok=True)
        for name in ("record.json", "report.json"):
            path = folder / name
            try:
                if path.is_file() and path.stat().st_size < 100_000 and token in path.read_text(errors="replace"):
                    path.unlink()
            except OSError:
                pass


@pytest.fixture(scope="module")
def batch(kit, tmp_path_factory) -> Batch:
    """Every case and, last, the solutions as `correct`, graded in one `grade --out-dir` batch in a private kit."""
    private = tmp_path_factory.mktemp("hostile-kit")
    shutil.copytree(kit, private, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    (private / SENTINEL).write_text("The hostile submissions of tests/kit/test_hostile.py may touch this copy.\n")
    (private / CANARY).write_text("A hostile submission must not be able to delete this file.\n")
    where = tmp_path_factory.mktemp(TOKEN)
    out = where / "out"
    (out / "reports").mkdir(parents=True)  # there from the start, so that attacks can find it
    folders = [write_submission(where, case) for case in CASES]
    shutil.copytree(private / "solutions", where / "correct", ignore=shutil.ignore_patterns("__pycache__"))
    folders.append(where / "correct")
    kit_before = snapshot(private)
    started = time.monotonic()
    try:
        done, timed_out = grade(private, ["grade", *map(str, folders), "--out-dir", str(out), "--seed", str(SEED)],
                                GRADE_TIMEOUT)
        seconds = time.monotonic() - started
        students = [f.name for f in folders]
        reports = {}
        for student in students:
            path = out / "reports" / f"{student}.json"
            if path.is_file():
                try:
                    reports[student] = json.loads(path.read_text(encoding="utf-8"))
                except ValueError:
                    reports[student] = {"error": f"the report is not JSON: {path.read_text(errors='replace')[:200]}"}
        report_bytes = read_tree(out)
        survivors = surviving_processes(TOKEN)
        kill_by_pid(survivors, TOKEN)
        kit_after = snapshot(private)
        yield Batch(done, timed_out, seconds, private, out, students, reports, report_bytes, survivors,
                    kit_before, kit_after)
    finally:
        kill_by_pid(processes_with(TOKEN), TOKEN)
        remove_litter(TOKEN)


def hostile_exercise(batch: Batch, case: Case) -> dict:
    report = batch.reports.get(case.name)
    assert report is not None, f"no report for {case.name}; grader stderr:\n{batch.done.stderr[-3000:]}"
    assert report.get("error") is None, f"grading {case.name} broke: {report.get('error')}"
    found = [ex for ex in report["exercises"] if ex["id"] == case.exercise]
    assert len(found) == 1, f"{case.exercise} is not in the report of {case.name}"
    return found[0]


def readable(message: str) -> bool:
    """A sentence or a few: words, no Python traceback, not a wall of text."""
    return bool(re.search(r"[A-Za-z]{3,}\s+[A-Za-z]{2,}", message)) and "Traceback" not in message \
        and len(message) <= MAX_MESSAGE_CHARS


# ---------------------------------------------------------------- the cases themselves

def test_the_cases_are_well_formed():
    """Are there at least 28 cases with unique safe names, real exercises, known statuses, one-sentence `what` and valid Python?"""
    names = [c.name for c in CASES]
    assert len(CASES) >= 28 and len(set(names)) == len(names)
    ids = {e.id for e in manifest.load(Path(__file__).resolve().parents[2]).exercises}
    for case in CASES:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", case.name) and case.name != "correct", case.name
        assert case.exercise in ids, case.exercise
        assert case.allowed and case.allowed <= STATUSES, (case.name, case.allowed)
        assert case.what.endswith(".") and case.what.count(". ") == 0, case.what
        for rel, text in [("source", case.source), *case.extra.items()]:
            if rel == "source" or rel.endswith(".py"):
                ast.parse(render(text, marker(case)), filename=f"{case.name}:{rel}")
    assert sum(c.exercise == "losses.mse" for c in CASES) > len(CASES) // 2


# ---------------------------------------------------------------- the batch

def test_the_batch_finishes(batch):
    """Does the grader finish the whole batch in time, with exit 1 and no traceback on stderr?"""
    assert not batch.timed_out, f"the batch ran past {GRADE_TIMEOUT} s; stderr:\n{batch.done.stderr[-3000:]}"
    assert batch.done.returncode == 1, batch.done.stderr[-3000:]
    assert "Traceback" not in batch.done.stderr, batch.done.stderr[-3000:]
    assert sorted(batch.reports) == sorted(batch.students)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_hostile_submission_is_contained(batch, case):
    """Does this hostile submission get an allowed status, no points it did not earn, and a readable message, without breaking its report?"""
    ex = hostile_exercise(batch, case)
    failing = [t for t in ex["tests"] if t["status"] != "passed"]
    first = failing[0]["message"][:1500] if failing else ""
    assert ex["status"] in case.allowed, \
        f"{case.name}: {case.what}\ngot {ex['status']} ({ex['score']}/{ex['possible']}), allowed " \
        f"{sorted(case.allowed)}; first message:\n{first}"
    if ex["status"] == "passed":
        assert ex["score"] == ex["possible"]
    elif ex["status"] != "partial":
        assert ex["score"] == 0, f"{case.name} earned {ex['score']} with status {ex['status']}"
    if failing:
        assert failing[0]["message"].strip(), f"{case.name}: the first failing test has no message"
        for test in failing:
            assert readable(test["message"]), f"{case.name}, {test['name']}: not a readable message:\n" \
                                              f"{test['message'][:1500]}"
    size = len(batch.report_bytes.get(f"reports/{case.name}.json", b""))
    assert size <= MAX_REPORT_BYTES, f"the report of {case.name} is {size} bytes"


def test_the_correct_submission_gets_full_marks(batch, kit):
    """Graded in the same batch as every hostile case, does the reference solution still pass everything?"""
    report = batch.reports.get("correct")
    assert report is not None and report["error"] is None, report
    total = sum(e.points for e in manifest.load(kit).exercises)
    assert report["score"] == report["possible"] == total, \
        [(e["id"], e["status"], e["score"]) for e in report["exercises"] if e["status"] != "passed"]
    assert {e["status"] for e in report["exercises"]} == {"passed"}


def test_no_hostile_process_outlives_the_batch(batch):
    """Once grading is done, is every process a case started (orphans, forgers, sleepers) gone?"""
    by_case = {}
    for pid, cmdline in batch.survivors.items():
        case = next((c.name for c in CASES if marker(c) in cmdline), "a grading process")
        by_case.setdefault(case, []).append(f"{pid}: {cmdline}")
    assert not by_case, "still running after the batch:\n" + "\n".join(
        f"{case}: {lines}" for case, lines in sorted(by_case.items()))


def test_the_kit_is_unchanged(batch):
    """Are the kit's files byte for byte as before grading, none added, changed or deleted?"""
    before, after = batch.kit_before, batch.kit_after
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(p for p in set(before) & set(after) if before[p] != after[p])
    assert not (added or removed or changed), f"added {added}, removed {removed}, changed {changed}"


def test_the_reports_are_the_graders_own(batch):
    """Does the out dir hold only the grader's files, and are the reports still as written a few seconds later?"""
    expected = {"gradebook.csv", "report.html", *(f"reports/{s}.json" for s in batch.students)}
    assert set(batch.report_bytes) == expected, \
        f"unexpected {sorted(set(batch.report_bytes) - expected)}, missing {sorted(expected - set(batch.report_bytes))}"
    forged = [name for name, data in batch.report_bytes.items() if b'"forged_by"' in data]
    assert not forged, f"forged by a submission: {forged}"
    time.sleep(3)
    later = read_tree(batch.out)
    assert later == batch.report_bytes, \
        f"changed after the batch: {sorted(k for k in set(later) | set(batch.report_bytes) if later.get(k) != batch.report_bytes.get(k))}"
