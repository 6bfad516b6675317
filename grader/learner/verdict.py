"""A checked exercise's verdict on the terminal: passed, not started, or its first failure messages."""

from __future__ import annotations

from grader.core.context import Context
from grader.core.i18n import t
from grader.core.paths import exercise_file
from grader.learner.terminal import highlight, use_colour

SHOWN_FAILURES = 2


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
