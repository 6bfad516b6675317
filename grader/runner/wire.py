"""The runner's wire format: a JSON header and raw byte buffers, never pickle.

Both sides import this file, so it uses only the standard library and NumPy. A frame is
`!I header length`, the UTF-8 JSON header, then each buffer as `!Q length` and its bytes.
Inside the header, values that JSON cannot hold exactly are tagged objects:

    {"$nd": i, "dtype": "<f8", "shape": [2, 3]}   an exact ndarray whose bytes are buffer i
    {"$np": "<f4", "hex": "0000803f"}             a NumPy scalar (np.float32(1.0))
    {"$float": "nan"}                             a Python float JSON cannot spell
    {"$tuple": [...]}, {"$list": [...]}, {"$dict": [[key, value], ...]}

Arrays and scalars are rebuilt from bytes with a dtype from ALLOWED_DTYPES, so what arrives is
always an exact np.ndarray or an exact NumPy scalar type, never an object of the sender's choosing.
"""

from __future__ import annotations

import json
import math
import os
import struct

import numpy as np

ALLOWED_DTYPES = frozenset(np.dtype(c).str for c in "?bBhHiIlLqQefdgFDG")
"""Plain numeric dtypes in native byte order: no objects, no strings, no structured records."""
MAX_HEADER = 16 * 2**20
MAX_TOTAL = 1 * 2**30
"""A frame larger than this is refused: no answer of any exercise comes near it."""
PYTHON_SCALARS = (bool, int, float, str, type(None))


class WireError(Exception):
    """A frame that does not follow the format; the message says how."""


class Unsendable(Exception):
    """A value with no plain form; `what` describes it (type, dtype) for a message."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


def describe(value) -> str:
    """What a value is, for a message: its type, and its dtype when it has one."""
    kind = type(value)
    name = f"{kind.__module__}.{kind.__qualname__}" if kind.__module__ not in ("builtins",) else kind.__qualname__
    dtype = getattr(value, "dtype", None)
    return f"{name} with dtype {dtype}" if isinstance(dtype, np.dtype) else name


# ---------------------------------------------------------------- values <-> header + buffers

class Encoder:
    """Turns plain values into JSON-ready trees, collecting array bytes in `buffers`.

    `other(value)` is asked about anything that is not a plain value; it returns a tagged dict or
    raises Unsendable.
    """

    def __init__(self, other=None):
        self.buffers: list[bytes] = []
        self.other = other

    def encode(self, value):
        kind = type(value)
        if kind is float:
            return value if math.isfinite(value) else {"$float": repr(value)}
        if kind in PYTHON_SCALARS:
            return value
        if kind is np.ndarray and value.dtype.str in ALLOWED_DTYPES:
            self.buffers.append(np.ascontiguousarray(value).tobytes())
            return {"$nd": len(self.buffers) - 1, "dtype": value.dtype.str, "shape": list(value.shape)}
        if isinstance(value, np.generic) and _exact_scalar(kind):
            return {"$np": np.dtype(kind).str, "hex": np.array(value).tobytes().hex()}
        if kind is tuple:
            return {"$tuple": [self.encode(v) for v in value]}
        if kind is list:
            return {"$list": [self.encode(v) for v in value]}
        if kind is dict and all(type(k) is str for k in value):
            return {"$dict": [[k, self.encode(v)] for k, v in value.items()]}
        if self.other is not None:
            return self.other(value)
        raise Unsendable(describe(value))


def _exact_scalar(kind) -> bool:
    """Whether `kind` is one of NumPy's own numeric scalar types (not a subclass of one)."""
    try:
        dtype = np.dtype(kind)
    except TypeError:
        return False
    return kind is dtype.type and dtype.str in ALLOWED_DTYPES


def decode(tree, buffers: list[bytes], other=None):
    """The value a header tree stands for; `other(tag_dict)` handles tags this module does not know."""
    if isinstance(tree, list):
        raise WireError("a bare list in a header")
    if not isinstance(tree, dict):
        return tree
    if "$nd" in tree:
        return _array(tree, buffers)
    if "$np" in tree:
        dtype = _dtype(tree["$np"])
        raw = bytes.fromhex(str(tree["hex"]))
        if len(raw) != dtype.itemsize:
            raise WireError("a scalar of the wrong size")
        return np.frombuffer(raw, dtype)[0]
    if "$float" in tree:
        if tree["$float"] not in ("nan", "inf", "-inf"):
            raise WireError("a float that is not nan or inf")
        return float(tree["$float"])
    if "$tuple" in tree:
        return tuple(decode(v, buffers, other) for v in _items(tree["$tuple"]))
    if "$list" in tree:
        return [decode(v, buffers, other) for v in _items(tree["$list"])]
    if "$dict" in tree:
        return {str(k): decode(v, buffers, other) for k, v in _items(tree["$dict"])}
    if other is not None:
        return other(tree)
    raise WireError(f"an unknown tag {sorted(tree)[:3]}")


def _items(value) -> list:
    if not isinstance(value, list):
        raise WireError("a container that is not a list")
    return value


def _dtype(text) -> np.dtype:
    if not isinstance(text, str) or text not in ALLOWED_DTYPES:
        raise WireError(f"a dtype that is not allowed: {text!r}")
    return np.dtype(text)


def _array(tree: dict, buffers: list[bytes]) -> np.ndarray:
    dtype = _dtype(tree.get("dtype"))
    shape = tree.get("shape")
    if not isinstance(shape, list) or not all(type(n) is int and n >= 0 for n in shape):
        raise WireError("an array shape that is not a list of sizes")
    index = tree["$nd"]
    if type(index) is not int or not 0 <= index < len(buffers):
        raise WireError("an array without its bytes")
    raw = buffers[index]
    if len(raw) != math.prod(shape) * dtype.itemsize:
        raise WireError("an array whose bytes do not match its shape")
    return np.frombuffer(raw, dtype).reshape(shape).copy()  # a fresh, writable, exact ndarray


# ---------------------------------------------------------------- frames on file descriptors

def frame(header: dict, buffers: list[bytes] = ()) -> bytes:
    """One message as bytes: header length, header, then each buffer with its length."""
    head = json.dumps({**header, "nbuf": len(buffers)}, allow_nan=False).encode()
    parts = [struct.pack("!I", len(head)), head]
    for buf in buffers:
        parts += [struct.pack("!Q", len(buf)), buf]
    return b"".join(parts)


def send(fd: int, header: dict, buffers: list[bytes] = ()) -> None:
    data = memoryview(frame(header, buffers))
    while data:
        data = data[os.write(fd, data):]


def receive(read_exact) -> tuple[dict, list[bytes]]:
    """One frame, read with `read_exact(n) -> bytes` (which raises on end of stream or timeout)."""
    (size,) = struct.unpack("!I", read_exact(4))
    if size > MAX_HEADER:
        raise WireError(f"a header of {size} bytes")
    header = json.loads(read_exact(size))
    if not isinstance(header, dict) or type(header.get("nbuf")) is not int or header["nbuf"] < 0:
        raise WireError("a header that is not an object with nbuf")
    buffers, total = [], size
    for _ in range(header["nbuf"]):
        (length,) = struct.unpack("!Q", read_exact(8))
        total += length
        if total > MAX_TOTAL:
            raise WireError(f"a frame of more than {MAX_TOTAL // 2**20} MB")
        buffers.append(read_exact(length))
    return header, buffers


def blocking_reader(fd: int):
    """read_exact for the runner's side: blocks until n bytes came, EOFError at end of stream."""
    def read_exact(n: int) -> bytes:
        chunks, left = [], n
        while left:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    return read_exact
