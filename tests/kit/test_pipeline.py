"""One submission on several cores: its exercises shared out among test runs side by side."""

from pathlib import Path

from grader.core import manifest
from grader.grading.pipeline import shares

ROOT = Path(__file__).resolve().parents[2]


def test_every_exercise_goes_to_exactly_one_run():
    ids = [e.id for e in manifest.load(ROOT).exercises]
    groups = shares(ROOT, ids, 2)
    assert len(groups) == 2 and sorted(i for g in groups for i in g) == sorted(ids)


def test_the_runs_get_about_equal_work():
    ids = [e.id for e in manifest.load(ROOT).exercises]
    sizes = [sum((ROOT / "tests" / i.split(".")[0] / f"test_{i.split('.')[1]}.py").stat().st_size for i in g)
             for g in shares(ROOT, ids, 2)]
    assert max(sizes) - min(sizes) <= max((ROOT / "tests").glob("*/test_*.py"), key=lambda p: p.stat().st_size).stat().st_size


def test_never_more_runs_than_exercises():
    assert shares(ROOT, ["activations.relu"], 4) == [["activations.relu"]]
