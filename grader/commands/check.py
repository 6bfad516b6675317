"""`nnlings check [ID]`: run one exercise (default: the next unfinished) and show its verdict."""

from __future__ import annotations

from grader.commands.progress import measure, next_line
from grader.core.context import Context
from grader.core.i18n import t
from grader.learner.verdict import show


def run(args, ctx: Context) -> int:
    if args.id:
        ctx.exercise(args.id)
        results = measure(ctx, [args.id]).exercises
    else:
        results = measure(ctx, [e.id for e in ctx.manifest.exercises]).exercises
    target = results[0] if args.id else next((r for r in results if r.status != "passed"), None)
    if target is None:
        ctx.say(t("cli.all_done", ctx.lang))
        return 0
    show(ctx, target)
    if target.status == "passed" and args.id:
        ctx.say(next_line(ctx, [r for r in results if r.id != target.id]) if len(results) > 1 else "")
    return 0 if target.status == "passed" else 1
