"""The runner: imports one exercise file of a submission and answers calls on it. Run only by grader.runner.process.

    python -I -S child.py REQUEST_FD REPLY_FD CONFIG_JSON

CONFIG_JSON: {"lib": folder holding numpy}. Standard library and NumPy only: this process holds no reference
answer, no seed and no score, so whatever the learner's code does here can only change the learner's own
answers. It first says {"up": true} once Python and NumPy are loaded, and waits (a runner is started ahead,
before the judge knows which exercise it is for) for {"op": "load", "file": the exercise file, "name": module
name, "forbid": [...]}. It replies to that with the import of the file, then to each request. Every reply is
a frame of wire.py:

    {"ok": value, "sync": {...}}         the call returned (plain values; callables and new objects as handles)
    {"raised": {...}, "sync": {...}}     the learner's code raised an ordinary exception
    {"invalid": "what it was"}           it returned something that is not a plain value
    {"forbidden": ["torch", ...]}        it reached for a forbidden library or NumPy shortcut
    {"crashed": "SystemExit: 0"}         it tried to end the process (the runner then exits)

A function of the judge's passed as an argument ({"$cb": id}) arrives as a Callback. Calling it, during the
call it was passed to, sends {"callback": id, "args": [...], "kwargs": [...]} in place of a reply and waits for
{"op": "returned", "ok": value} or {"op": "returned", "raised": {...}}: the function runs on the judge's side,
with plain values only, and the call goes on under its own deadline.
"""

from __future__ import annotations

import builtins
import faulthandler
import json
import os
import signal
import sys
import traceback
import warnings
import weakref

OPERATORS = frozenset([*(p + name for name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul")
                          for p in ("", "i")), "neg", "pos", "abs", "truth"])
"""The operators the judge may ask for on the learner's objects (proxy.OPERATORS; this file imports no grader)."""
MAX_WARNINGS = 20  # a warning in a loop is told once per message, and only this many messages per call
BUILTIN_ERRORS = {name: kind for name, kind in vars(builtins).items() if isinstance(kind, type) and issubclass(kind, Exception)}
"""What an error raised by the judge's function becomes here, by name (anything else is a RuntimeError)."""


def main() -> None:
    request_fd, reply_fd, config = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:0] = [here, config["lib"]]  # the runner's own two files, and a folder holding only numpy
    import numpy as np
    import wire
    from guard import Guard
    from lines import LineCount

    faulthandler.register(signal.SIGALRM, all_threads=True)  # the judge's signal at its deadline: prints where we are
    wire.send(reply_fd, {"up": True}, [])  # Python and NumPy are up; the runner may wait here, started ahead
    header, _ = wire.receive(wire.blocking_reader(request_fd))
    if header.get("op") != "load":
        sys.exit(2)
    config.update(file=str(header["file"]), name=str(header["name"]), forbid=[str(f) for f in header["forbid"]])
    guard = Guard(config["file"])
    guard.install(np, config["forbid"])
    Runner(np, wire, guard, config, request_fd, reply_fd, LineCount).serve()


