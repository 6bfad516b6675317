"""Stubs are generated from solutions: the markers become a TODO and a NotImplementedError."""

from pathlib import Path

import pytest

from grader.core import manifest, sync

ROOT = Path(__file__).resolve().parents[2]

SOLUTION = '''import numpy as np


def f(x):
    """Doc."""
    # BEGIN SOLUTION: double it
    y = x * 2
    return y
    # END SOLUTION


class C:
    def g(self):
        # BEGIN SOLUTION
        return 1
        # END SOLUTION
'''


def test_stub_replaces_each_block():
    """Does each solution block become a TODO line and a raise naming the exercise and function?"""
    stub = sync.make_stub(SOLUTION, "m.e")
    assert "y = x * 2" not in stub and "return 1" not in stub
    assert '    # TODO: double it\n    raise NotImplementedError("m.e: f")' in stub
    assert '        # TODO: your code here\n        raise NotImplementedError("m.e: g")' in stub
    assert '"""Doc."""' in stub


@pytest.mark.parametrize("broken", ["    # BEGIN SOLUTION\n    x = 1\n", "    x = 1\n    # END SOLUTION\n",
                                    "# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION\n"],
                         ids=["no-end", "no-begin", "nested"])
def test_unpaired_markers_are_refused(broken):
    """Are unpaired markers reported instead of producing a half-stub?"""
    with pytest.raises(sync.SyncError):
        sync.make_stub(broken, "m.e")


def test_committed_stubs_are_in_sync():
    """Is every committed stub exactly what `nnlings dev sync` would write?"""
    assert sync.stale(ROOT, manifest.load(ROOT)) == []
