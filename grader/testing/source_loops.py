"""The loop a line of learner code sits in: when a check runs out of time, that loop is the place to look."""

from __future__ import annotations

import ast
import linecache

LOOPS = (ast.For, ast.While, ast.AsyncFor)


def enclosing_loop(filename: str, line: int) -> int | None:
    """The first line of the innermost loop whose body holds `line` (not the loop's own first line), or None."""
    linecache.checkcache(filename)  # the learner may have saved the file since it was last read
    try:
        tree = ast.parse("".join(linecache.getlines(filename)))
    except (SyntaxError, ValueError):
        return None
    starts = [node.lineno for node in ast.walk(tree)
              if isinstance(node, LOOPS) and node.lineno < line <= (node.end_lineno or node.lineno)]
    return max(starts, default=None)
