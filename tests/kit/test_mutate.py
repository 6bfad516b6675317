"""`nnlings dev mutate`: mutants of a solution (one edit inside its markers each), their keys, their verdicts,
and one real run on a small exercise."""

import difflib
import re
from pathlib import Path

import pytest

from grader.authoring.mutate import compiles, mutants, solution_lines
from grader.authoring.mutate_report import report
from grader.authoring.mutate_run import ExerciseResult, mutate_exercise, sample
from grader.core import manifest
from grader.core.manifest import Exercise

SNIPPET = '''import numpy as np


def f(x, y, axis=-1):
    """Docstring with 1 + 2 and x < y, and a = b."""
    z = x + 1  # outside the markers
    # BEGIN SOLUTION: the part the learner writes
    a = x - y * 2.5
    b = a.sum(axis=-1, keepdims=True) / y.mean(dim=axis)
    c = -(a + b) if x < y and y >= 0 else a
    a += b
    np.clip(a, 0, None)
    if x == y:
        raise ValueError(f"x == y: {x + 1}")
    return a != b
    # END SOLUTION


class Step:
    def update(self, p, g):
        # BEGIN SOLUTION
        t = {"é": 3}["é"] * g  # a two-byte character before the operator
        return p - t
        # END SOLUTION
'''


def changes(source: str) -> dict[str, tuple[list[str], list[str]]]:
    """Mutant key -> (lines removed, lines added)."""
    found = {}
    for m in mutants(source):
        diff = list(difflib.unified_diff(source.splitlines(), m.source.splitlines(), lineterm="", n=0))[2:]
        found[m.key] = ([d[1:] for d in diff if d.startswith("-")], [d[1:] for d in diff if d.startswith("+")])
    return found


def added(key: str) -> str:
    """The one line mutant `key` of SNIPPET has instead of the original, without its indent."""
    removed, new = changes(SNIPPET)[key]
    assert len(removed) == len(new) == 1, (removed, new)
    return new[0].strip()


@pytest.mark.parametrize("key, line", [
    ("f:arith:1", "a = x + y * 2.5"),
    ("f:arith:2", "a = x - y / 2.5"),
    ("f:const:1", "a = x - y * 5.0"),
    ("f:axis:1", "b = a.sum(axis=0, keepdims=True) / y.mean(dim=axis)"),
    ("f:axis:2", "b = a.sum(axis=-1, keepdims=True) / y.mean(dim=-1)"),
    ("f:keepdims:1", "b = a.sum(axis=-1, keepdims=False) / y.mean(dim=axis)"),
    ("f:arith:3", "b = a.sum(axis=-1, keepdims=True) * y.mean(dim=axis)"),
    ("f:const:2", "b = a.sum(axis=-0, keepdims=True) / y.mean(dim=axis)"),
    ("f:const:3", "b = a.sum(axis=-2, keepdims=True) / y.mean(dim=axis)"),
    ("f:neg:1", "b = a.sum(axis=1, keepdims=True) / y.mean(dim=axis)"),
    ("f:neg:2", "c = (a + b) if x < y and y >= 0 else a"),
    ("f:arith:4", "c = -(a - b) if x < y and y >= 0 else a"),
    ("f:bool:1", "c = -(a + b) if x < y or y >= 0 else a"),
    ("f:compare:1", "c = -(a + b) if x <= y and y >= 0 else a"),
    ("f:compare:2", "c = -(a + b) if x < y and y > 0 else a"),
    ("f:const:4", "c = -(a + b) if x < y and y >= 1 else a"),
    ("f:arith:5", "a -= b"),
    ("f:const:5", "np.clip(a, 1, None)"),
    ("f:compare:3", "if x != y:"),
    ("f:compare:4", "return a == b"),
    ("f:drop:1", "pass"),
    ("Step.update:arith:1", 't = {"é": 3}["é"] / g  # a two-byte character before the operator'),
    ("Step.update:const:1", 't = {"é": 4}["é"] * g  # a two-byte character before the operator'),
    ("Step.update:arith:2", "return p + t"),
])
def test_each_operator_makes_its_change(key, line):
    """Does each operator make exactly its one edit, at the right place, brackets and comments kept?"""
    assert added(key) == line


