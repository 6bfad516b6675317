"""The `nnlings` command: a thin argparse layer over one function per command."""

from __future__ import annotations

import argparse
import os
import sys

from grader.core import manifest as manifest_mod
from grader.commands import (check, dev, grade, gradescope_bundle, hint, listing, notebook, progress, release, reset,
                             solution, watch)
from grader.core.context import Context, UsageError
from grader.core.i18n import resolve_lang, t
from grader.core.paths import KitNotFound, kit_root


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="nnlings", description="Learn deep learning from first principles.")
    top.add_argument("--lang", help="en or zh (default: NNLINGS_LANG, then the system locale, then en)")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, func, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--lang", help=argparse.SUPPRESS, dest="sub_lang")
        p.set_defaults(func=func)
        return p

    add("list", listing.run, "list the exercises in order, with their last known status")
    p = add("check", check.run, "check one exercise (default: the next unfinished one)")
    p.add_argument("id", nargs="?", help="exercise id, such as activations.softmax")
    p = add("hint", hint.run, "show the next hint for an exercise")
    p.add_argument("id", nargs="?")
    p.add_argument("--all", action="store_true", help="show every hint at once")
    add("progress", progress.run, "run every exercise and show progress per module")
    p = add("watch", watch.run, "recheck the current exercise on every save")
    watch.add_arguments(p)
    reset.add_arguments(add("reset", reset.run, "put back the original stub of an exercise (keeps a backup)"))
    solution.add_arguments(add("solution", solution.run, "show the reference solution of an exercise you passed"))
    notebook.add_arguments(add("notebook", notebook.run, "write one Jupyter notebook per module (default folder: notebooks/)"))
    grade.add_arguments(add("grade", grade.run, "grade one submission, or a whole class with --out-dir"))
    release.add_arguments(add("release", release.run, "write a student repository for an assignment (no solutions)"))
    gradescope_bundle.add_arguments(add("gradescope", gradescope_bundle.run, "build a Gradescope autograder zip"))
    p = sub.add_parser("dev", help="author tools: new, sync, check, gallery, mutate")
    dev_sub = p.add_subparsers(dest="dev_command", metavar="DEV_COMMAND", required=True)
    for name, func, help_text in (("new", dev.run_new, "start an exercise: solution, stub, tests, mistakes, entry"),
                                  ("sync", dev.run_sync, "write the stubs from the solutions"),
                                  ("check", dev.run_check, "the self-check: layout, sync, solutions, stubs, mistakes"),
                                  ("gallery", dev.run_gallery, "write docs/gallery.md from the tests"),
                                  ("mutate", dev.run_mutate, "mutation testing: how many small bugs in each "
                                                             "solution its tests catch, survivors as diffs")):
        q = dev_sub.add_parser(name, help=help_text)
        q.add_argument("--lang", help=argparse.SUPPRESS, dest="sub_lang")
        if name == "check":
            q.add_argument("ids", nargs="*", metavar="ID", help="run the checks of these exercises only (default: all)")
        if name == "mutate":
            q.add_argument("ids", nargs="*", metavar="ID", help="mutate these exercises only (default: all)")
            q.add_argument("--limit", type=_positive, metavar="N",
                           help="run at most N mutants per exercise, spread over the file (default: all)")
            q.add_argument("--jobs", type=_positive, default=1, metavar="N", help="run N mutants at a time (default 1)")
            q.add_argument("--only", action="append", metavar="KEY",
                           help="run only the mutant with this key, such as relu:drop:1 (repeatable)")
        if name == "new":
            q.add_argument("module", help="the module, such as activations (a new one is declared too)")
            q.add_argument("name", help="the exercise and its first function, such as swish")
        q.set_defaults(func=func)
    return top


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    lang = resolve_lang(getattr(args, "sub_lang", None) or args.lang)
    if not getattr(args, "func", None):
        parser().print_help()
        return 2
    try:
        root = kit_root()
        ctx = Context(root, manifest_mod.load(root), lang)
        return args.func(args, ctx)
    except KitNotFound as err:
        print(t("cli.no_kit", lang, detail=err), file=sys.stderr)
    except manifest_mod.ManifestError as err:
        print(t("cli.bad_manifest", lang, detail=err), file=sys.stderr)
    except UsageError as err:
        print(err, file=sys.stderr)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (`| head`) went away: stop quietly, and keep Python from complaining at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 2
