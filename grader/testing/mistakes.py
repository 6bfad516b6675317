"""The catalogue of classic wrong answers: each is a named, explained replacement for some public names."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import SimpleNamespace

from grader.core.manifest import Text
from grader.core.paths import mistakes_file


@dataclass(frozen=True)
class Mistake:
    key: str
    """Stable name within the exercise, such as 'no_max_shift'."""
    title: Text
    """What the mistake is, in a few words, per language."""
    why: Text
    """Why it is wrong and what to do instead, per language."""
    overrides: dict = field(default_factory=dict, compare=False)
    """Public name -> the wrong implementation."""

    def namespace(self, base=None) -> SimpleNamespace:
        """The names a test reaches through `impl`: the wrong ones, on top of `base` where given. Without a base,
        a name the mistake does not replace raises NotReplaced: the mistake alone cannot run that scenario."""
        if base is None:
            return _Alone(**self.overrides)
        names = {k: v for k, v in vars(base).items() if not k.startswith("__")}
        names.update(self.overrides)
        return SimpleNamespace(**names)


class NotReplaced(AttributeError):
    """A scenario reached a public name the mistake does not replace (a check of col2im that calls im2col too)."""


class _Alone(SimpleNamespace):
    def __getattr__(self, name):  # called only for a name that is not there
        raise NotReplaced(name)


def summed_to(grad, shape: tuple[int, ...]):
    """`grad` of a broadcast result added up over the copies of an input of `shape` (new leading axes, and axes
    where the input has size 1): for catalogued mistakes, which should be wrong in their own way only."""
    grad = grad.sum(axis=tuple(range(grad.ndim - len(shape))))
    return grad.sum(axis=tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1), keepdims=True)


def mistake(key: str, *, title: Text, why: Text, **overrides) -> Mistake:
    if not overrides:
        raise ValueError(f"mistake {key!r} replaces nothing")
    return Mistake(key, dict(title), dict(why), overrides)


@cache
def catalogue(root: Path, exercise_id: str) -> tuple[Mistake, ...]:
    """MISTAKES from tests/<module>/mistakes_<name>.py, or () when the exercise has none."""
    path = mistakes_file(root, exercise_id)
    if not path.is_file():
        return ()
    name = f"nnlings_mistakes_{exercise_id.replace('.', '_')}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    found = tuple(getattr(module, "MISTAKES", ()))
    keys = [m.key for m in found]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{path}: mistake keys repeat: {keys}")
    return found
