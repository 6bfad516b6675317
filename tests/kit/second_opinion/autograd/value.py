"""A scalar reverse-mode engine (independent implementation).

Written another way than the reference: no closures; each node stores its parents with their
local derivatives, and backward multiplies them out. Numbers are kept as they come (a NumPy
float32 stays float32 and is computed in float32, an int stays an int until an operation makes a
float), grad starts as the int 0, subtraction and division have rules of their own, and the
topological order comes from a recursive depth-first search.
"""

import math
import numbers

import numpy as np


def _number(x):
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (numbers.Real, np.floating, np.integer)):
        raise ValueError(f"Value needs a real number, not {x!r}")
    return x


class Value:
    def __init__(self, data, _edges=()):
        self.data = _number(data)
        self.grad = 0
        self._edges = _edges  # ((parent, d self / d parent), ...)

    @staticmethod
    def _lift(x):
        if isinstance(x, Value):
            return x
        if isinstance(x, (numbers.Real, np.floating, np.integer)) and not isinstance(x, bool):
            return Value(x)
        return None

    def __add__(self, o):
        o = self._lift(o)
        return NotImplemented if o is None else Value(self.data + o.data, ((self, 1), (o, 1)))

    def __radd__(self, o):
        return self.__add__(o)

    def __sub__(self, o):
        o = self._lift(o)
        return NotImplemented if o is None else Value(self.data - o.data, ((self, 1), (o, -1)))

    def __rsub__(self, o):
        o = self._lift(o)
        return NotImplemented if o is None else Value(o.data - self.data, ((o, 1), (self, -1)))

    def __mul__(self, o):
        o = self._lift(o)
        return NotImplemented if o is None else Value(self.data * o.data, ((self, o.data), (o, self.data)))

    def __rmul__(self, o):
        return self.__mul__(o)

    def __truediv__(self, o):
        o = self._lift(o)
        if o is None:
            return NotImplemented
        q = self.data / o.data
        return Value(q, ((self, 1 / o.data), (o, -q / o.data)))

    def __rtruediv__(self, o):
        o = self._lift(o)
        return NotImplemented if o is None else o.__truediv__(self)

    def __neg__(self):
        return Value(-self.data, ((self, -1),))

    def __pow__(self, n):
        if isinstance(n, Value):
            return NotImplemented
        return Value(self.data ** n, ((self, n * self.data ** (n - 1)),))

    def relu(self):
        return Value(self.data if self.data > 0 else 0 * self.data, ((self, 1 if self.data > 0 else 0),))

    def tanh(self):
        t = np.tanh(self.data) if isinstance(self.data, np.floating) else math.tanh(self.data)
        return Value(t, ((self, 1 - t * t),))

    def exp(self):
        e = np.exp(self.data) if isinstance(self.data, np.floating) else math.exp(self.data)
        return Value(e, ((self, e),))

    def log(self):
        lg = np.log(self.data) if isinstance(self.data, np.floating) else math.log(self.data)
        return Value(lg, ((self, 1 / self.data),))

    def backward(self):
        order, seen = [], set()

        def visit(node):
            if id(node) in seen:
                return
            seen.add(id(node))
            for parent, _ in node._edges:
                visit(parent)
            order.append(node)

        visit(self)
        self.grad = 1
        for node in reversed(order):
            for parent, local in node._edges:
                parent.grad = parent.grad + local * node.grad
