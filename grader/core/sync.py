"""`nnlings dev sync`: write each stub from its solution, replacing solution blocks with a TODO and a raise."""

from __future__ import annotations

import re
from pathlib import Path

from grader.core.manifest import Manifest
from grader.core.paths import exercise_file

BEGIN = re.compile(r"^(?P<indent>\s*)# BEGIN SOLUTION(?::\s*(?P<todo>.*?))?\s*$")
END = re.compile(r"^\s*# END SOLUTION\s*$")
DEF = re.compile(r"^(?P<indent>\s*)(?:async\s+)?def\s+(?P<name>\w+)")


class SyncError(Exception):
    """A solution file's markers do not pair up."""


def make_stub(source: str, exercise_id: str, where: str = "solution") -> str:
    """The learner's version of a solution file."""
    out: list[str] = []
    lines = source.splitlines()
    i = 0
    while i < len(lines):
        match = BEGIN.match(lines[i])
        if END.match(lines[i]):
            raise SyncError(f"{where}:{i + 1}: END SOLUTION without BEGIN SOLUTION")
        if not match:
            out.append(lines[i])
            i += 1
            continue
        end = next((j for j in range(i + 1, len(lines)) if END.match(lines[j]) or BEGIN.match(lines[j])), None)
        if end is None or BEGIN.match(lines[end]):
            raise SyncError(f"{where}:{i + 1}: BEGIN SOLUTION without a matching END SOLUTION")
        indent, todo = match["indent"], match["todo"] or "your code here"
        name = _enclosing_function(lines, i, len(indent)) or exercise_id
        out.append(f"{indent}# TODO: {todo}")
        out.append(f'{indent}raise NotImplementedError("{exercise_id}: {name}")')
        i = end + 1
    return "\n".join(out) + "\n"


def _enclosing_function(lines: list[str], at: int, indent: int) -> str | None:
    for line in reversed(lines[:at]):
        match = DEF.match(line)
        if match and len(match["indent"]) < indent:
            return match["name"]
    return None


def planned(root: Path, manifest: Manifest) -> dict[Path, str]:
    """Stub path -> the text sync would write, for every exercise whose solution exists."""
    plan = {}
    for ex in manifest.exercises:
        solution = exercise_file(root / "solutions", ex.id)
        if solution.is_file():
            plan[exercise_file(root / "exercises", ex.id)] = make_stub(
                solution.read_text(encoding="utf-8"), ex.id, str(solution.relative_to(root)))
    return plan


def stale(root: Path, manifest: Manifest) -> list[Path]:
    """Stubs that differ from what sync would write."""
    return [p for p, text in planned(root, manifest).items() if not p.is_file() or p.read_text(encoding="utf-8") != text]


def sync(root: Path, manifest: Manifest) -> list[Path]:
    """Write every stale stub; returns what was written."""
    written = []
    for path, text in planned(root, manifest).items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
