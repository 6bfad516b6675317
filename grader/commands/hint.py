"""`nnlings hint [ID] [--all]`: one more hint each time, from the idea to near-pseudocode."""

from __future__ import annotations

from grader.core.context import Context
from grader.core.i18n import t
from grader.core.paths import exercise_file
from grader.learner import state


def default_exercise(ctx: Context) -> str:
    """The first exercise not known to pass, from the cached statuses."""
    data = state.load(ctx.root)
    for ex in ctx.manifest.exercises:
        if state.cached_status(ctx.root, data, ex.id) != "passed":
            return ex.id
    return ctx.manifest.exercises[-1].id


def run(args, ctx: Context) -> int:
    ex = ctx.exercise(args.id or default_exercise(ctx))
    hints = ex.hint_list(ctx.lang)
    data = state.load(ctx.root)
    seen = int(data["hints"].get(ex.id, 0))
    upto = len(hints) if args.all else min(seen + 1, len(hints))
    for n in range(1 if args.all else upto, upto + 1):
        ctx.say(t("cli.hint_header", ctx.lang, n=n, total=len(hints), id=ex.id))
        ctx.say("  " + hints[n - 1])
        ctx.say()
    data["hints"][ex.id] = max(seen, upto)
    state.save(ctx.root, data)
    if upto < len(hints):
        ctx.say(t("cli.hint_more", ctx.lang, id=ex.id))
    else:
        ctx.say(t("cli.hint_last", ctx.lang, path=ctx.rel(exercise_file(ctx.root / "exercises", ex.id))))
    return 0
