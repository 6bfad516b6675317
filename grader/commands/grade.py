"""`nnlings grade SUBMISSION`: score a submission folder and write a report (JSON or Gradescope)."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

from grader.commands.context import Context, UsageError
from grader.i18n import t
from grader.paths import exercise_file
from grader.pipeline import evaluate
from grader.render import gradescope, json_report

FORMATS = ("json", "gradescope")


def submission_tree(ctx: Context, given: str) -> Path:
    """The folder laid out like exercises/: the path itself, its exercises/ when it is a repository,
    or the exercise cells of a notebook written out to a temporary folder."""
    path = Path(given).expanduser().resolve()
    if path.suffix == ".ipynb" and path.is_file():
        from grader.notebook.extract import temporary_tree  # nbformat costs 0.15 s; only notebooks need it

        try:
            return temporary_tree(path, ctx.manifest, lang=ctx.lang)
        except ValueError as err:
            raise UsageError(str(err)) from None
    for candidate in (path / "exercises", path):
        if candidate.is_dir() and any(exercise_file(candidate, e.id).is_file() for e in ctx.manifest.exercises):
            return candidate
    raise UsageError(t("cli.grade_missing", ctx.lang, path=given))


def write(text: str, out: str | None, ctx: Context) -> None:
    if out is None:
        ctx.out.write(text)
        return
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)  # never a half-written report
    print(t("cli.grade_written", ctx.lang, path=out), file=sys.stderr)


def run(args, ctx: Context) -> int:
    tree = submission_tree(ctx, args.submission)
    seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    ids = [e.id for e in ctx.manifest.exercises]
    if Path(args.submission).suffix == ".ipynb":
        # A notebook holds one module's exercises: grade those it contains (an assignment will fix the scope).
        ids = [i for i in ids if exercise_file(tree, i).is_file()]
    report = evaluate(ctx.root, ctx.manifest, ids, str(tree), seed=seed, lang=ctx.lang, submission=args.submission)
    rendered = gradescope.render(report, ctx.lang) if args.format == "gradescope" else json_report.render(report)
    write(rendered, args.out, ctx)
    if report.error:
        return 2
    return 0 if report.all_passed else 1
