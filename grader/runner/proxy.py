"""Stand-ins on the judge's side for the learner's module and objects that live in the runner.

`m.softmax(x)`, `bn = m.BatchNorm2d(3)`, `bn.weight = w`, `bn(x)`, `opt.step(grads)`, `a * b + 1` read and run as
in process, but every step is a request to the runner. Arrays and generators passed in keep their identity:
whatever the learner's code does to them there (Adam's in-place update, a generator's advance, a mutated
input) is written back here after each call, so tests see what they would see in-process.
"""

from __future__ import annotations

import builtins
import warnings

import numpy as np

from grader.runner import wire
from grader.runner.errors import ForbiddenUse, InvalidOutput, RunnerCrashed, RunnerFault, remote_error

SUPPORTED_BIT_GENERATORS = ("PCG64", "PCG64DXSM", "SFC64")
"""Bit generators whose state is plain integers, so it crosses the wire as JSON."""
BINARY_OPERATORS = ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul")
"""`a + b` on a stand-in runs `operator.add(a, b)` in the runner (and `3 + a` runs `operator.add(3, a)`), so
Python picks the learner's method, its reflected twin or a TypeError exactly as it would in-process."""
UNARY_OPERATORS = ("neg", "pos", "abs", "truth")  # truth: bool(obj), which in-process needs no __len__
OPERATORS = frozenset(BINARY_OPERATORS + tuple(f"i{name}" for name in BINARY_OPERATORS) + UNARY_OPERATORS)


