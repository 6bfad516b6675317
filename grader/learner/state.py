"""The learner's small state file (.nnlings/state.json): cached statuses and hints seen. Safe to delete."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from grader.core.paths import exercise_file

STATE = Path(".nnlings") / "state.json"


def load(root: Path) -> dict:
    try:
        data = json.loads((root / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"exercises": {}, "hints": {}}
    if not isinstance(data, dict):
        return {"exercises": {}, "hints": {}}
    data.setdefault("exercises", {})
    data.setdefault("hints", {})
    return data


def save(root: Path, data: dict) -> None:
    path = root / STATE
    path.parent.mkdir(exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def file_hash(root: Path, exercise_id: str) -> str:
    try:
        return hashlib.sha256(exercise_file(root / "exercises", exercise_id).read_bytes()).hexdigest()[:16]
    except OSError:
        return ""


def remember(root: Path, results) -> None:
    """Cache each exercise's status against the hash of the file it was computed from."""
    data = load(root)
    for r in results:
        data["exercises"][r.id] = {"status": r.status, "score": r.score, "possible": r.possible,
                                   "hash": file_hash(root, r.id)}
    save(root, data)


def count_attempt(root: Path, exercise_id: str) -> int:
    """One more failed attempt at an exercise (a check that ran and did not pass); returns the count."""
    data = load(root)
    attempts = data.setdefault("attempts", {})
    attempts[exercise_id] = int(attempts.get(exercise_id, 0)) + 1
    save(root, data)
    return attempts[exercise_id]


def cached_status(root: Path, data: dict, exercise_id: str) -> str | None:
    """The cached status, or None when the file changed since (or was never checked)."""
    entry = data["exercises"].get(exercise_id)
    if entry and entry.get("hash") == file_hash(root, exercise_id):
        return entry.get("status")
    return None
