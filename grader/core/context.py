"""What every command needs: the kit root, the manifest, the language, where to print."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from grader.core.i18n import t
from grader.core.manifest import Exercise, Manifest


class UsageError(Exception):
    """A sentence for the user; the command exits with 2."""


@dataclass
class Context:
    root: Path
    manifest: Manifest
    lang: str
    out: TextIO = field(default_factory=lambda: sys.stdout)

    def say(self, line: str = "") -> None:
        print(line, file=self.out)

    def exercise(self, exercise_id: str) -> Exercise:
        found = self.manifest.find(exercise_id)
        if found is None:
            raise UsageError(t("cli.unknown_exercise", self.lang, id=exercise_id))
        return found

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)
