"""Classic wrong answers to autograd.value, each named and explained. Each replaces the whole class."""

import math
import numbers

from grader.testing.mistakes import mistake


class _Value:
    """A correct Value split into small steps; each mistake overrides exactly one of them."""

    def __init__(self, data, _parents=()):
        if isinstance(data, bool) or not isinstance(data, numbers.Real):
            raise ValueError(f"data must be a number, got {data!r}")
        self.data = float(data)
        self.grad = 0.0
        self._parents = tuple(_parents)
        self._backward = lambda: None

    # the pieces the mistakes change

    def _add_grad(self, node, g):
        node.grad += g

    def _pow_local(self, n):
        return n * self.data ** (n - 1)

    def _tanh_local(self, t):
        return 1.0 - t * t

    def _relu_local(self):
        return 1.0 if self.data > 0 else 0.0

    def _denominator_local(self, num, den):
        return -num.data / den.data ** 2

    # the engine

    def _wrap(self, other):
        return other if isinstance(other, _Value) else type(self)(other)

    def _new(self, data, pairs):
        """A node holding data whose backward sends each (parent, local derivative) pair local * out.grad."""
        out = type(self)(data, tuple(p for p, _ in pairs))

        def _backward():
            for parent, local in pairs:
                out._add_grad(parent, local * out.grad)

        out._backward = _backward
        return out

    def __add__(self, other):
        other = self._wrap(other)
        return self._new(self.data + other.data, ((self, 1.0), (other, 1.0)))

    def __radd__(self, other):
        return self + other

    def __mul__(self, other):
        other = self._wrap(other)
        return self._new(self.data * other.data, ((self, other.data), (other, self.data)))

    def __rmul__(self, other):
        return self * other

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-self._wrap(other))

    def __rsub__(self, other):
        return self._wrap(other) + (-self)

    def __truediv__(self, other):
        other = self._wrap(other)
        return self._new(self.data / other.data,
                         ((self, 1.0 / other.data), (other, self._denominator_local(self, other))))

    def __rtruediv__(self, other):
        return self._wrap(other) / self

    def __pow__(self, n):
        return self._new(self.data ** n, ((self, self._pow_local(n)),))

    def relu(self):
        return self._new(max(self.data, 0.0), ((self, self._relu_local()),))

    def tanh(self):
        t = math.tanh(self.data)
        return self._new(t, ((self, self._tanh_local(t)),))

    def exp(self):
        e = math.exp(self.data)
        return self._new(e, ((self, e),))

    def log(self):
        return self._new(math.log(self.data), ((self, 1.0 / self.data),))

    def backward(self):
        order, seen = [], set()

        def visit(node):
            if id(node) not in seen:
                seen.add(id(node))
                for parent in node._parents:
                    visit(parent)
                order.append(node)

        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()


class _GradAssigned(_Value):
    def _add_grad(self, node, g):
        node.grad = g


class _RsubReversed(_Value):
    def __rsub__(self, other):
        return self - other


class _RtruedivReversed(_Value):
    def __rtruediv__(self, other):
        return self / other


class _PowWithoutN(_Value):
    def _pow_local(self, n):
        return self.data ** (n - 1)


class _TanhNotSquared(_Value):
    def _tanh_local(self, t):
        return 1.0 - t


class _ReluOneAtZero(_Value):
    def _relu_local(self):
        return 1.0 if self.data >= 0 else 0.0


class _DenominatorSign(_Value):
    def _denominator_local(self, num, den):
        return num.data / den.data ** 2


class _PerPathRecursion(_Value):
    def backward(self):
        self.grad = 1.0
        self._propagate()

    def _propagate(self):
        self._backward()  # sends this node's grad as it is NOW, once per path that reaches it
        for parent in self._parents:
            parent._propagate()