class Session:
    """The judge's end of one runner for one test: remembers what it passed, writes changes back."""

    def __init__(self, process, learner_file: str, original_file: str):
        self.process = process
        self.files = (learner_file, original_file)
        self.arrays: dict[int, tuple[int, np.ndarray]] = {}  # id(array) -> (rid, array); kept alive for the test
        self.rngs: dict[int, tuple[int, np.random.Generator]] = {}
        self.methods: set[tuple[str, str]] = {("module", name) for name in process.functions}
        """(type, attribute) seen to be callable, called in one request from then on. The module's functions are
        remembered by the runner's process, so each later test calls them in one request too."""
        self.remotes: dict[int, Remote] = {}  # handle -> its stand-in: the same object is the same stand-in here too
        self.callbacks: dict[int, object] = {}  # the judge's functions passed to the request in progress, by id
        self.in_callback = False
        self.counting = False  # ask the runner to count the lines of the learner's file each call runs
        self.lines = 0  # ... and their sum so far

    # ------------------------------------------------------------ requests

    def request(self, header: dict, buffers: list[bytes] = ()):
        if self.in_callback:
            self.callbacks.clear()
            raise TypeError("a function passed to the learner's code cannot itself call into the runner")
        try:
            reply, reply_buffers = self.process.exchange(header, list(buffers))
            while "callback" in reply:  # the learner's code calls a function of ours: run it, answer, go on
                reply, reply_buffers = self.process.exchange(*self.call_back(reply, reply_buffers), resume=True)
        finally:
            self.callbacks.clear()  # only the call they were passed to may use them
        return self.answer(reply, reply_buffers)

    def lines_run(self, run) -> int:
        """The lines of the learner's file that the calls made by `run()` ran, as the runner counted them."""
        self.counting, self.lines = True, 0
        try:
            run()
        finally:
            self.counting = False
        return self.lines

    def call_back(self, reply: dict, buffers: list[bytes]) -> tuple[dict, list[bytes]]:
        """Run the judge's function the runner asks for, on the plain values it sent; the answer to send back."""
        fn = self.callbacks.get(reply["callback"]) if type(reply["callback"]) is int else None
        try:
            if not isinstance(reply.get("args"), list) or not isinstance(reply.get("kwargs"), list):
                raise wire.WireError("callback arguments that are not lists")
            args = [wire.decode(a, buffers) for a in reply["args"]]
            kwargs = {str(k): wire.decode(v, buffers) for k, v in reply["kwargs"]}
        except (wire.WireError, TypeError, ValueError):
            fn = None
        if fn is None:
            self.process.kill()
            raise RunnerCrashed("it called a function it was not given, or sent values the grader does not understand")
        self.in_callback = True
        try:
            result = fn(*args, **kwargs)
        except Exception as err:  # noqa: BLE001 - told to the learner's code, as the error it would see in process
            return {"op": "returned", "raised": {"name": type(err).__name__, "message": str(err)[:2000]}}, []
        finally:
            self.in_callback = False
        encoder = wire.Encoder()
        try:
            return {"op": "returned", "ok": encoder.encode(result)}, encoder.buffers
        except wire.Unsendable:
            self.process.kill()
            raise TypeError(f"a function the kit passed returned a {wire.describe(result)}, which the runner "
                            "cannot take") from None

    def answer(self, reply: dict, buffers: list[bytes]):
        if "forbidden" in reply:
            raise ForbiddenUse([str(n) for n in reply["forbidden"]][:10])
        if "crashed" in reply:
            raise RunnerCrashed(f"it raised {str(reply['crashed'])[:300]}", self.process.output.text())
        if "invalid" in reply:
            raise InvalidOutput(str(reply["invalid"])[:300])
        if "lines" in reply:
            if type(reply["lines"]) is not int or reply["lines"] < 0:
                raise RunnerCrashed("it sent a reply the grader does not understand")
            self.lines += reply["lines"]
        if "sync" in reply:
            self.write_back(reply["sync"], buffers)
        if "warned" in reply:
            self.warn(reply["warned"])
        if "raised" in reply:
            raise self.learner_error(reply["raised"])
        if "ok" not in reply:
            raise RunnerCrashed("it sent a reply the grader does not understand")
        return wire.decode(reply["ok"], buffers, self.handle)

    def warn(self, told) -> None:
        """Raise here, as from the learner's file, the warnings the learner's code raised in the runner."""
        if not isinstance(told, list):
            raise RunnerCrashed("it sent a reply the grader does not understand")
        for item in told[:20]:
            name, message, line = (item + [None, None, None])[:3] if isinstance(item, list) else (None, None, None)
            kind = getattr(builtins, str(name), None)
            category = kind if isinstance(kind, type) and issubclass(kind, Warning) else UserWarning
            warnings.warn_explicit(str(message)[:500], category, self.files[1], line if type(line) is int else 0,
                                   module="learner")

    def iterate(self, target: int):
        return self.request({"op": "iter", "target": target})

    def next(self, target: int):
        """The next item of an iterator in the runner; StopIteration here when it has none."""
        reply = self.request({"op": "next", "target": target})
        if not (isinstance(reply, list) and len(reply) == 2 and type(reply[0]) is bool):
            raise RunnerCrashed("it sent a reply the grader does not understand")
        if not reply[0]:
            raise StopIteration
        return reply[1]

    def length(self, target: int) -> int:
        n = self.request({"op": "len", "target": target})
        if type(n) is not int or n < 0:
            raise InvalidOutput(f"len() gave {wire.describe(n)}")
        return n

    def learner_error(self, info: dict):
        err = remote_error(info)
        learner, original = self.files
        err.frames = [(original if f == learner else f, line, name, text) for f, line, name, text in err.frames]
        return err

    def call(self, target: int, args, kwargs, name: str | None = None):
        """Call the object behind `target`, or with `name` its attribute of that name (one request, not two)."""
        encoder = wire.Encoder()
        header = {"op": "call", "target": target, "args": [self.encode(a, encoder) for a in args],
                  "kwargs": [[k, self.encode(v, encoder)] for k, v in kwargs.items()]}
        if name is not None:
            header["name"] = name
        if self.counting:
            header["count_lines"] = True
        return self.request(header, encoder.buffers)

    def operate(self, name: str, operands: tuple):
        """`operator.<name>(*operands)` in the runner, where some operand is a stand-in for the learner's object."""
        if name not in OPERATORS:
            raise TypeError(f"the runner does not carry the operator {name!r}")
        encoder = wire.Encoder()
        header = {"op": "operator", "name": name, "args": [self.encode(a, encoder) for a in operands]}
        if self.counting:
            header["count_lines"] = True
        return self.request(header, encoder.buffers)

    def getattr(self, target: int, name: str):
        return self.request({"op": "getattr", "target": target, "name": name})

    def member(self, owner: "Remote", name: str):
        """`owner.name`: a method seen before is called later in one request; anything else is fetched now."""
        type_name, hid = object.__getattribute__(owner, "_type"), object.__getattribute__(owner, "_hid")
        if (type_name, name) in self.methods:
            return RemoteMember(self, hid, f"{type_name}.{name}", name)
        value = self.getattr(hid, name)
        if isinstance(value, (RemoteCallable, RemoteClass)):
            self.methods.add((type_name, name))
            if type_name == "module":
                self.process.functions.add(name)
        return value

    def setattr(self, target: int, name: str, value) -> None:
        encoder = wire.Encoder()
        self.request({"op": "setattr", "target": target, "name": name, "value": self.encode(value, encoder)},
                     encoder.buffers)

    def forget(self) -> None:
        """End of a test: the runner drops its objects and its copies of the caller's arrays before it reads the
        next test's first request (told with that request, which saves a round trip per test)."""
        self.remotes.clear()
        self.process.forget_first = True

    # ------------------------------------------------------------ values that are not plain

    def encode(self, value, encoder: wire.Encoder):
        """An argument as it crosses: the caller's arrays by reference, generators with their state, handles."""
        kind = type(value)
        if kind is np.ndarray and value.dtype.str in wire.ALLOWED_DTYPES:
            rid, _ = self.arrays.setdefault(id(value), (len(self.arrays) + 1, value))
            return {"$ref": rid, "value": encoder.encode(value)}
        if kind in (tuple, list):
            return {"$tuple" if kind is tuple else "$list": [self.encode(v, encoder) for v in value]}
        if kind is dict and all(type(k) is str for k in value):
            return {"$dict": [[k, self.encode(v, encoder)] for k, v in value.items()]}
        if isinstance(value, RemoteMember):  # a method passed along as a value: fetch the real thing
            get = object.__getattribute__
            value = self.getattr(get(value, "_hid"), get(value, "_name"))
        if isinstance(value, Remote):
            return {"$h": object.__getattribute__(value, "_hid")}
        if kind is np.random.Generator:
            return self.rng_tag(value)
        if callable(value) and not isinstance(value, (type, np.ndarray, np.generic)):
            cid = len(self.callbacks) + 1  # a function of the judge's: it stays here, the runner may call it
            self.callbacks[cid] = value
            return {"$cb": cid}
        try:
            return encoder.encode(value)
        except wire.Unsendable:  # the kit's own test passed something the wire cannot carry: say so loudly
            raise TypeError(f"the runner cannot take a {wire.describe(value)}") from None

    def rng_tag(self, generator: np.random.Generator) -> dict:
        state = generator.bit_generator.state
        if state.get("bit_generator") not in SUPPORTED_BIT_GENERATORS:
            raise TypeError(f"the runner cannot take a generator built on {state.get('bit_generator')}")
        rid, _ = self.rngs.setdefault(id(generator), (len(self.rngs) + 1, generator))
        return {"$rng": rid, "state": state}

    def handle(self, tag: dict):
        if "$h" not in tag or type(tag["$h"]) is not int:
            raise RunnerCrashed("it sent a value the grader does not understand")
        kind = tag.get("kind")
        cls = {"callable": RemoteCallable, "class": RemoteClass, "module": RemoteModule,
               "iterator": RemoteIterator}.get(kind, RemoteObject)
        known = self.remotes.get(tag["$h"])
        if type(known) is cls:
            return known
        self.remotes[tag["$h"]] = cls(self, tag["$h"], str(tag.get("type", "object"))[:100])
        return self.remotes[tag["$h"]]

    def write_back(self, sync: dict, buffers: list[bytes]) -> None:
        by_rid = {rid: array for rid, array in self.arrays.values()}
        for rid, tree in sync.get("arrays", []):
            now = wire.decode(tree, buffers)
            array = by_rid.get(rid)
            if array is not None and type(now) is np.ndarray and now.shape == array.shape and array.flags.writeable:
                array[...] = now.astype(array.dtype, copy=False)
        generators = {rid: g for rid, g in self.rngs.values()}
        for rid, state in sync.get("rngs", []):
            generator = generators.get(rid)
            if generator is not None and isinstance(state, dict) and \
                    state.get("bit_generator") == generator.bit_generator.state["bit_generator"]:
                try:
                    generator.bit_generator.state = state
                except (TypeError, ValueError, KeyError) as err:
                    raise InvalidOutput(f"a generator state the grader cannot take ({err})") from None


