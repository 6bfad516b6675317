"""`nnlings solution ID`: the reference solution, once the learner has earned the right to see it."""

from __future__ import annotations

from grader.commands.progress import measure
from grader.core.context import Context, UsageError
from grader.core.i18n import t
from grader.core.paths import exercise_file
from grader.core.sync import BEGIN, END
from grader.learner import state


def add_arguments(parser) -> None:
    parser.add_argument("id", help="exercise id, such as activations.softmax")


def unlocked(ctx: Context, exercise_id: str) -> bool:
    """Passed (checked now if the cache is stale), or enough failed attempts where the assignment allows."""
    data = state.load(ctx.root)
    status = state.cached_status(ctx.root, data, exercise_id)
    if status is None:
        status = measure(ctx, [exercise_id]).exercises[0].status
    if status == "passed":
        return True
    after = ctx.manifest.learner.solution_after_attempts
    return bool(after) and int(state.load(ctx.root).get("attempts", {}).get(exercise_id, 0)) >= after


def run(args, ctx: Context) -> int:
    ctx.exercise(args.id)
    source = exercise_file(ctx.root / "solutions", args.id)
    if not ctx.manifest.learner.show_solutions or not source.is_file():
        raise UsageError(t("solution.unavailable", ctx.lang, id=args.id))
    if not unlocked(ctx, args.id):
        after = ctx.manifest.learner.solution_after_attempts
        key = "solution.locked_attempts" if after else "solution.locked"
        ctx.say(t(key, ctx.lang, id=args.id, attempts=after))
        return 1
    lines = [line for line in source.read_text(encoding="utf-8").splitlines() if not (BEGIN.match(line) or END.match(line))]
    ctx.say(t("solution.header", ctx.lang, id=args.id, path=ctx.rel(source)))
    ctx.say()
    for line in lines:
        ctx.say(line)
    return 0