MISTAKES = [
    mistake(
        "grad_assigned",
        title={"en": "grad assigned (=) instead of accumulated (+=)", "zh": "grad 用 = 赋值，而不是用 += 累加"},
        why={"en": "A Value used in several places gets one contribution from each use, and its gradient is their "
                   "SUM: with a + a each term sends 1, so a.grad is 2. Writing grad = keeps only the last "
                   "contribution; every backward step must add to grad (+=), which is also why grad starts at 0.",
             "zh": "一个 Value 被用在好几个地方时，每一处使用都会送来一份贡献，它的梯度是这些贡献的和：a + a 里"
                   "两项各送来 1，所以 a.grad 是 2。写成 grad = 只会留下最后一份；每一步反向传播都必须累加"
                   "（+=），这也是 grad 要从 0 开始的原因。"},
        Value=_GradAssigned),
    mistake(
        "rsub_reversed",
        title={"en": "2 - v computed as v - 2 (__rsub__ the wrong way round)",
               "zh": "把 2 - v 算成了 v - 2（__rsub__ 的顺序反了）"},
        why={"en": "Python calls v.__rsub__(2) for 2 - v, when the number on the left cannot subtract a Value: the "
                   "argument is the LEFT operand. Subtraction is not symmetric, so __rsub__ = __sub__ gives v - 2, "
                   "with the wrong sign for both the value and the gradient. Return Value(other) - self, or "
                   "other + (-self).",
             "zh": "计算 2 - v 时，左边的数字不会减 Value，Python 于是调用 v.__rsub__(2)：参数是左边的操作数。减法"
                   "不满足交换律，所以 __rsub__ = __sub__ 得到的是 v - 2，值和梯度的符号都错了。应当返回 "
                   "Value(other) - self，或者 other + (-self)。"},
        Value=_RsubReversed),
    mistake(
        "rtruediv_reversed",
        title={"en": "2 / v computed as v / 2 (__rtruediv__ the wrong way round)",
               "zh": "把 2 / v 算成了 v / 2（__rtruediv__ 的顺序反了）"},
        why={"en": "For 2 / v Python calls v.__rtruediv__(2): the number is the numerator. Division is not "
                   "symmetric, so reusing __truediv__ computes v / 2; return Value(other) / self, or "
                   "other * self ** -1, whose gradient is -other / v**2.",
             "zh": "计算 2 / v 时 Python 调用 v.__rtruediv__(2)：数字是分子。除法不满足交换律，直接复用 "
                   "__truediv__ 算出的是 v / 2；应当返回 Value(other) / self，或者 other * self ** -1，"
                   "它的梯度是 -other / v**2。"},
        Value=_RtruedivReversed),
    mistake(
        "pow_without_n",
        title={"en": "the power rule without its factor n: d(v**n)/dv as v**(n - 1)",
               "zh": "幂法则漏了系数 n：把 d(v**n)/dv 写成 v**(n - 1)"},
        why={"en": "The derivative of v ** n is n * v ** (n - 1): the exponent comes down as a factor and the power "
                   "drops by one. Without the n, v ** 2 gets v instead of 2v and v ** -1 gets v**-2 instead of "
                   "-v**-2.",
             "zh": "v ** n 的导数是 n * v ** (n - 1)：指数落下来成为系数，幂次减一。漏掉 n 的话，v ** 2 的导数"
                   "成了 v 而不是 2v，v ** -1 的导数成了 v**-2 而不是 -v**-2。"},
        Value=_PowWithoutN),
    mistake(
        "tanh_not_squared",
        title={"en": "tanh's derivative as 1 - tanh(v) instead of 1 - tanh(v)**2",
               "zh": "把 tanh 的导数写成 1 - tanh(v)，而不是 1 - tanh(v)**2"},
        why={"en": "d tanh(v)/dv = 1 - tanh(v)**2, the output SQUARED. 1 - tanh(v) is another function: it "
                   "exceeds 1 for v < 0, where the true slope is never above 1, and it is wrong everywhere but at 0.",
             "zh": "d tanh(v)/dv = 1 - tanh(v)**2，输出要平方。1 - tanh(v) 在 v < 0 时大于 1，而真正的斜率总"
                   "小于 1；除了 v = 0 之外处处都不对。"},
        Value=_TanhNotSquared),
    mistake(
        "relu_one_at_zero",
        title={"en": "relu's gradient 1 at exactly 0 (torch uses 0)", "zh": "relu 在恰好为 0 处的梯度取了 1（torch 取 0）"},
        why={"en": "relu has no derivative at 0; torch, like most frameworks, uses 0 there: the gradient passes "
                   "only where data > 0 strictly. data >= 0 passes it at 0 as well.",
             "zh": "relu 在 0 处不可导；torch 和大多数框架一样在那里取 0：只有 data 严格大于 0 时梯度才通过。"
                   "写成 data >= 0 会让梯度在 0 处也通过。"},
        Value=_ReluOneAtZero),
    mistake(
        "denominator_sign",
        title={"en": "the denominator's gradient a / b**2 instead of -a / b**2",
               "zh": "分母的梯度写成 a / b**2，而不是 -a / b**2"},
        why={"en": "For out = a / b, d out / d b = -a / b**2: a larger denominator makes the quotient smaller, so "
                   "the sign is minus. Building division as a * b ** -1 gets it from the power rule without a "
                   "formula to remember.",
             "zh": "对 out = a / b，d out / d b = -a / b**2：分母越大商越小，所以是负号。把除法写成 a * b ** -1，"
                   "就可以直接由幂法则得到，不用另记公式。"},
        Value=_DenominatorSign),
    mistake(
        "per_path_recursion",
        title={"en": "backward recursing along every path instead of in reverse topological order",
               "zh": "backward 沿每条路径递归，而不是按逆拓扑序"},
        why={"en": "A node may pass its gradient on only once, after ALL the nodes that use it have added theirs. "
                   "Recursing from each node into its parents reaches a shared node h once per path: the first "
                   "time h passes on a partial gradient, the second time the full one, so the leaves below h count "
                   "it twice. List the nodes in topological order first (each once), then call the backward steps "
                   "in reverse.",
             "zh": "一个节点只能把梯度往下传一次，而且要等所有使用它的节点都把梯度加给它之后。从每个节点递归到"
                   "父节点，会让共享节点 h 每条路径都被访问一次：第一次传下去的是不完整的梯度，第二次是完整的，"
                   "h 下面的叶子就把它算了两遍。应当先把节点按拓扑序排好（每个只出现一次），再逆序调用各自的反向"
                   "步骤。"},
        Value=_PerPathRecursion),
]
