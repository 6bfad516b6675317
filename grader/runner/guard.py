"""Inside the runner: notice a forbidden library or NumPy shortcut the moment learner code reaches for it.

The runner's path holds only the standard library and NumPy, so torch cannot load there anyway; this
guard is what turns the attempt into the status `forbidden` instead of a puzzling ImportError. An audit
hook (which cannot be removed) sees import statements and __import__; a finder first on sys.meta_path
sees importlib.import_module too.
Standard library and NumPy only.
"""

from __future__ import annotations

import functools
import sys

FORBIDDEN_MODULES = ("torch", "scipy", "sklearn", "tensorflow", "jax", "pytest", "_pytest")


class Guard:
    def __init__(self, learner_file: str):
        self.learner_file = learner_file
        self.tripped: list[str] = []

    def take(self) -> list[str]:
        """What was reached for since the last call (and forget it)."""
        found, self.tripped = self.tripped, []
        return found

    def install(self, numpy_module, forbid: list[str]) -> None:
        sys.addaudithook(self._audit)
        sys.meta_path.insert(0, self)  # importlib.import_module raises no audit event; finders see it
        for dotted in forbid:
            self._wire(numpy_module, dotted)

    def _audit(self, event: str, args) -> None:
        if event == "import":
            self._check(str(args[0]))

    def find_spec(self, name, path=None, target=None):
        self._check(name)
        return None  # not ours to load: the next finder goes on

    def _check(self, name: str) -> None:
        if name.split(".")[0] in FORBIDDEN_MODULES:
            self.tripped.append(name)
            raise ImportError(f"{name} is not available to exercises")

    def _wire(self, numpy_module, dotted: str) -> None:
        """Replace a forbidden NumPy function by one that notes calls made from the learner's file."""
        parts = dotted.split(".")
        if parts[0] != "numpy" or len(parts) != 2:
            return
        original = getattr(numpy_module, parts[1], None)
        if original is None or isinstance(original, type) or not callable(original):
            return  # classes keep their identity for NumPy's own isinstance checks; the static check covers them

        @functools.wraps(original)
        def tripwire(*args, **kwargs):
            if sys._getframe(1).f_code.co_filename == self.learner_file:
                self.tripped.append(dotted)
            return original(*args, **kwargs)

        setattr(numpy_module, parts[1], tripwire)
