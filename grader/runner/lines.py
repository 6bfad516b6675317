"""Counting the lines of Python that learner code runs: how a check tells a loop over output positions
from vectorised code, by counting instead of timing (so it cannot flake on a busy machine).

Used in process by `grader.testing.check` and inside the runner by child.py. Standard library only.
"""

from __future__ import annotations

import sys


class LineCount:
    """While active, counts the line events run in code from `files` (NumPy's and the judge's are not traced)."""

    def __init__(self, files):
        self.files = frozenset(files)
        self.lines = 0
        self._before = None

    def _global(self, frame, event, arg):
        return self._local if frame.f_code.co_filename in self.files else None

    def _local(self, frame, event, arg):
        if event == "line":
            self.lines += 1
        return self._local

    def __enter__(self) -> "LineCount":
        self._before = sys.gettrace()
        sys.settrace(self._global)
        return self

    def __exit__(self, *exc) -> bool:
        sys.settrace(self._before)
        return False
