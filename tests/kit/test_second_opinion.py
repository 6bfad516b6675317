"""Correct implementations written independently of the reference, from the docstrings alone, get full marks.

second_opinion/ holds one for each core exercise, written differently on purpose (loops over
kernel positions instead of output pixels, einsum, float64 inside and cast back, per-parameter
state dicts, ...). A test that grows stricter than the specification fails here first.
"""

from pathlib import Path

import pytest

from grader.core import manifest
from grader.grading.pipeline import evaluate

SECOND_OPINION = Path(__file__).parent / "second_opinion"
# Grades the whole curriculum twice: far past the 60 s that one exercise check may take.
pytestmark = pytest.mark.timeout(600)


@pytest.mark.parametrize("seed", [101, 202])
def test_independent_implementations_get_full_marks(kit, seed):
    """Does a differently written correct implementation of every exercise score full marks?"""
    m = manifest.load(kit)
    report = evaluate(kit, m, [e.id for e in m.exercises], str(SECOND_OPINION), seed=seed)
    assert report.error is None
    lost = {ex.id: [(t.name, t.message[:600]) for t in ex.tests if t.status != "passed"]
            for ex in report.exercises if ex.status != "passed"}
    assert not lost, lost
    assert report.score == report.possible
