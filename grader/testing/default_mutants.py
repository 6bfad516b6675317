"""Automatic mutants of defaults: each default of a public function (or of a public class's constructor) changed
to another valid value, one at a time. A suite that calls every function with its defaults, and checks what
comes back, kills them all; a mutant that survives is a default no test looks at.

Which values: a bool flips; an axis or dim moves (-1 to 0, anything else to -1); another int grows by one (a
count of 0 becomes 1); a float doubles (0.0 becomes 0.5). None, strings and other defaults are left alone:
no other value is valid for every function.
"""

from __future__ import annotations

import inspect
import types

from grader.testing.mistakes import Mistake

AXIS_NAMES = ("axis", "dim")


def alternative(name: str, value):
    """Another valid value for the default `value` of parameter `name`, or None when there is no safe one."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        if any(word in name for word in AXIS_NAMES):
            return 0 if value == -1 else -1
        return value + 1
    if isinstance(value, float):
        return 0.5 if value == 0.0 else 2.0 * value
    return None


def mutants(namespace, functions) -> tuple[Mistake, ...]:
    """One Mistake per (public name, defaulted parameter) with a safe alternative, keyed 'default.NAME.PARAM'."""
    found = []
    for name in functions:
        target = getattr(namespace, name, None)
        func = target.__init__ if inspect.isclass(target) else target
        if not inspect.isfunction(func):
            continue
        for param in inspect.signature(func).parameters.values():
            if param.default is inspect.Parameter.empty:
                continue
            new = alternative(param.name, param.default)
            if new is None:
                continue
            mutated = with_default(func, param.name, new)
            replacement = type(name, (target,), {"__init__": mutated}) if inspect.isclass(target) else mutated
            text = f"{name}'s default {param.name}={param.default!r} changed to {new!r}"
            found.append(Mistake(f"default.{name}.{param.name}", {"en": text, "zh": text}, {"en": text, "zh": text},
                                 {name: replacement}))
    return tuple(found)


def with_default(func: types.FunctionType, param: str, value) -> types.FunctionType:
    """A copy of `func` whose default for `param` is `value`; every explicit call behaves as before."""
    code = func.__code__
    defaults = list(func.__defaults__ or ())
    kwdefaults = dict(func.__kwdefaults__ or {})
    positional = code.co_varnames[code.co_argcount - len(defaults):code.co_argcount]
    if param in positional:
        defaults[positional.index(param)] = value
    else:
        kwdefaults[param] = value
    copy = types.FunctionType(code, func.__globals__, func.__name__, tuple(defaults), func.__closure__)
    copy.__kwdefaults__ = kwdefaults or None
    copy.__qualname__, copy.__doc__, copy.__module__ = func.__qualname__, func.__doc__, func.__module__
    return copy
