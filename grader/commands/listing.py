"""`nnlings list`: every exercise in learning order, with its last known status."""

from __future__ import annotations

from grader.core.context import Context
from grader.core.i18n import t
from grader.core.manifest import text
from grader.learner import state
from grader.learner.terminal import exercise_line, use_colour


def run(args, ctx: Context) -> int:
    data = state.load(ctx.root)
    colour = use_colour(ctx.out)
    ctx.say(t("cli.list_header", ctx.lang))
    for module in ctx.manifest.modules:
        exercises = ctx.manifest.in_module(module.id)
        if not exercises:
            continue
        ctx.say()
        ctx.say(text(module.title, ctx.lang))
        for ex in exercises:
            ctx.say("  " + exercise_line(ex, state.cached_status(ctx.root, data, ex.id), ctx.lang, colour)
                    + f"  [{ex.points:g}]")
    return 0
