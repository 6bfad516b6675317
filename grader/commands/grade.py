"""`nnlings grade SUBMISSION [SUBMISSION ...]`: score one submission, or a whole class.

One submission: its report on standard output or in --out FILE (JSON, Gradescope, JUnit XML or Markdown); exit 0 when every
exercise passed, 1 when some did not, 2 when grading broke or the submission cannot be read.

Several (or any number with --out-dir DIR): graded in parallel with one seed, and written to
DIR/reports/<student>.json (.xml for JUnit), DIR/gradebook.csv and DIR/report.html. A submission that cannot be graded is
recorded as broken and the others go on; exit 0 when every submission passed everything, 1 otherwise.
"""

from __future__ import annotations

import atexit
import os
import secrets
import sys
from contextlib import ExitStack
from pathlib import Path

from grader.core.context import Context, UsageError
from grader.core.i18n import t
from grader.grading.batch import grade_all
from grader.grading.batch_output import write_atomic, write_class, write_report
from grader.grading.batch_progress import Progress
from grader.grading.pipeline import evaluate
from grader.grading.release.ci import step_summary
from grader.grading.render import gradescope, json_report, junit, protections
from grader.grading.submission import SubmissionError, opened

FORMATS = ("json", "gradescope", "junit", "markdown")


def add_arguments(parser) -> None:
    parser.add_argument("submission", nargs="+",
                        help="a folder laid out like exercises/, a repository that contains one, a .ipynb, "
                             "a .zip, or a local git repository at a ref written PATH@REF")
    parser.add_argument("--format", choices=FORMATS, default="json",
                        help="report format (with --out-dir: the format of each student's report)")
    parser.add_argument("--out", help="write the report of a single submission here instead of standard output")
    parser.add_argument("--out-dir", help="grade a class: write reports/, gradebook.csv and report.html here "
                                          "(required for several submissions)")
    parser.add_argument("--ci", action="store_true",
                        help="a student's own CI run: the report says it is advisory and names changed protected files; "
                             "exit 0 unless grading broke")
    parser.add_argument("--seed", type=int, help="seed for the inputs, shared by the whole class "
                                                 "(default: fresh for every run)")


def submission_tree(ctx: Context, given: str) -> Path:
    """The folder laid out like exercises/ for `given`, lasting until the process exits; UsageError when
    there is none."""
    stack = ExitStack()
    try:
        tree = stack.enter_context(opened(given, ctx.manifest, lang=ctx.lang))
    except SubmissionError as err:
        raise UsageError(str(err)) from None
    atexit.register(stack.close)  # an unpacked archive is removed at exit
    return tree.path


def write(text: str, out: str | None, ctx: Context) -> None:
    if out is None:
        ctx.out.write(text)
        return
    write_atomic(Path(out), text)  # never a half-written report
    print(t("cli.grade_written", ctx.lang, path=out), file=sys.stderr)


def run_one(args, ctx: Context, seed: int) -> int:
    """Today's single-submission grading: a submission that cannot be read is a usage error."""
    try:
        with opened(args.submission[0], ctx.manifest, lang=ctx.lang) as tree:
            report = evaluate(ctx.root, ctx.manifest, tree.exercise_ids, str(tree.path), seed=seed, lang=ctx.lang,
                              submission=args.submission[0], isolate=True, jobs=os.cpu_count() or 1)
    except SubmissionError as err:
        raise UsageError(str(err)) from None
    write(render(report, args, ctx), args.out, ctx)
    if not args.ci:  # a student's CI is advisory anyway, and its copy holds no solutions to read
        say_protections(report.protections, ctx)
    if report.error:
        return 2
    if args.ci:
        return 0  # advisory: a learner's unfinished work is not a broken build
    return 0 if report.all_passed else 1


def say_protections(held: dict[str, bool] | None, ctx: Context) -> None:
    """Tell the teacher, once, which of the runner's protections this machine could not give."""
    note = protections.warning(held, ctx.lang)
    if note:
        print(note, file=sys.stderr)


def render(report, args, ctx: Context) -> str:
    if args.format == "gradescope":
        return gradescope.render(report, ctx.lang)
    if args.format == "junit":
        return junit.render(report, ctx.lang)
    if args.format == "markdown":
        return step_summary(report, ctx.root, ctx.lang, ci=args.ci)
    return json_report.render(report)


def run_batch(args, ctx: Context, seed: int) -> int:
    out_dir = Path(args.out_dir)
    progress = Progress(len(args.submission), ctx.lang)

    def done(graded) -> None:
        write_report(out_dir, graded, args.format, ctx.lang)  # written as each finishes: an interrupted run keeps them
        progress.finished(graded)

    try:
        batch = grade_all(ctx.root, ctx.manifest, args.submission, seed=seed, lang=ctx.lang, on_done=done)
    finally:
        progress.close()
    seen = {ex.id for g in batch for ex in g.report.exercises}
    ids = [e.id for e in ctx.manifest.exercises if e.id in seen or not seen]
    write_class(out_dir, batch, seed=seed, exercise_ids=ids, lang=ctx.lang)
    say_protections(next((g.report.protections for g in batch if g.report.protections), None), ctx)
    broken = [g for g in batch if g.report.error]
    print(t("batch.written", ctx.lang, count=len(batch), dir=out_dir), file=sys.stderr)
    if broken:
        print(t("batch.broken_summary", ctx.lang, count=len(broken),
                students=", ".join(g.student for g in broken)), file=sys.stderr)
    return 0 if all(g.report.all_passed for g in batch) else 1


def run(args, ctx: Context) -> int:
    if args.out and args.out_dir:
        raise UsageError(t("batch.out_and_out_dir", ctx.lang))
    if args.out_dir and args.format == "markdown":
        raise UsageError(t("batch.no_markdown", ctx.lang))
    if len(args.submission) > 1 and not args.out_dir:
        raise UsageError(t("batch.needs_out_dir", ctx.lang, count=len(args.submission)))
    seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    return run_batch(args, ctx, seed) if args.out_dir else run_one(args, ctx, seed)
