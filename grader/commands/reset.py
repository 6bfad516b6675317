"""`nnlings reset ID`: put back the original stub, keeping the learner's file as a backup."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from grader.core.context import Context, UsageError
from grader.core.i18n import t
from grader.core.paths import exercise_file, split_id
from grader.core.sync import make_stub


def add_arguments(parser) -> None:
    parser.add_argument("id", help="exercise id, such as activations.softmax")
    parser.add_argument("--yes", action="store_true", help="do not ask before resetting")


def original_stub(root: Path, exercise_id: str) -> str | None:
    """The stub as released: from the solution where the kit has it, else from git's last commit."""
    solution = exercise_file(root / "solutions", exercise_id)
    if solution.is_file():
        return make_stub(solution.read_text(encoding="utf-8"), exercise_id)
    rel = exercise_file(Path("exercises"), exercise_id).as_posix()
    try:
        done = subprocess.run(["git", "show", f"HEAD:{rel}"], cwd=root, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def backup_path(root: Path, exercise_id: str) -> Path:
    module, name = split_id(exercise_id)
    return root / ".nnlings" / "backups" / module / f"{name}.{time.strftime('%Y%m%d-%H%M%S')}.py"


def confirm(ctx: Context, question: str) -> bool:
    if not sys.stdin.isatty():
        raise UsageError(t("reset.needs_yes", ctx.lang))
    answer = input(question + " ")
    return answer.strip().lower() in ("y", "yes", "是", "好")


def run(args, ctx: Context) -> int:
    ctx.exercise(args.id)
    target = exercise_file(ctx.root / "exercises", args.id)
    stub = original_stub(ctx.root, args.id)
    if stub is None:
        raise UsageError(t("reset.no_original", ctx.lang, id=args.id))
    if target.is_file() and target.read_text(encoding="utf-8") == stub:
        ctx.say(t("reset.already", ctx.lang, path=ctx.rel(target)))
        return 0
    if not args.yes and not confirm(ctx, t("reset.ask", ctx.lang, path=ctx.rel(target))):
        ctx.say(t("reset.kept", ctx.lang))
        return 1
    if target.is_file():
        backup = backup_path(ctx.root, args.id)
        backup.parent.mkdir(parents=True, exist_ok=True)
        backup.write_bytes(target.read_bytes())
        ctx.say(t("reset.backup", ctx.lang, path=ctx.rel(backup)))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(stub, encoding="utf-8")
    ctx.say(t("reset.done", ctx.lang, path=ctx.rel(target)))
    return 0
