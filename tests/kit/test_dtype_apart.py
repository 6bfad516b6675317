"""Values and dtype are graded apart: right values in the wrong dtype lose the dtype check only."""

from pathlib import Path

import pytest

from grader.core import manifest
from grader.grading.pipeline import evaluate

# Attention whose every value is right, promoted to float64 the way `scores / np.sqrt(E)` can under NumPy 2.
PROMOTING = '''

_reference = scaled_dot_product_attention


def scaled_dot_product_attention(q, k, v, attn_mask=None, is_causal=False):
    return _reference(q, k, v, attn_mask=attn_mask, is_causal=is_causal).astype(np.float64)
'''


@pytest.mark.parametrize("isolate", [False, True], ids=["in-process", "runner"])
def test_a_float64_result_for_float32_input_loses_only_the_dtype_check(kit, tmp_path, isolate):
    """Does exact attention returned as float64 for float32 input fail test_dtype alone, and keep every value check?"""
    exercise = "attention.causal_mask"
    source = (kit / "solutions" / "attention" / "causal_mask.py").read_text(encoding="utf-8")
    (tmp_path / "attention").mkdir()
    (tmp_path / "attention" / "causal_mask.py").write_text(source + PROMOTING, encoding="utf-8")
    m = manifest.load(kit)
    report = evaluate(kit, m, [exercise], str(tmp_path), seed=5, isolate=isolate)
    [result] = report.exercises
    lost = {t.name for t in result.tests if t.status != "passed"}
    assert lost == {"test_dtype"}, [(t.name, t.message[:300]) for t in result.tests if t.status != "passed"]
    dtype_test = next(t for t in result.tests if t.name == "test_dtype")
    assert "dtype float64, expected float32" in dtype_test.message
    assert (dtype_test.passed, dtype_test.total) == (1, 2)  # the float64 case passes
    assert result.score == pytest.approx(result.possible - dtype_test.possible / 2, abs=1e-3)