def test_statements_dropped_but_not_return_or_raise():
    """Are assignments and expression statements replaced by `pass`, and return, raise and docstrings kept?"""
    drops = {key: removed[0].strip() for key, (removed, _) in changes(SNIPPET).items() if ":drop:" in key}
    assert sorted(drops.values()) == sorted(["a = x - y * 2.5", "b = a.sum(axis=-1, keepdims=True) / y.mean(dim=axis)",
                                             "c = -(a + b) if x < y and y >= 0 else a", "a += b",
                                             "np.clip(a, 0, None)",
                                             't = {"é": 3}["é"] * g  # a two-byte character before the operator'])


def test_nothing_outside_the_markers_changes():
    """Do the lines outside the markers (the docstring, `z = x + 1`) and a raise's message stay as they were?"""
    inside = solution_lines(SNIPPET)
    original = SNIPPET.split("\n")
    raise_line = next(i for i, line in enumerate(original, 1) if "raise" in line)
    for m in mutants(SNIPPET):
        lines = m.source.split("\n")
        assert len(lines) == len(original), m.key  # every edit here stays on its line
        changed = {i for i, (a, b) in enumerate(zip(original, lines), 1) if a != b}
        assert changed and changed <= inside - {raise_line}, m.key
        assert m.line == min(changed)


def test_keys_stable_and_unique():
    """Are keys the same on every run, unique, and unmoved by a function added before them?"""
    first = [m.key for m in mutants(SNIPPET)]
    assert first == [m.key for m in mutants(SNIPPET)] and len(set(first)) == len(first)
    shape = r"(f|Step\.update):(arith|compare|const|axis|keepdims|bool|neg|drop):\d+"
    assert all(re.fullmatch(shape, k) for k in first)
    g = "def g(x):\n    # BEGIN SOLUTION\n    return x + 1\n    # END SOLUTION\n\n\n"
    before = SNIPPET.replace("def f(", g + "def f(")
    assert [k for k in changes(before) if not k.startswith("g:")] == first
    assert changes(before)["f:arith:1"][1] == changes(SNIPPET)["f:arith:1"][1]


def test_mutants_compile_and_differ():
    """Does every mutant compile, differ from the solution and from every other mutant?"""
    found = mutants(SNIPPET)
    assert all(compiles(m.source, "x.py") for m in found)
    assert len({m.source for m in found} | {SNIPPET}) == len(found) + 1
    assert not compiles("def f(:\n", "x.py")


def test_no_markers_no_mutants():
    """Is a file without solution markers left alone?"""
    assert mutants("def f(x):\n    return x + 1\n") == []


def test_sample_spreads_over_the_file():
    """Does --limit take mutants from the whole file rather than its start?"""
    assert sample(list(range(10)), 3) == [0, 3, 6] and sample(list(range(3)), 5) == [0, 1, 2]
    assert sample(list(range(4)), None) == [0, 1, 2, 3]


class FakeJudge:
    """Says a mutant survives when its source holds one of `survivors`' lines."""

    def __init__(self, root: Path, survivors: tuple[str, ...]):
        self.root, self.jobs, self.survivors = root, 1, survivors

    def passes(self, ex, source, timeout):
        original = (self.root / "solutions" / "m" / "f.py").read_text(encoding="utf-8")
        return source == original or any(s in source for s in self.survivors)


def fake_kit(tmp_path: Path) -> Path:
    (tmp_path / "solutions" / "m").mkdir(parents=True)
    (tmp_path / "solutions" / "m" / "f.py").write_text(SNIPPET, encoding="utf-8")
    return tmp_path


def test_verdicts_equivalents_and_stale_entries(tmp_path):
    """Is a listed survivor equivalent, an unlisted one a survivor, and a listed key that is killed or names no
    mutant stale?"""
    root = fake_kit(tmp_path)
    ex = Exercise("m.f", {"en": "F"}, 1.0, ("f",), equivalent_mutants={
        "f:keepdims:1": "y.mean broadcasts either way", "f:arith:1": "stale", "f:arith:99": "gone"})
    events = []
    result = mutate_exercise(FakeJudge(root, ("keepdims=False", "a -= b")), ex, progress=lambda *a: events.append(a))
    assert [m.key for m in result.equivalent] == ["f:keepdims:1"] and [m.key for m in result.survived] == ["f:arith:5"]
    assert sorted(result.stale) == [("f:arith:1", "killed"), ("f:arith:99", "missing")]
    assert result.tried == len(mutants(SNIPPET)) and events[-1] == ("m.f", result.tried, result.tried)
    assert result.rate == (result.tried - 2) / (result.tried - 1) and not result.ok  # stale entries fail the run
    lines = report([result], root, "en")
    assert any(re.match(r"m\.f\s+\d+\s+\d+\s+1\s+1\s+9\d\.\d%", line) for line in lines)
    heading = lines.index("m.f: f:arith:5 passes every test:")
    assert lines[heading + 1:heading + 3] == ["--- solutions/m/f.py", "+++ solutions/m/f.py (f:arith:5)"]
    assert "-    a += b" in lines and "+    a -= b" in lines
    assert "m.f: equivalent_mutants lists f:arith:1, but a test kills that mutant: unlist it." in lines


