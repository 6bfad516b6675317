"""Notebooks: built per module, valid, run top to bottom in a real kernel, and graded from their cells."""

import argparse
import io

import nbformat
import pytest

from grader.commands import grade
from grader.commands import notebook as notebook_cmd
from grader.core import manifest
from grader.core.context import Context, UsageError
from grader.core.i18n import t
from grader.core.manifest import text
from grader.core.paths import exercise_file
from grader.grading.pipeline import evaluate
from grader.learner.notebook.build import build_notebook, modules_with_exercises, stub_text
from grader.learner.notebook.extract import extract_tree
from grader.learner.notebook.tags import SETUP_TAG, magic_line

SOLVED_MODULE = "attention"  # two short exercises: enough to show that each cell is checked on its own
UNTOUCHED_MODULE = "activations"
KERNEL_TIMEOUT = 300  # seconds for a whole notebook; each check starts pytest, which imports torch


def stub_cells(nb) -> dict[str, dict]:
    return {c.metadata["nnlings"]["exercise"]: c for c in nb.cells if "exercise" in c.metadata.get("nnlings", {})}


def check_cells(nb) -> dict[str, dict]:
    return {c.metadata["nnlings"]["check"]: c for c in nb.cells if "check" in c.metadata.get("nnlings", {})}


def output_text(cell) -> str:
    return "".join(out.get("text", "") for out in cell.get("outputs", ()) if out.output_type == "stream")


def solve(nb, root):
    """Replace each stub cell's body with the solution, keeping its `%%nnlings ID` first line."""
    for exercise_id, cell in stub_cells(nb).items():
        cell.source = magic_line(exercise_id) + "\n" + exercise_file(root / "solutions", exercise_id).read_text()
    return nb


def execute(nb, root):
    """Run `nb` top to bottom in a python3 kernel started in `root`, as a learner's Jupyter would."""
    from nbclient import NotebookClient

    with pytest.MonkeyPatch.context() as mp:
        for var in ("NNLINGS_LANG", "NNLINGS_IMPL", "NNLINGS_SEED"):
            mp.delenv(var, raising=False)
        mp.setenv("NNLINGS_ROOT", str(root))
        NotebookClient(nb, kernel_name="python3", timeout=KERNEL_TIMEOUT,
                       resources={"metadata": {"path": str(root)}}).execute()
    errors = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "code"
              for out in c.outputs if out.output_type == "error"]
    assert not errors, f"cells that raised: {errors}"
    return nb


@pytest.fixture(scope="module")
def solved(kit, tmp_path_factory):
    """The solved attention notebook, executed and saved."""
    nb = execute(solve(build_notebook(kit, manifest.load(kit), SOLVED_MODULE, "en"), kit), kit)
    path = tmp_path_factory.mktemp("solved") / f"{SOLVED_MODULE}.ipynb"
    nbformat.write(nb, str(path))
    return path


@pytest.fixture(scope="module")
def untouched(kit, tmp_path_factory):
    """The activations notebook in Chinese with its stubs as built, plus a check for a cell that is not there."""
    nb = build_notebook(kit, manifest.load(kit), UNTOUCHED_MODULE, "zh")
    nb.cells.append(nbformat.v4.new_code_cell('nnlings_check("losses.mse")'))
    nb = execute(nb, kit)
    path = tmp_path_factory.mktemp("untouched") / f"{UNTOUCHED_MODULE}.ipynb"
    nbformat.write(nb, str(path))
    return path


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_notebook_validates(kit, lang):
    """Is every module's notebook valid nbformat 4, with setup, explanation, tagged stub and check cells in order?"""
    found = manifest.load(kit)
    modules = modules_with_exercises(found)
    assert modules
    for module_id in modules:
        nb = build_notebook(kit, found, module_id, lang)
        nbformat.validate(nb)
        nbformat.validate(nbformat.reads(nbformat.writes(nb), as_version=4))
        setup, title = nb.cells[0], nb.cells[1]
        assert setup.cell_type == "code" and setup.source.startswith("%load_ext grader.learner.notebook")
        assert setup.metadata["tags"] == [SETUP_TAG]
        module = next(m for m in found.modules if m.id == module_id)
        assert title.cell_type == "markdown" and text(module.title, lang) in title.source
        exercises = found.in_module(module_id)
        assert len(nb.cells) == 2 + 3 * len(exercises)
        for i, ex in enumerate(exercises):
            explain, stub, check = nb.cells[2 + 3 * i: 5 + 3 * i]
            assert explain.cell_type == "markdown" and text(ex.title, lang) in explain.source
            assert f"exercises/{ex.module}/{ex.name}.py" in explain.source
            assert stub.source == magic_line(ex.id) + "\n" + stub_text(kit, ex).rstrip("\n")
            assert stub.metadata == {"tags": [f"nnlings:{ex.id}"], "nnlings": {"exercise": ex.id}}
            assert check.cell_type == "code" and check.source == f'nnlings_check("{ex.id}")'


