"""Where code that ran out of time was: the line it was stopped on, and the loop that line sits in."""

import textwrap

from grader.runner.errors import RunnerTimeout
from grader.testing.outcome import describe_error
from grader.testing.source_loops import enclosing_loop

SOURCE = textwrap.dedent("""\
    def slow(n):
        total = 0
        for i in range(n):
            j = 0
            while j < n:
                total += i
        return total
""")


def stopped_at(tmp_path, line: int, lang: str = "en") -> str:
    path = tmp_path / "layers" / "slow.py"
    path.parent.mkdir(exist_ok=True)
    path.write_text(SOURCE)
    err = RunnerTimeout("call", 2.0)
    err.frames = [(str(path), line, "slow", "")]
    return describe_error(err, tmp_path, tmp_path, lang)


def test_the_innermost_loop_is_found(tmp_path):
    """Is a line in a nested loop's body placed in the inner loop, and a loop's own first line in the outer one?"""
    path = tmp_path / "slow.py"
    path.write_text(SOURCE)
    assert enclosing_loop(str(path), 6) == 5 and enclosing_loop(str(path), 5) == 3 and enclosing_loop(str(path), 2) is None


def test_a_line_in_a_loop_names_the_loop(tmp_path):
    """Stopped on the body of an endless while loop, does the learner read both that line and the loop's header?"""
    message = stopped_at(tmp_path, 6)
    assert "line 6:\n    total += i" in message and "starts at line 5:\n    while j < n:" in message
    assert "第 5 行开始的循环" in stopped_at(tmp_path, 6, "zh")


def test_a_line_outside_loops_is_quoted_alone(tmp_path):
    """Stopped outside any loop, is the line quoted with no loop invented around it?"""
    message = stopped_at(tmp_path, 2)
    assert "total = 0" in message and "loop that starts" not in message