def test_only_runs_just_the_named_mutants(tmp_path):
    """With --only KEY, are just those mutants judged (and stale entries still told)?"""
    root = fake_kit(tmp_path)
    ex = Exercise("m.f", {"en": "F"}, 1.0, ("f",), equivalent_mutants={"f:arith:99": "gone"})
    judged = []
    judge = FakeJudge(root, ("a -= b",))
    honest = judge.passes
    judge.passes = lambda ex, source, timeout: judged.append(source) or honest(ex, source, timeout)
    result = mutate_exercise(judge, ex, only=frozenset({"f:arith:5", "f:keepdims:1"}))
    assert sorted(m.key for m in [*result.killed, *result.survived]) == ["f:arith:5", "f:keepdims:1"]
    assert [m.key for m in result.survived] == ["f:arith:5"] and len(judged) == 3  # the reference, then the two
    assert result.stale == [("f:arith:99", "missing")]


def test_a_failing_reference_judges_nothing(tmp_path):
    """When the solution itself fails, is no mutant counted as killed?"""
    root = fake_kit(tmp_path)
    judge = FakeJudge(root, ())
    judge.passes = lambda ex, source, timeout: False
    result = mutate_exercise(judge, Exercise("m.f", {"en": "F"}, 1.0, ("f",)))
    assert result.reference_fails and result.tried == 0 and not result.ok
    assert any(line.startswith("m.f: the solution itself fails its tests") for line in report([result], root, "en"))


def test_manifest_equivalent_mutants(tmp_path):
    """Is equivalent_mutants optional, read as key = reason, and refused when a reason is missing?"""
    base = '[[module]]\nid = "m"\ntitle = "M"\n[[exercise]]\nid = "m.f"\ntitle = "T"\npoints = 1\nfunctions = []\n'
    (tmp_path / "curriculum.toml").write_text(base, encoding="utf-8")
    assert manifest.load(tmp_path).exercise("m.f").equivalent_mutants == {}
    (tmp_path / "curriculum.toml").write_text(base + 'equivalent_mutants = { "f:drop:1" = "numpy checks it too" }\n',
                                              encoding="utf-8")
    assert manifest.load(tmp_path).exercise("m.f").equivalent_mutants == {"f:drop:1": "numpy checks it too"}
    (tmp_path / "curriculum.toml").write_text(base + 'equivalent_mutants = { "f:drop:1" = "" }\n', encoding="utf-8")
    with pytest.raises(manifest.ManifestError, match="equivalent_mutants must be a table of 'function:operator:n'"):
        manifest.load(tmp_path)


def test_dev_mutate_runs_one_exercise(nnlings, kit):
    """Does `nnlings dev mutate activations.relu --limit 3` run three mutants, show progress, print the table
    and each survivor as a diff, and exit 0 or 1 by the kill rate?"""
    done = nnlings(kit, "dev", "mutate", "activations.relu", "--limit", "3")
    assert "activations.relu: mutant 3 of 3" in done.stderr and "Traceback" not in done.stderr
    row = re.search(r"^activations\.relu\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)%$", done.stdout, re.M)
    assert row, done.stdout
    mutants_, killed, equivalent, survived = map(int, row.groups()[:4])
    assert mutants_ == 3 and killed + equivalent + survived == 3 and killed >= 1  # the tests catch something
    assert done.stdout.count("+++ solutions/activations/relu.py (") == survived
    assert done.returncode == (0 if killed / max(killed + survived, 1) >= 0.9 else 1)


def test_dev_mutate_unknown_id(nnlings, kit):
    """Is an unknown id one sentence and exit 2?"""
    done = nnlings(kit, "dev", "mutate", "nope.nothing")
    assert done.returncode == 2 and "nope.nothing" in done.stdout and "Traceback" not in done.stdout + done.stderr
