"""Grading a class: many submissions of every kind at once, the gradebook, the HTML report, and safe unpacking."""

import csv
import json
import os
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from grader.core import manifest
from grader.grading.render.csv_report import points
from grader.grading.submission import split_spec, unique_names
from grader.grading.submission_archive import ArchiveRefused, extract_zip

# Three submissions are graded in parallel (a pytest process each); slow machines need more than the default.
pytestmark = pytest.mark.timeout(600)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SEED = 7


def zip_folder(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as zf:
        for path in sorted(folder.rglob("*.py")):
            zf.write(path, path.relative_to(folder).as_posix())
    return target


@pytest.fixture(scope="module")
def graded_class(kit, tmp_path_factory, nnlings):
    """alice (the solutions), bob (the stubs), carol.zip (the solutions, zipped) and dave.zip (not a zip)."""
    where = tmp_path_factory.mktemp("class")
    shutil.copytree(kit / "solutions", where / "alice", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(kit / "exercises", where / "bob", ignore=shutil.ignore_patterns("__pycache__"))
    zip_folder(kit / "solutions", where / "carol.zip")
    (where / "dave.zip").write_text("this is not a zip file\n")
    out = where / "out"
    submissions = [str(where / name) for name in ("alice", "bob", "carol.zip", "dave.zip")]
    done = nnlings(kit, "grade", *submissions, "--out-dir", str(out), "--seed", str(SEED))
    return done, out


def full_points(kit) -> dict[str, float]:
    return {ex.id: ex.points for ex in manifest.load(kit).exercises}


def test_a_class_is_graded(graded_class, kit):
    """Do alice, bob and carol get full, zero and full marks, with dave recorded as broken and exit 1?"""
    done, out = graded_class
    assert done.returncode == 1, done.stderr[-2000:]
    reports = {name: json.loads((out / "reports" / f"{name}.json").read_text()) for name in ("alice", "bob", "carol", "dave")}
    total = sum(full_points(kit).values())
    assert reports["alice"]["score"] == reports["alice"]["possible"] == total
    assert reports["carol"]["score"] == reports["carol"]["possible"] == total
    assert reports["bob"]["score"] == 0 and {ex["status"] for ex in reports["bob"]["exercises"]} == {"todo"}
    assert "not a zip" in reports["dave"]["error"] and reports["dave"]["exercises"] == []
    assert reports["dave"]["score"] is None  # grading broke: no score, never a zero
    assert {r["seed"] for r in reports.values()} == {SEED}
    assert all(r["error"] is None for name, r in reports.items() if name != "dave")
    assert all(r["protections"]["own_process"] for name, r in reports.items() if name != "dave")
    assert ("Note: learner code" in done.stderr) == (not all(reports["alice"]["protections"].values()))
    assert all(f"[{n}/4]" in done.stderr for n in range(1, 5)), done.stderr  # one line each: stderr is no terminal
    assert "dave" in done.stderr and "Traceback" not in done.stderr


def test_the_gradebook(graded_class, kit):
    """Has the CSV one row per student with the right scores, and an error instead of zeros for dave?"""
    _, out = graded_class
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    assert list(rows) == ["alice", "bob", "carol", "dave"]
    per_exercise = full_points(kit)
    total = points(sum(per_exercise.values()))
    for student, expected in (("alice", total), ("bob", "0"), ("carol", total)):
        assert rows[student]["score"] == expected and rows[student]["possible"] == total and not rows[student]["error"]
    assert all(rows["alice"][i] == points(p) and rows["alice"][f"{i} status"] == "passed" for i, p in per_exercise.items())
    assert all(rows["bob"][i] == "0" and rows["bob"][f"{i} status"] == "todo" for i in per_exercise)
    dave = rows["dave"]
    assert dave["error"] and dave["score"] == dave["possible"] == "" and all(dave[i] == "" for i in per_exercise)


class Heatmap(HTMLParser):
    """The rows of table#heatmap's body: student -> its attributes and the attributes of its exercise cells."""

    def __init__(self) -> None:
        super().__init__()
        self.inside, self.in_body, self.rows, self.current = False, False, {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.inside = attrs.get("id") == "heatmap"
        elif self.inside and tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.current = attrs["data-student"]
            self.rows[self.current] = {"row": attrs, "cells": []}
        elif self.in_body and tag == "td" and "data-exercise" in attrs:
            self.rows[self.current]["cells"].append(attrs)

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = self.in_body = False


def dump_dom(page: Path, profile: Path) -> str:
    """The page as headless Chromium sees it after loading."""
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", "--dump-dom", page.as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_html_report_in_chromium(graded_class, kit, tmp_path):
    """Loaded in headless Chromium, has the heatmap a row per student and a cell per exercise with its score?"""
    if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
        pytest.skip("Chromium is not installed (/usr/bin/chromium); in CI .ci/run installs it and this test runs")
    _, out = graded_class
    heatmap = Heatmap()
    heatmap.feed(dump_dom(out / "report.html", tmp_path / "profile"))
    assert list(heatmap.rows) == ["alice", "bob", "carol", "dave"]
    per_exercise = full_points(kit)
    expected = {"alice": [points(p) for p in per_exercise.values()], "bob": ["0"] * len(per_exercise),
                "carol": [points(p) for p in per_exercise.values()]}
    for student, scores in expected.items():
        cells = heatmap.rows[student]["cells"]
        assert [c["data-exercise"] for c in cells] == list(per_exercise)
        assert [c["data-score"] for c in cells] == scores
    assert heatmap.rows["dave"]["row"].get("data-broken") == "true" and heatmap.rows["dave"]["cells"] == []


@pytest.mark.parametrize("entry", ["../evil.py", "/ABSOLUTE/evil.py", "activations/../../evil.py", "C:/evil.py"])
def test_an_escaping_zip_is_refused(tmp_path, entry):
    """Is a zip with an entry outside its folder refused whole, with nothing written anywhere?"""
    archive = tmp_path / "sly.zip"
    absolute = entry.replace("/ABSOLUTE", str(tmp_path / "abs"))
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("activations/softmax.py", "x = 1\n")
        zf.writestr(absolute, "import os\n")
    assert absolute in zipfile.ZipFile(archive).namelist()  # the name really is as written
    dest = tmp_path / "scratch" / "dest"
    dest.mkdir(parents=True)
    with pytest.raises(ArchiveRefused, match="outside"):
        extract_zip(archive, dest)
    assert not any(dest.iterdir()) and not (tmp_path / "scratch" / "evil.py").exists()
    assert not (tmp_path / "evil.py").exists() and not (tmp_path / "abs").exists()


def test_an_escaping_zip_is_a_sentence_for_grade(nnlings, kit, tmp_path):
    """Does `grade` refuse such a zip with exit 2 and a sentence, not a traceback?"""
    archive = tmp_path / "sly.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../evil.py", "import os\n")
    done = nnlings(kit, "grade", str(archive))
    assert done.returncode == 2 and "refused" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path.parent / "evil.py").exists()


def test_links_are_ignored_and_size_is_capped(tmp_path):
    """Are symbolic links in a zip skipped, and is a zip over the size cap refused?"""
    archive = tmp_path / "links.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        link = zipfile.ZipInfo("activations/softmax.py")
        link.external_attr = 0o120777 << 16  # a symbolic link, as zip -y stores it
        zf.writestr(link, "/etc/passwd")
        zf.writestr("losses/mse.py", "y = 2\n" * 400)
    dest = tmp_path / "dest"
    dest.mkdir()
    extract_zip(archive, dest)
    assert not (dest / "activations" / "softmax.py").exists() and (dest / "losses" / "mse.py").is_file()
    with pytest.raises(ArchiveRefused, match="more than"):
        extract_zip(archive, tmp_path, max_bytes=1000)


def git(*args: str, cwd: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    subprocess.run(["git", "-c", "user.name=nnlings", "-c", "user.email=nnlings@example.invalid", *args],
                   cwd=cwd, env=env, check=True, capture_output=True)


def test_grade_a_git_ref(nnlings, kit, tmp_path):
    """Is `PATH@REF` graded at that ref (full marks at the tag), whatever the working tree holds now?"""
    repo = tmp_path / "student"
    shutil.copytree(kit / "solutions", repo / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "solved", cwd=repo)
    git("tag", "done", cwd=repo)
    shutil.rmtree(repo / "exercises")
    shutil.copytree(kit / "exercises", repo / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
    git("commit", "-q", "-am", "back to the stubs", cwd=repo)

    done = nnlings(kit, "grade", f"{repo}@done", "--seed", "5")
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["score"] == report["possible"] == sum(full_points(kit).values())
    assert report["submission"] == f"{repo}@done"
    missing = nnlings(kit, "grade", f"{repo}@no-such-tag")
    assert missing.returncode == 2 and "no-such-tag" in missing.stderr and "Traceback" not in missing.stderr


def test_several_submissions_need_an_out_dir(nnlings, kit):
    """Are several submissions without --out-dir a usage error with a sentence?"""
    done = nnlings(kit, "grade", "solutions", "exercises")
    assert done.returncode == 2 and "--out-dir" in done.stderr and "Traceback" not in done.stderr


def test_student_names(tmp_path):
    """Is each student filed under the submission's name without extension, made unique, and safe as a file name?"""
    (tmp_path / "alice").mkdir()
    (tmp_path / "carol.zip").write_bytes(b"")
    (tmp_path / "ALICE.zip").write_bytes(b"")
    (tmp_path / "repo").mkdir()
    given = [str(tmp_path / "alice"), str(tmp_path / "carol.zip"), f"{tmp_path / 'repo'}@v1",
             str(tmp_path / "ALICE.zip"), str(tmp_path / "a b;c")]
    assert unique_names(given) == ["alice", "carol", "repo", "ALICE-2", "a_b_c"]
    assert split_spec(f"{tmp_path / 'repo'}@HEAD@{{1}}") == ((tmp_path / "repo").resolve(), "HEAD@{1}")
    assert split_spec(str(tmp_path / "alice")) is None
