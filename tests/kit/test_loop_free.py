"""check.loop_free: a loop over output positions is told apart from vectorised code by counting the
lines of Python run, in process and through the runner, never by a clock."""

import textwrap
from types import SimpleNamespace

import numpy as np
import pytest

from grader.runner.limits import Limits
from grader.runner.pool import ExerciseRunner
from grader.testing.check import Check
from grader.testing.failure import ExerciseFailure, render_body
from grader.testing.mistakes import mistake

SOURCE = '''
import numpy as np


def doubled(x):
    """Vectorised: the same lines whatever the size."""
    if x.ndim != 1:
        raise ValueError("x must be 1-D")
    return x * 2


def doubled_by_rows(x):
    """A loop over the positions, one line per step."""
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        out[i] = x[i] * 2
    return out


def doubled_by_comprehension(x):
    return np.array([v * 2 for v in x])
'''
SPACE = {}
exec(compile(SOURCE, "<learner>", "exec"), SPACE)  # noqa: S102 - the learner's file, in process
SMALL, LARGE = np.arange(4.0), np.arange(256.0)
LOOPING = mistake("rows", title={"en": "a loop over positions"}, why={"en": "w"}, doubled=SPACE["doubled_by_rows"])


def loop_free(impl, name, mistakes=()):
    Check(impl, mistakes).loop_free(lambda m: getattr(m, name)(SMALL), lambda m: getattr(m, name)(LARGE),
                                    call=f"{name}(x)", grows={"en": "the length of x", "zh": "x 的长度"},
                                    sizes=({"en": "4 values", "zh": "4 个值"}, {"en": "256 values", "zh": "256 个值"}))


def test_vectorised_code_passes_in_process():
    """Does a function that runs the same lines at every size pass?"""
    loop_free(SimpleNamespace(doubled=SPACE["doubled"]), "doubled")


@pytest.mark.parametrize("name", ["doubled_by_rows", "doubled_by_comprehension"])
def test_a_loop_fails_with_its_counts(name):
    """Is a for loop, or a comprehension, over the positions a failure that says how the lines grew?"""
    with pytest.raises(ExerciseFailure) as err:
        loop_free(SimpleNamespace(**{name: SPACE[name]}), name)
    assert err.value.kind == "loops"
    message, chinese = render_body(err.value, "en"), render_body(err.value, "zh")
    assert "grows with the length of x" in message and "for 4 values" in message and "for 256 values" in message
    assert "x 的长度" in chinese


def test_the_looping_mistake_is_named():
    """Is the catalogued loop mistake named when the learner's answer loops too?"""
    with pytest.raises(ExerciseFailure) as err:
        loop_free(SimpleNamespace(doubled=SPACE["doubled_by_rows"]), "doubled", mistakes=(LOOPING,))
    assert err.value.mistake is LOOPING


@pytest.mark.parametrize("name, loops", [("doubled", False), ("doubled_by_rows", True),
                                         ("doubled_by_comprehension", True)])
def test_lines_are_counted_in_the_runner(tmp_path, name, loops):
    """Through the runner, is the same verdict reached from the lines counted there?"""
    path = tmp_path / "kit" / "doubling.py"
    path.parent.mkdir()
    path.write_text(textwrap.dedent(SOURCE), encoding="utf-8")
    runner = ExerciseRunner(tmp_path, "kit.doubling", (), Limits(call_seconds=5.0, exercise_seconds=20.0))
    try:
        m, _ = runner.module()
        if loops:
            with pytest.raises(ExerciseFailure) as err:
                loop_free(m, name)
            assert err.value.kind == "loops"
        else:
            loop_free(m, name)
        assert np.array_equal(getattr(m, name)(SMALL), SMALL * 2)  # no counting once the check is over
    finally:
        runner.close()


def test_a_forged_count_is_a_crash():
    """Is a line count that is not a whole number refused as a reply the grader does not understand?"""
    from grader.runner.errors import RunnerCrashed
    from grader.runner.proxy import Session

    session = Session.__new__(Session)
    session.lines = 0
    with pytest.raises(RunnerCrashed):
        session.answer({"ok": None, "lines": "many"}, [])
