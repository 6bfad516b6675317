"""`nnlings_check(ID)` in a notebook: run the exercise's tests on the cell's code and print the verdict."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from grader.core import manifest as manifest_mod
from grader.core.context import Context
from grader.core.i18n import t
from grader.core.paths import KitNotFound, exercise_file, kit_root
from grader.core.run import RunBroke, run_tests
from grader.core.score import score_exercise
from grader.learner.notebook import session
from grader.learner.verdict import show


def nnlings_check(exercise_id: str) -> None:
    """Print what `nnlings check ID` would print for the code of the `%%nnlings ID` cell. Never raises for a wrong answer."""
    lang = session.lang()
    try:
        root = kit_root()
        manifest = manifest_mod.load(root)
    except KitNotFound as err:
        print(t("cli.no_kit", lang, detail=err))
        return
    except manifest_mod.ManifestError as err:
        print(t("cli.bad_manifest", lang, detail=err))
        return
    ex = manifest.find(exercise_id)
    if ex is None:
        print(t("cli.unknown_exercise", lang, id=exercise_id))
        return
    code = session.CODE.get(exercise_id)
    if code is None:
        print(t("notebook.no_cell", lang, id=exercise_id))
        return
    print(t("cli.running", lang, what=exercise_id), flush=True)
    with tempfile.TemporaryDirectory(prefix="nnlings-notebook-") as tmp:
        path = exercise_file(Path(tmp), exercise_id)
        path.parent.mkdir(parents=True)
        path.write_text(code, encoding="utf-8")
        try:
            run = run_tests(root, [exercise_id], tmp, lang=lang, extra=("--nnlings-rerun=notebook",))
        except RunBroke as err:
            print(t("cli.test_run_broke", lang, detail=err))
            return
    if run.collect_errors:
        print(t("cli.test_run_broke", lang, detail="; ".join(e["nodeid"] for e in run.collect_errors)))
        return
    result = score_exercise(ex, [c for c in run.cases if c["exercise"] == exercise_id], lang)
    # `nnlings check` sends a learner who has not started to exercises/; here the code lives in the cell above.
    show(Context(root, manifest, lang, out=sys.stdout), result, todo_key="notebook.check_todo")