class Remote:
    """Something that lives in the runner, named by a handle."""

    def __init__(self, session: Session, hid: int, type_name: str):
        object.__setattr__(self, "_session", session)
        object.__setattr__(self, "_hid", hid)
        object.__setattr__(self, "_type", type_name)

    def __getattr__(self, name: str):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)  # copy, pickle and numpy probe these; the learner's object has none here
        return object.__getattribute__(self, "_session").member(self, name)

    def __setattr__(self, name: str, value) -> None:
        object.__getattribute__(self, "_session").setattr(object.__getattribute__(self, "_hid"), name, value)

    def __call__(self, *args, **kwargs):
        session = object.__getattribute__(self, "_session")
        return session.call(object.__getattribute__(self, "_hid"), args, kwargs)

    def __repr__(self) -> str:
        return f"<{object.__getattribute__(self, '_type')} in the runner>"


class RemoteModule(Remote):
    pass


class RemoteCallable(Remote):
    pass


class RemoteClass(Remote):
    pass


class RemoteObject(Remote):
    """An instance of the learner's class: `len(obj)`, `for x in obj` and `a + b` run its methods in the runner."""

    __array_ufunc__ = None  # `np.float64(2) * obj` defers to obj's reflected operator, as for the learner's class

    def __len__(self) -> int:
        get = object.__getattribute__
        return get(self, "_session").length(get(self, "_hid"))

    def __iter__(self):
        get = object.__getattribute__
        return get(self, "_session").iterate(get(self, "_hid"))


