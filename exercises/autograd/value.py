"""A scalar reverse-mode autograd engine: Values that remember how they were made, and backward()."""

import math
import numbers


class Value:
    """One real number in a computation graph, with the gradient of a final result with respect to it.

    Every operation on Values makes a new Value that remembers its inputs (its parents) and how to
    pass a gradient back to them: for out = f(a, b), a.grad += d out / d a * out.grad, and the same
    for b. The chain rule, applied from the result back to the leaves:
        a + b: 1 and 1;   a * b: b and a;   a / b: 1 / b and -a / b**2;   a ** n: n * a**(n - 1);
        -a: -1;   relu(a): 1 where a > 0, else 0 (0 at exactly 0, as torch);
        tanh(a): 1 - tanh(a)**2;   exp(a): exp(a);   log(a): 1 / a.
    A plain number on either side of + - * / is made a Value first (a constant whose gradient
    nobody reads), so 2 - v is 2 + (-v), not v - 2, and 2 / v is 2 * v**-1.

    `backward()` on a result sets its grad to 1 and visits every node of its graph exactly once,
    in reverse topological order: a node passes its gradient back only after every node that uses
    it has passed theirs to it. Gradients are ADDED (+=), so a Value used twice (a * a, or a
    diamond x -> a -> b, c -> d) gets the sum of the contributions of all its uses.

    Attributes:
        data: the value, a Python float.
        grad: d result / d self after result.backward(); 0.0 until then, and 0.0 for a Value the
            result does not depend on.

    PyTorch: torch.tensor(data, dtype=torch.float64, requires_grad=True), the same expression, then
        out.backward(); leaf.grad
    """

    def __init__(self, data, _parents=()):
        """A Value holding `data`, with grad 0.0.

        Args:
            data: an int or a float (a NumPy scalar too); kept as a Python float.
            _parents: the Values this one was computed from (set by the operations, not by callers).

        Raises:
            ValueError: if data is not a real number (a string, None, a list, a Value...).
        """
        # TODO: refuse what is not a real number; data = float(data), grad = 0.0; remember the parents and a do-nothing backward step
        raise NotImplementedError("autograd.value: __init__")

    def __repr__(self):
        return f"Value(data={self.data!r}, grad={self.grad!r})"

    def __add__(self, other):
        """self + other: both get out.grad."""
        # TODO: make other a Value; out = Value(sum, (self, other)); its backward adds out.grad to both
        raise NotImplementedError("autograd.value: __add__")

    def __radd__(self, other):
        """other + self, other a number."""
        # TODO: addition does not care about the order
        raise NotImplementedError("autograd.value: __radd__")

    def __mul__(self, other):
        """self * other: self gets other.data * out.grad, other gets self.data * out.grad."""
        # TODO: make other a Value; out = Value(product, (self, other)); each gets the other's data times out.grad
        raise NotImplementedError("autograd.value: __mul__")

    def __rmul__(self, other):
        """other * self, other a number."""
        # TODO: multiplication does not care about the order
        raise NotImplementedError("autograd.value: __rmul__")

    def __neg__(self):
        """-self: self gets -out.grad."""
        # TODO: -1 times self
        raise NotImplementedError("autograd.value: __neg__")

    def __sub__(self, other):
        """self - other."""
        # TODO: self plus the negation of other
        raise NotImplementedError("autograd.value: __sub__")

    def __rsub__(self, other):
        """other - self, other a number: 2 - v is 2 + (-v), NOT v - 2."""
        # TODO: other is on the LEFT: other plus the negation of self
        raise NotImplementedError("autograd.value: __rsub__")

    def __pow__(self, n):
        """self ** n for a number n (not a Value): self gets n * self.data ** (n - 1) * out.grad."""
        # TODO: refuse a Value exponent (NotImplemented); out = Value(data ** n, (self,)); backward with n * data ** (n - 1)
        raise NotImplementedError("autograd.value: __pow__")

    def __truediv__(self, other):
        """self / other: self times other ** -1, so the denominator gets -self.data / other.data**2 * out.grad."""
        # TODO: self times other to the power -1
        raise NotImplementedError("autograd.value: __truediv__")

    def __rtruediv__(self, other):
        """other / self, other a number: 2 / v is 2 * v ** -1, NOT v / 2."""
        # TODO: other is on the LEFT: other times self to the power -1
        raise NotImplementedError("autograd.value: __rtruediv__")

    def relu(self):
        """max(self, 0): self gets out.grad where self.data > 0, nothing at or below 0 (as torch)."""
        # TODO: out = Value(max(data, 0), (self,)); backward passes out.grad only where data > 0
        raise NotImplementedError("autograd.value: relu")

    def tanh(self):
        """tanh(self): self gets (1 - tanh(self)**2) * out.grad."""
        # TODO: t = math.tanh(data); backward with 1 - t ** 2 (squared)
        raise NotImplementedError("autograd.value: tanh")

    def exp(self):
        """e ** self: self gets exp(self) * out.grad."""
        # TODO: e = math.exp(data); backward with e itself
        raise NotImplementedError("autograd.value: exp")

    def log(self):
        """The natural logarithm of self (self > 0): self gets out.grad / self.data."""
        # TODO: out = Value(math.log(data), (self,)); backward with 1 / data
        raise NotImplementedError("autograd.value: log")

    def backward(self):
        """Fill in d self / d node for every node self depends on (self a scalar result).

        self.grad becomes 1; then every node of the graph, in reverse topological order (a node
        only after all the nodes computed from it), passes its gradient to its parents once.

        PyTorch: out.backward()
        """
        # TODO: list the nodes in topological order (parents before children, each once, by a depth-first search with a seen set); grad = 1; call each node's _backward from the last to the first
        raise NotImplementedError("autograd.value: backward")


def _as_value(x):
    """x itself if it is a Value, a constant Value if it is a real number, else NotImplemented."""
    if isinstance(x, Value):
        return x
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        return NotImplemented
    return Value(x)


def _topological_order(root):
    """Every node root depends on, each once, every node after all its parents; root last.

    A depth-first search without recursion (so long chains do not reach Python's recursion limit):
    a node is appended once all its parents have been."""
    # TODO: a stack of (node, parents done?) pairs; a seen set so a node shared by two paths is listed once
    raise NotImplementedError("autograd.value: _topological_order")