def test_notebook_command_writes_each_module(kit, tmp_path):
    """Does `nnlings notebook --out DIR` write one notebook per module and say so once per file?"""
    parser = argparse.ArgumentParser()
    notebook_cmd.add_arguments(parser)
    out = io.StringIO()
    ctx = Context(kit, manifest.load(kit), "en", out=out)
    assert notebook_cmd.run(parser.parse_args(["--out", str(tmp_path)]), ctx) == 0
    modules = modules_with_exercises(ctx.manifest)
    assert sorted(p.name for p in tmp_path.glob("*.ipynb")) == sorted(f"{m}.ipynb" for m in modules)
    assert len(out.getvalue().splitlines()) == len(modules)
    for path in tmp_path.glob("*.ipynb"):
        nbformat.validate(nbformat.read(path, as_version=4))

    single = tmp_path / "one"
    assert notebook_cmd.run(parser.parse_args(["losses", "--out", str(single)]), ctx) == 0
    assert [p.name for p in single.iterdir()] == ["losses.ipynb"]


def test_notebook_command_unknown_module(kit):
    """Is an unknown module a sentence that lists the modules, not a traceback?"""
    parser = argparse.ArgumentParser()
    notebook_cmd.add_arguments(parser)
    ctx = Context(kit, manifest.load(kit), "en", out=io.StringIO())
    with pytest.raises(UsageError, match="no module 'nosuch'.*activations"):
        notebook_cmd.run(parser.parse_args(["nosuch"]), ctx)


def test_extract_untouched_gives_the_stubs(kit, tmp_path):
    """Does extracting an untouched notebook give back exactly the stub files, byte for byte?"""
    found = manifest.load(kit)
    path = tmp_path / "attention.ipynb"
    nbformat.write(build_notebook(kit, found, "attention", "en"), str(path))
    tree = extract_tree(path, found, tmp_path / "tree")
    for ex in found.in_module("attention"):
        assert exercise_file(tree, ex.id).read_text() == stub_text(kit, ex).rstrip("\n") + "\n"


def test_extract_by_first_line_and_ignores_unknown_ids(kit, tmp_path):
    """Is an untagged `%%nnlings ID` cell extracted, the magic line stripped, and an unknown id ignored?"""
    found = manifest.load(kit)
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("%%nnlings losses.mse\nimport numpy as np\n"),
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["nnlings:nosuch.thing"]}),
        nbformat.v4.new_code_cell("y = 2", metadata={"tags": ["nnlings:layers.dropout"]}),
    ])
    path = tmp_path / "mine.ipynb"
    nbformat.write(nb, str(path))
    tree = extract_tree(path, found, tmp_path / "tree")
    assert exercise_file(tree, "losses.mse").read_text() == "import numpy as np\n"
    assert exercise_file(tree, "layers.dropout").read_text() == "y = 2\n"
    assert sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*.py")) == ["layers/dropout.py", "losses/mse.py"]


def test_extract_without_exercise_cells(kit, tmp_path):
    """Is a notebook without exercise cells a ValueError with a sentence, and a usage error for `grade`?"""
    found = manifest.load(kit)
    path = tmp_path / "empty.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)")]), str(path))
    with pytest.raises(ValueError, match="holds no exercise cell"):
        extract_tree(path, found, tmp_path / "tree")
    with pytest.raises(UsageError, match="holds no exercise cell"):
        grade.submission_tree(Context(kit, found, "en"), str(path))
    broken = tmp_path / "broken.ipynb"
    broken.write_text("not json")
    with pytest.raises(UsageError, match="cannot be read as a notebook"):
        grade.submission_tree(Context(kit, found, "en"), str(broken))


@pytest.mark.timeout(KERNEL_TIMEOUT)
def test_solved_notebook_checks_pass_in_a_kernel(kit, solved):
    """Run top to bottom in Jupyter with the solutions in its cells, does every check cell say it passes?"""
    nb = nbformat.read(solved, as_version=4)
    checks = check_cells(nb)
    in_module = [e.id for e in manifest.load(kit).exercises if e.id.split(".")[0] == SOLVED_MODULE]
    assert set(checks) == set(stub_cells(nb)) == set(in_module)
    for exercise_id, cell in checks.items():
        assert t("cli.check_passed", "en", id=exercise_id) in output_text(cell), output_text(cell)


@pytest.mark.timeout(KERNEL_TIMEOUT)
def test_solved_notebook_grades_full_marks(kit, solved, tmp_path):
    """Does grading the executed solved notebook give full marks for its exercises, also through `grade`?"""
    found = manifest.load(kit)
    ids = [ex.id for ex in found.in_module(SOLVED_MODULE)]
    tree = extract_tree(solved, found, tmp_path / "tree")
    assert grade.submission_tree(Context(kit, found, "en"), str(solved)).is_dir()
    report = evaluate(kit, found, ids, str(tree), seed=11)
    assert report.error is None
    assert [r.status for r in report.exercises] == ["passed"] * len(ids)
    assert report.score == report.possible == sum(ex.points for ex in found.in_module(SOLVED_MODULE))


@pytest.mark.timeout(KERNEL_TIMEOUT)
def test_untouched_notebook_is_todo_and_grades_zero(kit, untouched, tmp_path):
    """Does a notebook with its stubs as built check as not started (in its language) and grade 0?"""
    found = manifest.load(kit)
    nb = nbformat.read(untouched, as_version=4)
    ids = [ex.id for ex in found.in_module(UNTOUCHED_MODULE)]
    for exercise_id in ids:
        said = output_text(check_cells(nb)[exercise_id])
        assert t("notebook.check_todo", "zh", id=exercise_id) in said, said
    assert output_text(nb.cells[-1]).strip() == t("notebook.no_cell", "zh", id="losses.mse")
    report = evaluate(kit, found, ids, str(extract_tree(untouched, found, tmp_path / "tree")), seed=11)
    assert report.error is None
    assert {r.status for r in report.exercises} == {"todo"} and report.score == 0
