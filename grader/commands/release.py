"""`nnlings release ASSIGNMENT.toml --out DIR`: write a student repository for an assignment, without solutions."""

from __future__ import annotations

import sys
from pathlib import Path

from grader.core.context import Context, UsageError
from grader.core.i18n import t
from grader.grading.assignment import AssignmentError, load_assignment
from grader.grading.release.build import ReleaseError, write_release


def add_arguments(parser) -> None:
    parser.add_argument("assignment", help="the assignment file (TOML): title, modules and/or exercises, points, due")
    parser.add_argument("--out", required=True, help="the folder to write the student repository to (new or empty)")
    parser.add_argument("--with-mistakes", action="store_true",
                        help="also ship the catalogues of classic mistakes (they reveal much of the solutions)")


def run(args, ctx: Context) -> int:
    try:
        assignment = load_assignment(Path(args.assignment), ctx.manifest, ctx.lang)
        if args.with_mistakes:
            print(t("release.mistakes_warning", ctx.lang), file=sys.stderr)
        out = write_release(ctx.root, ctx.manifest, assignment, Path(args.out),
                            with_mistakes=args.with_mistakes, lang=ctx.lang)
    except (AssignmentError, ReleaseError) as err:
        raise UsageError(str(err)) from None
    except OSError as err:
        raise UsageError(t("release.write_failed", ctx.lang, path=args.out, detail=err)) from None
    ctx.say(t("release.written", ctx.lang, path=out, count=len(assignment.exercise_ids), title=assignment.title))
    ctx.say(t("release.next_steps", ctx.lang, path=out))
    return 0
