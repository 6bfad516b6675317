"""curriculum.toml cut down to one assignment: its exercises and modules, its points, its [learner] table."""

from __future__ import annotations

import tomllib
from pathlib import Path

from grader.core.paths import MANIFEST
from grader.grading.assignment import Assignment
from grader.grading.release.toml_write import dumps


def reduced(root: Path, assignment: Assignment) -> dict:
    """The kit's manifest data keeping only the assigned exercises, their modules, and the assignment's settings.

    `requires` keeps only assigned exercises: a student cannot finish a prerequisite they were not given.
    """
    data = tomllib.loads((root / MANIFEST).read_text(encoding="utf-8"))
    assigned = set(assignment.exercise_ids)
    modules = set(assignment.module_ids)
    out = {k: v for k, v in data.items() if k not in ("module", "exercise", "learner")}
    out["learner"] = {"show_solutions": assignment.learner.show_solutions,
                      "solution_after_attempts": assignment.learner.solution_after_attempts}
    out["module"] = [m for m in data.get("module", []) if m.get("id") in modules]
    out["exercise"] = []
    for entry in data.get("exercise", []):
        if entry.get("id") not in assigned:
            continue
        entry = dict(entry)
        points = assignment.points[entry["id"]]
        entry["points"] = int(points) if float(points).is_integer() else points
        entry["requires"] = [r for r in entry.get("requires", []) if r in assigned]
        out["exercise"].append(entry)
    return out


def reduced_text(root: Path, assignment: Assignment) -> str:
    """reduced() as TOML, with a header saying where it came from."""
    header = (f"The curriculum of the assignment {assignment.title!r}, written by `nnlings release` from the kit's\n"
              f"{MANIFEST}: only the assigned exercises, with the assignment's points and [learner] settings.")
    return dumps(reduced(root, assignment), header=header)
