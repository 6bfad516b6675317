"""`nnlings dev new|sync|check|gallery|mutate`: the author's tools."""

from __future__ import annotations

import sys

from grader.authoring import gallery, mutate_report, mutate_run, scaffold, selfcheck
from grader.core import sync
from grader.core.context import Context, UsageError
from grader.core.i18n import t
from grader.core.paths import exercise_file


def run_new(args, ctx: Context) -> int:
    try:
        written = scaffold.new_exercise(ctx.root, ctx.manifest, args.module, args.name)
    except scaffold.ScaffoldError as err:
        raise UsageError(t("dev.new_refused", ctx.lang, reason=str(err))) from None
    for path in written:
        ctx.say(t("dev.sync_wrote", ctx.lang, path=ctx.rel(path)))
    ctx.say(t("dev.new_next", ctx.lang, id=f"{args.module}.{args.name}"))
    return 0


def run_sync(args, ctx: Context) -> int:
    written = sync.sync(ctx.root, ctx.manifest)
    for path in written:
        ctx.say(t("dev.sync_wrote", ctx.lang, path=ctx.rel(path)))
    if not written:
        ctx.say(t("dev.sync_clean", ctx.lang, count=len(sync.planned(ctx.root, ctx.manifest))))
    return 0


def run_check(args, ctx: Context) -> int:
    ctx.say("nnlings dev check: layout, stubs, solutions, stubs-as-todo, mistakes ...")
    unknown = [i for i in args.ids if ctx.manifest.find(i) is None]
    if unknown:
        ctx.say(t("dev.check_unknown", ctx.lang, ids=", ".join(unknown)))
        return 2
    found = selfcheck.self_check(ctx.root, ctx.manifest, only=args.ids or None)
    summary = ", ".join(f"{v} {'exercise' if (k, v) == ('exercises', 1) else k}" for k, v in found.counts.items())
    if found.problems:
        ctx.say(t("dev.check_failed", ctx.lang, count=len(found.problems)))
        for problem in found.problems:
            ctx.say("- " + problem)
        ctx.say(summary)
        return 1
    ctx.say(t("dev.check_ok", ctx.lang, summary=summary))
    return 0


def run_gallery(args, ctx: Context) -> int:
    path, count = gallery.write(ctx.root, ctx.manifest, lang=ctx.lang)
    ctx.say(t("dev.gallery_wrote", ctx.lang, path=ctx.rel(path), count=count))
    return 0


def run_mutate(args, ctx: Context) -> int:
    unknown = [i for i in args.ids if ctx.manifest.find(i) is None]
    if unknown:
        ctx.say(t("dev.check_unknown", ctx.lang, ids=", ".join(unknown)))
        return 2
    exercises = [ex for ex in ctx.manifest.exercises if (not args.ids or ex.id in args.ids)
                 and exercise_file(ctx.root / "solutions", ex.id).is_file()]
    judge = mutate_run.Judge(ctx.root, args.jobs)
    show = mutate_report.progress(ctx.lang, sys.stderr)
    try:
        results = [mutate_run.mutate_exercise(judge, ex, args.limit, show, frozenset(args.only or ())) for ex in exercises]
    finally:
        judge.close()
    for line in mutate_report.report(results, ctx.root, ctx.lang):
        ctx.say(line)
    return 0 if all(r.ok for r in results) else 1