def _binary(name: str, reflected: bool = False):
    def method(self, other):
        operands = (other, self) if reflected else (self, other)
        return object.__getattribute__(self, "_session").operate(name, operands)
    method.__name__ = f"__{'r' if reflected else ''}{name}__"
    return method


def _unary(name: str):
    def method(self):
        return object.__getattribute__(self, "_session").operate(name, (self,))
    method.__name__ = "__bool__" if name == "truth" else f"__{name}__"
    return method


for _name in BINARY_OPERATORS:
    setattr(RemoteObject, f"__{_name}__", _binary(_name))
    setattr(RemoteObject, f"__r{_name}__", _binary(_name, reflected=True))
    setattr(RemoteObject, f"__i{_name}__", _binary(f"i{_name}"))
for _name in UNARY_OPERATORS:
    setattr(RemoteObject, _unary(_name).__name__, _unary(_name))


class RemoteIterator(Remote):
    """An iterator that lives in the runner (a generator from the learner's __iter__): one request per item."""

    def __iter__(self):
        return self

    def __next__(self):
        get = object.__getattribute__
        return get(self, "_session").next(get(self, "_hid"))


class RemoteMember(Remote):
    """`owner.name` for a method: calling it asks the runner to look the name up and call it, in one go."""

    def __init__(self, session: Session, hid: int, type_name: str, name: str):
        super().__init__(session, hid, type_name)
        object.__setattr__(self, "_name", name)

    def __call__(self, *args, **kwargs):
        get = object.__getattribute__
        return get(self, "_session").call(get(self, "_hid"), args, kwargs, name=get(self, "_name"))
