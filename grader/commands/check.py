"""`nnlings check [ID]`: run one exercise (default: the next unfinished) and show its verdict."""

from __future__ import annotations

from grader.commands.context import Context
from grader.commands.progress import measure, next_line
from grader.i18n import t
from grader.paths import exercise_file
from grader.render.terminal import highlight, use_colour

SHOWN_FAILURES = 2


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


def show(ctx: Context, result, todo_key: str = "cli.check_todo", failures: int = SHOWN_FAILURES) -> None:
    path = ctx.rel(exercise_file(ctx.root / "exercises", result.id))
    if result.status == "passed":
        ctx.say(t("cli.check_passed", ctx.lang, id=result.id))
        return
    if result.status == "todo":
        ctx.say(t(todo_key, ctx.lang, id=result.id, path=path))
        return
    bad = [test for test in result.tests if test.status not in ("passed", "todo")]
    for test in bad[:failures]:
        ctx.say(highlight(test.message.rstrip(), ctx.lang, use_colour(ctx.out)))
        ctx.say()
    passed = sum(test.passed for test in result.tests)
    total = sum(test.total for test in result.tests)
    ctx.say(t("cli.check_failed", ctx.lang, id=result.id, passed=passed, total=total))
