"""What the judge's side raises when a call into the runner did not simply return.

A learner's ordinary exception comes back as RemoteError, made an instance of the same built-in class
(ValueError, NotImplementedError, ...) so that tests treat it exactly as they would in-process.
The other four end the exercise with their own status.
"""

from __future__ import annotations

import builtins


class RunnerFault(Exception):
    """The runner did not answer as a runner should; `status` is the exercise status it earns."""

    status = "crashed"

    def __init__(self, detail: str, output: str = ""):
        super().__init__(detail)
        self.detail, self.output = detail, output


class RunnerCrashed(RunnerFault):
    """The process ended (exit, signal, a refused limit) or broke the protocol."""

    status = "crashed"


class CrashedBefore(RunnerCrashed):
    """Not run: the runner of this exercise already crashed `count` times."""

    def __init__(self, count: int):
        super().__init__(f"crashed {count} times")
        self.count = count


class RunnerTimeout(RunnerFault):
    """A call, or the exercise as a whole, ran past its time; the runner was killed."""

    status = "timeout"

    def __init__(self, detail: str, seconds: float, output: str = ""):
        super().__init__(detail, output)
        self.seconds = seconds


class InvalidOutput(RunnerFault):
    """A value that is not a plain array or scalar came back (a subclass, an object, object dtype)."""

    status = "invalid_output"


class ForbiddenUse(RunnerFault):
    """The code reached for a forbidden library or NumPy shortcut while it ran."""

    status = "forbidden"

    def __init__(self, names: list[str]):
        super().__init__(", ".join(names))
        self.names = names


class RemoteError(Exception):
    """An exception raised by the learner's code in the runner. `frames`: (file, line, function, source)."""

    frames: list = []
    remote_name = "Exception"


_CLASSES: dict[str, type] = {}


def remote_error(info: dict) -> RemoteError:
    """An exception to raise here for the learner's exception described by `info`."""
    base = next((getattr(builtins, n) for n in info.get("types", ()) if _usable(n)), Exception)
    name = str(info.get("name", base.__name__))[:100]
    key = f"{name}/{base.__name__}"
    if key not in _CLASSES:
        try:
            _CLASSES[key] = type(name, (RemoteError, base), {"__module__": "learner"})
        except TypeError:  # a built-in whose layout cannot be mixed in
            _CLASSES[key] = type(name, (RemoteError,), {"__module__": "learner"})
    err = _CLASSES[key](str(info.get("message", "")))
    err.frames = [tuple(f) for f in info.get("frames", ()) if isinstance(f, list) and len(f) == 4]
    err.remote_name = name
    return err


def _usable(name: str) -> bool:
    """A built-in exception class the judge may safely become (never one that stops pytest itself)."""
    kind = getattr(builtins, str(name), None)
    return isinstance(kind, type) and issubclass(kind, Exception) and kind is not StopIteration
