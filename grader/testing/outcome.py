"""Turn what a test raised into a status and the sentence a learner reads (no pytest or torch internals)."""

from __future__ import annotations

import functools
import linecache
from pathlib import Path

from grader.core.i18n import t
from grader.core.loader import INSTEAD, ForbiddenError, LoadError
from grader.runner.errors import RunnerFault
from grader.runner.messages import runner_fault
from grader.testing.failure import ExerciseFailure, render_body
from grader.testing.source_loops import enclosing_loop

STATUSES = ("passed", "failed", "todo", "error", "forbidden", "timeout", "skipped")


def classify(err: BaseException, *, solutions: bool) -> str:
    """The test status an exception stands for."""
    if isinstance(err, NotImplementedError) and not solutions:
        return "todo"
    if type(err).__name__ == "EarlierTimeout":
        return "timeout"
    if isinstance(err, LoadError):
        return "error"
    if isinstance(err, ForbiddenError):
        return "forbidden"
    if isinstance(err, RunnerFault):
        return err.status
    return "failed"


def describe_error(err: BaseException, tree: Path, root: Path, lang: str, *, diagnosis: bool = True) -> str:
    """The message body for any exception a test ended with (for a wrong answer, with or without the
    diagnosis that check alone suggests)."""
    if isinstance(err, ExerciseFailure):
        body = render_body(err, lang, diagnosis=diagnosis)
        if err.kind == "raised" and err.__cause__ is not None:
            body += "\n" + _where(err.__cause__, tree, root, lang)
        return body
    if isinstance(err, LoadError):
        return _load_error(err, root, lang)
    if isinstance(err, ForbiddenError):
        names = ", ".join(f"{u.name} (line {u.line})" for u in err.uses)
        spellings = (u.name.rsplit(".", 1)[-1] for u in err.uses)
        instead = dict.fromkeys(INSTEAD[s] for s in spellings if s in INSTEAD)
        return "\n".join([t("failure.forbidden", lang, path=_rel(err.path, root), names=names),
                          *(t(f"failure.{key}", lang) for key in instead)])
    if isinstance(err, RunnerFault):
        where = _where_stuck if err.status == "timeout" else _where
        return "\n".join(line for line in (runner_fault(err, lang), where(err, tree, root, lang)) if line)
    return _raised(err, tree, root, lang)


def timed_out(err: BaseException, seconds, tree: Path, root: Path, lang: str) -> str:
    """A check stopped by the time limit: say so, and where the learner's code was when it stopped."""
    lines = [t("failure.timeout", lang, seconds=seconds or "?"), _where_stuck(err, tree, root, lang)]
    return "\n".join(line for line in lines if line)


def todo_reason(err: BaseException, tree: Path, root: Path, lang: str) -> str:
    frame = _last_learner_frame(err, tree)
    name = frame[2] if frame else str(err) or "this function"
    path = _rel(Path(frame[0]), root) if frame else str(tree)
    return t("failure.todo", lang, name=name, path=path)


def _load_error(err: LoadError, root: Path, lang: str) -> str:
    path = _rel(err.path, root)
    if err.kind == "missing":
        return t("failure.missing", lang, path=path, id=_id_from_path(err.path))
    lines = [t("failure.broken", lang, path=path, detail=err.detail)]
    if err.line:
        lines.append(t("failure.broken_line", lang, line=err.line, source=linecache.getline(str(err.path), err.line).strip()))
    return "\n".join(lines)


def _raised(err: BaseException, tree: Path, root: Path, lang: str) -> str:
    lines = [t("failure.raised", lang, error=f"{type(err).__name__}: {err}"), _where(err, tree, root, lang)]
    return "\n".join(line for line in lines if line)


def _where(err: BaseException, tree: Path, root: Path, lang: str) -> str:
    """The learner's line the error came from, quoted; empty when it came from elsewhere."""
    frame = _last_learner_frame(err, tree)
    return _quoted(frame, root, lang) if frame else ""


def _where_stuck(err: BaseException, tree: Path, root: Path, lang: str) -> str:
    """Where code that ran out of time was, and the loop around that line when there is one."""
    frame = _last_learner_frame(err, tree)
    if not frame:
        return ""
    filename, lineno, _ = frame
    where = _quoted(frame, root, lang)
    loop = enclosing_loop(filename, lineno)
    if loop is None:
        return where
    return where + "\n" + t("failure.in_loop", lang, line=loop) + "\n    " + linecache.getline(filename, loop).strip()


def _quoted(frame: tuple, root: Path, lang: str) -> str:
    filename, lineno, _ = frame
    return t("failure.where", lang, path=_rel(Path(filename), root), line=lineno) + "\n    " + \
        linecache.getline(filename, lineno).strip()


def _last_learner_frame(err: BaseException, tree: Path):
    """(filename, line, function) of the deepest frame inside the learner's tree, or None."""
    if getattr(err, "frames", None):  # raised in the runner: its frames are already the learner's
        filename, line, function, _ = err.frames[-1]
        return filename, line, function
    tb, found = err.__traceback__, None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if _inside(filename, str(tree)):
            found = (filename, tb.tb_lineno, tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    return found


@functools.lru_cache(maxsize=4096)
def _inside(filename: str, tree: str) -> bool:
    """Whether `filename` lies in `tree`, links followed. Asked for every frame of every failure, and resolving
    a path is a system call per part of it: a check of 78 cases spent a third of its time here."""
    return Path(filename).resolve().is_relative_to(Path(tree).resolve())


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _id_from_path(path: Path) -> str:
    return f"{path.parent.name}.{path.stem}"
