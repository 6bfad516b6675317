"""`nnlings notebook [MODULE] [--out DIR]`: write one Jupyter notebook per module."""

from __future__ import annotations

import os
from pathlib import Path

from grader.core.context import Context, UsageError
from grader.core.i18n import t


def add_arguments(parser) -> None:
    parser.add_argument("module", nargs="?", help="module id, such as activations (default: every module with exercises)")
    parser.add_argument("--out", help="folder for the notebooks (default: notebooks/ in the kit)")


def run(args, ctx: Context) -> int:
    # nbformat costs 0.15 s to import; only this command needs it, so every other command starts faster.
    import nbformat

    from grader.learner.notebook.build import build_notebook, modules_with_exercises

    known = modules_with_exercises(ctx.manifest)
    if args.module and args.module not in known:
        raise UsageError(t("notebook.unknown_module", ctx.lang, module=args.module, known=", ".join(known)))
    out = Path(args.out) if args.out else ctx.root / "notebooks"
    for module_id in [args.module] if args.module else known:
        try:
            nb = build_notebook(ctx.root, ctx.manifest, module_id, ctx.lang)
        except FileNotFoundError as err:
            raise UsageError(t("notebook.missing_stub", ctx.lang, path=err.filename)) from None
        target = out / f"{module_id}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        nbformat.write(nb, str(tmp))
        os.replace(tmp, target)  # never a half-written notebook
        ctx.say(t("notebook.wrote", ctx.lang, path=ctx.rel(target.resolve())))
    return 0
