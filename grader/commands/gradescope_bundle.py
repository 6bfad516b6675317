"""`nnlings gradescope ASSIGNMENT.toml --out autograder.zip`: a Gradescope autograder for an assignment."""

from __future__ import annotations

from pathlib import Path

from grader.core.context import Context, UsageError
from grader.core.i18n import t
from grader.grading.assignment import AssignmentError, load_assignment
from grader.grading.release.bundle import write_bundle


def add_arguments(parser) -> None:
    parser.add_argument("assignment", help="the assignment file (TOML): title, modules and/or exercises, points")
    parser.add_argument("--out", default="autograder.zip", help="the zip to write (default: autograder.zip)")


def run(args, ctx: Context) -> int:
    try:
        assignment = load_assignment(Path(args.assignment), ctx.manifest, ctx.lang)
    except AssignmentError as err:
        raise UsageError(str(err)) from None
    try:
        out = write_bundle(ctx.root, assignment, Path(args.out), ctx.lang)
    except OSError as err:
        raise UsageError(t("bundle.write_failed", ctx.lang, path=args.out, detail=err)) from None
    ctx.say(t("bundle.written", ctx.lang, path=out, count=len(assignment.exercise_ids),
              visibility=assignment.visibility))
    return 0
