"""`nnlings dev new MODULE NAME`: the files and the manifest entry of a new exercise, ready to fill in.

Nothing is overwritten: an id already in the manifest, or any of the files already there, is refused
before anything is written. The skeleton is honest: its solution raises until the author writes it,
so `nnlings dev check` lists every piece still missing rather than passing a placeholder.
"""

from __future__ import annotations

import keyword
import re
from pathlib import Path

from grader.core import manifest as manifest_mod
from grader.core.manifest import Manifest
from grader.core.paths import MANIFEST, exercise_file, mistakes_file, test_file
from grader.core.sync import sync

IDENT = re.compile(r"[a-z][a-z0-9_]*\Z")


class ScaffoldError(Exception):
    """The module or name is unusable, or the exercise (or one of its files) already exists."""


SOLUTION = '''"""{title}: TODO one line on what the learner builds."""

import numpy as np


def {name}(x):
    """TODO: one line saying what {name} computes.

    Args:
        x: TODO what x is, (N, D), float32 or float64.

    Returns:
        TODO what comes back, (N, D), in x's dtype.

    Raises:
        ValueError: TODO which inputs are refused.

    Shapes:
        x: (N, D) -> (N, D)

    PyTorch: TODO the torch call this matches, such as torch.nn.functional.{name}(x).
    """
    # BEGIN SOLUTION: the idea in one line (the stub shows it to the learner as its TODO)
    raise NotImplementedError("{exercise_id}: {name}")  # until the reference is written: its checks are todo
    # END SOLUTION
'''

TEST = '''"""{exercise_id}: {name} against PyTorch."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
# Batch of one, non-square, three axes.
SHAPES = {{"1x5": (1, 5), "3x7": (3, 7), "2x3x4": (2, 3, 4)}}


def torch_{name}(x):
    """The reference. TODO: the torch call {name} matches; a copy of x stands in until then."""
    return oracle.numpy(oracle.tensor(x).clone(), x.dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_{name}_forward(check, rng, shape, dtype):
    """Does {name} match torch on a batch of one, a non-square batch and three axes?"""
    x = rng.standard_normal(shape).astype(dtype)
    check.close(lambda m: m.{name}(x), torch_{name}(x), call="{name}(x)", inputs={{"x": x}})
'''

MISTAKES = '''"""Classic wrong answers to {exercise_id}, each named and explained."""

from grader.testing.mistakes import mistake  # noqa: F401 - every entry below is built with it

# At least three, each a wrong version of a public function that fails a test whose message names it:
#     mistake("key", title={{"en": ..., "zh": ...}}, why={{"en": ..., "zh": ...}}, {name}=wrong_{name}),
MISTAKES = []
'''

ENTRY = '''
[[exercise]]
id = "{exercise_id}"
title = {{ en = "{title}", zh = "" }}
points = 10
functions = ["{name}"]
requires = []
intro.en = ""
intro.zh = ""
hints.en = []
hints.zh = []
[exercise.tests]
'''

MODULE = '''
[[module]]
id = "{module}"
title = {{ en = "{title}", zh = "" }}
'''


def new_exercise(root: Path, manifest: Manifest, module: str, name: str) -> list[Path]:
    """Write the solution, test and mistakes files, append the manifest entry (and the module's, when the
    module is new), then the stub from the solution. The paths written, the manifest among them."""
    for what, value in (("module", module), ("name", name)):
        if not IDENT.match(value) or keyword.iskeyword(value):
            raise ScaffoldError(f"the {what} {value!r} must be a lowercase Python identifier, such as softmax")
    exercise_id = f"{module}.{name}"
    if manifest.find(exercise_id):
        raise ScaffoldError(f"{exercise_id} is already in {MANIFEST}")
    files = {exercise_file(root / "solutions", exercise_id): SOLUTION, test_file(root, exercise_id): TEST,
             mistakes_file(root, exercise_id): MISTAKES}
    there = [p for p in (*files, exercise_file(root / "exercises", exercise_id)) if p.exists()]
    if there:
        raise ScaffoldError("already there, and kept: " + ", ".join(str(p.relative_to(root)) for p in there))
    title = name.replace("_", " ").capitalize()
    fields = {"exercise_id": exercise_id, "module": module, "name": name, "title": title}
    for path, template in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(**fields), encoding="utf-8")
    entry = ENTRY.format(**fields)
    if module not in {m.id for m in manifest.modules}:
        entry = MODULE.format(module=module, title=module.replace("_", " ").capitalize()) + entry
    manifest_path = root / MANIFEST
    text = manifest_path.read_text(encoding="utf-8")
    manifest_path.write_text(text.rstrip("\n") + "\n" + entry, encoding="utf-8")
    stubs = sync(root, manifest_mod.load(root))
    return [*files, *stubs, manifest_path]
