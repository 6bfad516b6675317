"""`nnlings progress`: run every exercise's tests and show a table per module, then the next exercise."""

from __future__ import annotations

from grader.core.context import Context, UsageError
from grader.core.i18n import t
from grader.core.manifest import text
from grader.core.paths import exercise_file
from grader.grading.pipeline import evaluate
from grader.learner import state
from grader.learner.terminal import progress_table, use_colour


def measure(ctx: Context, exercise_ids: list[str]):
    """Run the learner's exercises, cache the statuses, and return the report."""
    print(t("cli.running", ctx.lang, what=exercise_ids[0] if len(exercise_ids) == 1 else "exercises/"),
          file=ctx.out, flush=True)
    report = evaluate(ctx.root, ctx.manifest, exercise_ids, "exercises", lang=ctx.lang)
    if report.error:
        raise UsageError(t("cli.test_run_broke", ctx.lang, detail=report.error))
    state.remember(ctx.root, report.exercises)
    return report


def next_line(ctx: Context, results) -> str:
    pending = next((r for r in results if r.status != "passed"), None)
    if pending is None:
        return t("cli.all_done", ctx.lang)
    ex = ctx.manifest.exercise(pending.id)
    return t("cli.next", ctx.lang, id=ex.id, title=text(ex.title, ctx.lang),
             path=ctx.rel(exercise_file(ctx.root / "exercises", ex.id)))


def run(args, ctx: Context) -> int:
    report = measure(ctx, [e.id for e in ctx.manifest.exercises])
    statuses = {r.id: r.status for r in report.exercises}
    scores = {r.id: r.score for r in report.exercises}
    for line in progress_table(ctx.manifest, statuses, scores, ctx.lang, use_colour(ctx.out)):
        ctx.say(line)
    ctx.say()
    ctx.say(next_line(ctx, report.exercises))
    return 0