class Runner:
    def __init__(self, np, wire, guard, config, request_fd: int, reply_fd: int, line_count=None):
        self.np, self.wire, self.guard, self.config = np, wire, guard, config
        self.line_count = line_count
        self.lines: int | None = None  # lines of the learner's file this request ran, when the judge asked
        self.request_fd, self.reply_fd = request_fd, reply_fd
        self.handles: dict[int, object] = {}
        self.held: dict[int, dict] = {}  # id(object) -> its handle's tag: an object sent twice is the same handle
        self.method_call = False  # this request calls a method of an object held here
        self.arrays: dict[int, tuple] = {}  # rid -> (weak ref to the array, snapshot): the caller's arrays by identity
        self.next_handle = 1
        self.pinned: list = []  # this request's arguments, alive until their changes are written back
        self.generation = 0  # which request is running: a Callback works only during the request it came with
        self.read = None
        self.rngs: dict[int, tuple] = {}  # rid -> (generator, state when last synced)

    # ------------------------------------------------------------ the loop

    def serve(self) -> None:
        self.reply(self.attempt(self.load))  # the reply to the judge's "load": the import of the exercise file
        self.read = read = self.wire.blocking_reader(self.request_fd)
        while True:
            try:
                header, buffers = self.wire.receive(read)
            except EOFError:
                return
            if header.get("forget"):  # the judge's previous test ended: drop what it left, outside any call
                self.forget()
            self.reply(self.attempt(lambda: self.dispatch(header, buffers)))

    def load(self):
        import importlib.util

        spec = importlib.util.spec_from_file_location(self.config["name"], self.config["file"])
        module = importlib.util.module_from_spec(spec)
        sys.modules[self.config["name"]] = module
        spec.loader.exec_module(module)
        self.handles[0] = module
        return Handle({"$h": 0, "kind": "module"})

    def attempt(self, action) -> tuple[dict, list]:
        """Run `action`, and turn whatever happened into a reply (a call that runs too long is the judge's to stop)."""
        encoder = self.wire.Encoder(self.handle_for)
        caught: list = []
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("default")  # each message once per place, as a plain run shows it
                value = action()
            reply = {"ok": value.tag if isinstance(value, Handle) else encoder.encode(value)}
            if self.lines is not None:
                reply["lines"] = self.lines
        except self.wire.Unsendable as err:
            reply, encoder.buffers = {"invalid": err.what}, []
        except (SystemExit, KeyboardInterrupt, GeneratorExit) as err:
            reply, encoder.buffers = {"crashed": f"{type(err).__name__}: {err}"}, []
        except BaseException as err:  # noqa: BLE001 - the learner's exception, described for the judge
            reply, encoder.buffers = {"raised": self.describe(err)}, []
        self.method_call = False
        self.lines = None
        self.generation += 1
        tripped = self.guard.take()
        if tripped:
            return {"forbidden": sorted(set(tripped))}, []
        if "ok" in reply or "raised" in reply:
            reply["sync"] = self.sync(encoder)
            if caught:
                reply["warned"] = self.warned(caught)
        self.pinned = []
        return reply, encoder.buffers

    def reply(self, message: tuple[dict, list]) -> None:
        header, buffers = message
        self.wire.send(self.reply_fd, header, buffers)
        if "crashed" in header:
            os._exit(3)

    # ------------------------------------------------------------ requests

    def dispatch(self, header: dict, buffers: list[bytes]):
        op = header.get("op")
        self.buffers = buffers
        decode = lambda tree: self.wire.decode(tree, buffers, self.decode_tag)  # noqa: E731
        if op == "getattr":
            return getattr(self.handles[header["target"]], header["name"])
        if op == "setattr":
            setattr(self.handles[header["target"]], header["name"], decode(header["value"]))
            return None
        if op == "call":
            target = self.handles[header["target"]]
            if "name" in header:
                target = getattr(target, header["name"])
            self.method_call = self._instance(getattr(target, "__self__", None))  # a method of the learner's object
            args = [decode(a) for a in header["args"]]
            kwargs = {str(k): decode(v) for k, v in header["kwargs"]}
            result = self.counted(header, lambda: target(*args, **kwargs))
            return self.new_handle(result) if isinstance(target, type) else result
        if op == "operator":  # a + b where a or b is the learner's object: Python's own dispatch, here
            import operator

            if header.get("name") not in OPERATORS:
                raise RuntimeError(f"unknown operator {header.get('name')!r}")
            operands = [decode(a) for a in header["args"]]
            self.method_call = any(self._instance(a) for a in operands)  # a new Value comes back as a handle
            return self.counted(header, lambda: getattr(operator, header["name"])(*operands))
        if op == "iter":  # for x in obj: the iterator stays here; each step is a request
            return self.new_handle(iter(self.handles[header["target"]]), "iterator")
        if op == "next":
            try:
                return [True, next(self.handles[header["target"]])]
            except StopIteration:  # the end of a loop, told apart from a value (never raised across)
                return [False, None]
        if op == "len":
            return len(self.handles[header["target"]])
        raise RuntimeError(f"unknown request {op!r}")

    def forget(self) -> None:
        """Drop the objects and the caller's arrays of the judge's previous test."""
        self.handles = {0: self.handles[0]}
        self.held.clear()
        self.arrays.clear()
        self.rngs.clear()

    def counted(self, header: dict, run):
        """run(), counting the lines of the learner's file it runs when the judge asked for it."""
        if not (header.get("count_lines") and self.line_count is not None):
            return run()
        with self.line_count([self.config["file"]]) as counted:
            result = run()
        self.lines = counted.lines
        return result

    def decode_tag(self, tag: dict):
        np = self.np
        if "$h" in tag:
            return self.handles[tag["$h"]]
        if "$ref" in tag:  # one of the caller's arrays: the same object every time it is passed
            return self.caller_array(tag["$ref"], self.wire.decode(tag["value"], self.buffers))
        if "$cb" in tag:
            return Callback(self, tag["$cb"], self.generation)
        if "$rng" in tag:
            rid = tag["$rng"]
            state = tag["state"]
            if rid not in self.rngs:
                bit = getattr(np.random, state["bit_generator"])()
                self.rngs[rid] = (np.random.Generator(bit), None)
            generator = self.rngs[rid][0]
            generator.bit_generator.state = state
            self.rngs[rid] = (generator, generator.bit_generator.state)
            return generator
        raise self.wire.WireError(f"unknown tag {sorted(tag)[:3]}")

    def call_back(self, cid, generation: int, args, kwargs):
        """Run one of the judge's functions there, with plain values, and return what it returned."""
        if generation != self.generation:
            raise RuntimeError("this function was passed to a call that has ended; "
                               "it can only be called during that call")
        encoder = self.wire.Encoder()  # plain values only: no handle, no object of the learner's
        try:
            header = {"callback": cid, "args": [encoder.encode(a) for a in args],
                      "kwargs": [[str(k), encoder.encode(v)] for k, v in kwargs.items()]}
        except self.wire.Unsendable as err:
            raise TypeError(f"the function you were given takes plain values (arrays, numbers, strings, tuples, "
                            f"lists, dicts), not a {err.what}") from None
        self.wire.send(self.reply_fd, header, encoder.buffers)
        answer, buffers = self.wire.receive(self.read)
        if answer.get("op") != "returned":
            raise SystemExit("the grader broke the callback protocol")
        if "raised" in answer:
            info = answer["raised"]
            kind = BUILTIN_ERRORS.get(str(info.get("name")), RuntimeError)
            raise kind(str(info.get("message", "")))
        return self.wire.decode(answer["ok"], buffers)

    # ------------------------------------------------------------ handles and write-back

    def caller_array(self, rid: int, fresh):
        """The runner's copy of one of the caller's arrays, updated to the values the caller sent now."""
        held = self.arrays[rid][0]() if rid in self.arrays else None
        array = fresh
        if held is not None and held.shape == fresh.shape and held.dtype == fresh.dtype:
            try:
                held[...] = fresh  # keep the object the learner's code may hold on to (Adam's params)
                array = held
            except ValueError:  # made read-only by the learner's code
                pass
        # Weakly held after this request: once the learner's code lets go of an array, there is nothing to write back.
        self.arrays[rid] = (weakref.ref(array), array.copy())
        self.pinned.append(array)
        return array

    def new_handle(self, obj, kind: str = "object") -> "Handle":
        hid = self.next_handle = self.next_handle + 1
        self.handles[hid] = obj
        self.held[id(obj)] = tag = {"$h": hid, "kind": kind, "type": type(obj).__qualname__}
        return Handle(tag)

    def handle_for(self, value):
        """Functions, methods and classes are sent as handles, and so is an object of the learner's own class that
        a method returns (`fit` returning `self`): the same object as the same handle. Anything else is not a
        plain value."""
        known = self.held.get(id(value))
        if known is not None and self.handles.get(known["$h"]) is value:
            return known
        if self.method_call and self._instance(value):
            return self.new_handle(value).tag
        if callable(value) and not isinstance(value, self.np.ndarray):
            return self.new_handle(value, "class" if isinstance(value, type) else "callable").tag
        raise self.wire.Unsendable(self.wire.describe(value))

    def _instance(self, value) -> bool:
        """An instance of a class defined in the learner's file."""
        return value is not None and not isinstance(value, type) and type(value).__module__ == self.config["name"]

    def sync(self, encoder) -> dict:
        """The caller's arrays and generators that changed here, so the caller sees what it would in-process."""
        changed = {"arrays": [], "rngs": []}
        for rid, (ref, snapshot) in list(self.arrays.items()):
            array = ref()
            if array is None:
                del self.arrays[rid]
            elif type(array) is self.np.ndarray and not _same(self.np, array, snapshot):
                changed["arrays"].append([rid, encoder.encode(array.copy())])
                self.arrays[rid] = (ref, array.copy())
        for rid, (generator, state) in list(self.rngs.items()):
            now = generator.bit_generator.state
            if now != state:
                changed["rngs"].append([rid, now])
                self.rngs[rid] = (generator, now)
        return changed

    def warned(self, caught) -> list:
        """The warnings the learner's code raised: category, message, and the line in the learner's file."""
        told = []
        for w in caught[:MAX_WARNINGS]:
            kinds = [k.__name__ for k in w.category.__mro__ if k.__module__ == "builtins"]
            line = w.lineno if w.filename == self.config["file"] else 0
            told.append([kinds[0] if kinds else "UserWarning", str(w.message)[:500], line])
        return told

    def describe(self, err: BaseException) -> dict:
        try:
            message = str(err)[:4000]
        except Exception:  # noqa: BLE001 - a __str__ that fails is the learner's
            message = "(the exception's message could not be shown)"
        frames = [[f.filename, f.lineno, f.name, f.line or ""]
                  for f in traceback.extract_tb(err.__traceback__) if f.filename == self.config["file"]]
        types = [k.__name__ for k in type(err).__mro__ if k.__module__ == "builtins"]
        return {"types": types, "name": type(err).__name__, "message": message, "frames": frames}


class Callback:
    """A function of the judge's, as the learner's code sees it: calling it runs it on the judge's side."""

    __slots__ = ("_runner", "_cid", "_generation")

    def __init__(self, runner: Runner, cid, generation: int):
        self._runner, self._cid, self._generation = runner, cid, generation

    def __call__(self, *args, **kwargs):
        return self._runner.call_back(self._cid, self._generation, args, kwargs)

    def __repr__(self) -> str:
        return "<function given by the grader>"


class Handle:
    """A reply that names an object kept here (the module, a new instance), not a value of the learner's."""

    def __init__(self, tag: dict):
        self.tag = tag


def _same(np, array, snapshot) -> bool:
    return array.shape == snapshot.shape and array.dtype == snapshot.dtype and \
        np.array_equal(array, snapshot, equal_nan=array.dtype.kind in "fc")


if __name__ == "__main__":
    main()
