"""Write one notebook per module: a setup cell, a title, then per exercise its explanation, stub and check."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
from nbformat import v4

from grader.core.i18n import t
from grader.core.manifest import Exercise, Manifest, text
from grader.core.paths import exercise_file
from grader.core.sync import make_stub
from grader.learner.notebook.tags import SETUP_TAG, TAG_PREFIX, magic_line

SETUP = "%load_ext grader.learner.notebook"


def stub_text(root: Path, ex: Exercise) -> str:
    """The stub as `nnlings dev sync` writes it; in a released repository without solutions, the committed stub."""
    solution = exercise_file(root / "solutions", ex.id)
    if solution.is_file():
        return make_stub(solution.read_text(encoding="utf-8"), ex.id, str(solution.relative_to(root)))
    return exercise_file(root / "exercises", ex.id).read_text(encoding="utf-8")  # FileNotFoundError if neither


def summary(ex: Exercise, stub: str, lang: str) -> str:
    """The exercise's intro in `lang`; without one, the first line of the stub's module docstring."""
    intro = text(ex.intro, lang)
    if intro:
        return intro
    try:
        doc = ast.get_docstring(ast.parse(stub)) or ""
    except SyntaxError:
        return ""
    return doc.strip().split("\n", 1)[0]


def _cell_id(exercise_id: str, part: str) -> str:
    # Fixed ids (instead of nbformat's random ones) so that rebuilding a notebook gives the same file.
    return f"{exercise_id.replace('.', '-')}-{part}"


def exercise_cells(root: Path, ex: Exercise, lang: str) -> list:
    """Explanation, stub and check cells for one exercise."""
    stub = stub_text(root, ex)
    path = f"exercises/{ex.module}/{ex.name}.py"
    explain = "\n\n".join(part for part in (f"## {text(ex.title, lang)}", summary(ex, stub, lang),
                                            t("notebook.mirrors", lang, path=path, id=ex.id)) if part)
    source = magic_line(ex.id) + "\n" + stub.rstrip("\n")
    return [
        v4.new_markdown_cell(explain, id=_cell_id(ex.id, "explain")),
        v4.new_code_cell(source, id=_cell_id(ex.id, "stub"),
                         metadata={"tags": [TAG_PREFIX + ex.id], "nnlings": {"exercise": ex.id}}),
        v4.new_code_cell(f'nnlings_check("{ex.id}")', id=_cell_id(ex.id, "check"),
                         metadata={"nnlings": {"check": ex.id}}),
    ]


def build_notebook(root: Path, manifest: Manifest, module_id: str, lang: str) -> nbformat.NotebookNode:
    """The notebook for `module_id` in `lang`; raises KeyError for a module the manifest does not declare."""
    module = next((m for m in manifest.modules if m.id == module_id), None)
    if module is None:
        raise KeyError(module_id)
    setup = v4.new_code_cell(f"{SETUP}\n%nnlings_lang {lang}", id="nnlings-setup", metadata={"tags": [SETUP_TAG]})
    title = v4.new_markdown_cell(f"# {text(module.title, lang)}\n\n{t('notebook.how_to', lang)}", id="nnlings-title")
    cells = [setup, title]
    for ex in manifest.in_module(module_id):
        cells += exercise_cells(root, ex, lang)
    nb = v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "nnlings": {"module": module_id, "lang": lang},
    })
    nbformat.validate(nb)
    return nb


def modules_with_exercises(manifest: Manifest) -> list[str]:
    return [m.id for m in manifest.modules if manifest.in_module(m.id)]
