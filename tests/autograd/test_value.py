"""autograd.value: a scalar autograd engine against torch autograd on the same expression.

Every expression is written once, as Python text over the leaves a, b, c...; it is evaluated on the learner's
Values (the operators and methods are the learner's) and on float64 torch scalars with requires_grad (the same
operators and methods are torch's). The result's data and every leaf's grad after out.backward() are compared,
torch's gradient of an unused leaf (None) counting as 0.0. In grading the learner's Values live in the runner,
and each operator is one round trip: expressions stay small, and the longest chain has about 200 nodes.

Dtype: a scalar engine has none of its own. test_dtype makes the leaves from NumPy float32 scalars and from ints:
an engine may turn them into Python floats (as the reference does) or keep them as they came and compute in float32,
so the float32 case is held to float32's tolerance; what fails is refusing such a number, or a wrong answer.
"""

import numpy as np
import pytest

from grader.testing import oracle

NAMES = "abcdefgh"


# ------------------------------------------------------------------ one expression, two engines

def function(expr: str, n: int):
    """The expression as a function of its n leaves, named a, b, c... in order."""
    return eval(f"lambda {', '.join(NAMES[:n])}: {expr}")  # noqa: S307 - the test's own text


def learner_run(m, fn, values):
    """(out.data, a.grad, b.grad, ...) with the learner's Values."""
    leaves = [m.Value(v) for v in values]
    out = fn(*leaves)
    out.backward()
    return (out.data,) + tuple(leaf.grad for leaf in leaves)


def torch_run(fn, values, dtype=float):
    """The same with float64 torch scalars; an unused leaf's grad is 0.0."""
    leaves = [oracle.tensor(float(v), grad=True) for v in values]
    out = fn(*leaves)
    out.backward()
    got = (out.item(),) + tuple(0.0 if t.grad is None else t.grad.item() for t in leaves)
    return tuple(dtype(x) for x in got)


def result_names(n):
    return ("out.data",) + tuple(f"{name}.grad" for name in NAMES[:n])


def show(values):
    return "; ".join(f"{name} = Value({v!r})" for name, v in zip(NAMES, values))


def check_expr(check, expr, values, float32=False):
    """expr (text over a, b, ...) on Values holding `values`, against torch; with float32, the expected numbers are
    float32, so an engine that keeps float32 data (and computes in float32) is held to float32's tolerance."""
    fn = function(expr, len(values))
    expected = torch_run(fn, values, np.float32 if float32 else float)
    check.close(lambda m: learner_run(m, fn, values), expected, names=result_names(len(values)),
                call=f"{show(values)}; out = {expr}; out.backward()", inputs=dict(zip(NAMES, values)))


def check_built(check, build, text, values):
    """Like check_expr, for an expression built by a function of the leaves (a loop); `text` says what it does."""
    expected = torch_run(build, values)
    check.close(lambda m: learner_run(m, build, values), expected, names=result_names(len(values)),
                call=f"{show(values)}; out = {text}; out.backward()", inputs=dict(zip(NAMES, values)))


def draw(rng, n, low=0.4, high=2.0):
    """n numbers away from 0 with random signs, rounded so the call a learner sees can be typed back."""
    return [round(float(s * rng.uniform(low, high)), 4) for s in rng.choice([-1.0, 1.0], n)]


# ------------------------------------------------------------------ each operator alone

BINARY = {
    "v_plus_v": "a + b", "v_plus_n": "a + 2.5", "n_plus_v": "2.5 + a",
    "v_minus_v": "a - b", "v_minus_n": "a - 2", "n_minus_v": "2 - a",
    "v_times_v": "a * b", "v_times_n": "a * 3", "n_times_v": "3 * a",
    "v_div_v": "a / b", "v_div_n": "a / 4", "n_div_v": "2 / a",
}


@pytest.mark.parametrize("expr", list(BINARY.values()), ids=list(BINARY))
def test_binary_operators(check, rng, expr):
    """Does each of + - * / alone, between Values or with a number on either side, give torch's data and grads?"""
    check_expr(check, expr, draw(rng, 2) if "b" in expr else draw(rng, 1))


@pytest.mark.parametrize("n", [2, 3, 0.5, -1, -2, 1.5], ids=["square", "cube", "sqrt", "inverse", "inv_square",
                                                             "pow1_5"])
def test_pow(check, rng, n):
    """Does v ** n give torch's value and n * v ** (n - 1) as the gradient, for whole, fractional and negative n?"""
    whole = float(n).is_integer()
    values = draw(rng, 1) if whole else [abs(v) for v in draw(rng, 1)]  # a fractional power of a positive number
    check_expr(check, f"a ** {n}", values)


UNARY = {"neg": "-a", "relu_pos": "a.relu()", "relu_neg": "a.relu()", "tanh": "a.tanh()", "exp": "a.exp()",
         "log": "a.log()"}


@pytest.mark.parametrize("name", list(UNARY))
def test_unary(check, rng, name):
    """Do -v, relu (either side of 0), tanh, exp and log (of a positive v) give torch's value and gradient?"""
    v = abs(draw(rng, 1)[0])
    v = -v if name in ("relu_neg",) or (name in ("neg", "tanh", "exp") and rng.random() < 0.5) else v
    check_expr(check, UNARY[name], [v])


def test_relu_at_zero(check):
    """Is relu's gradient 0 at exactly 0, as torch's (also for a 0 computed as b - b)?"""
    check_expr(check, "a.relu() * 3", [0.0])
    check_expr(check, "(b - b).relu() + a.relu() * b", [0.0, 1.5])


# ------------------------------------------------------------------ shared nodes and graph order

TWICE = {"a_plus_a": "a + a", "a_times_a": "a * a", "cube": "a * a * a", "a_minus_a": "a - a", "a_div_a": "a / a",
         "mixed": "(a + b) * a", "tanh_twice": "a.tanh() * a"}


@pytest.mark.parametrize("expr", list(TWICE.values()), ids=list(TWICE))
def test_used_twice(check, rng, expr):
    """Does a Value used twice in one expression get the sum of both contributions (a + a: 2, a * a: 2a)?"""
    check_expr(check, expr, draw(rng, 2) if "b" in expr else draw(rng, 1))


DIAMONDS = {
    # h is computed once and used by two later nodes: its gradient must be complete before it goes on to a, b.
    "product": "(lambda h: (h + 1) * h.tanh())(a * b)",
    "sum_of_uses": "(lambda h: h.exp() + h * 2 - h ** 2)(a + b)",
    "nested": "(lambda h: (lambda g: g * g + g.relu())(h * 3 - h.tanh()))(a * b + 1)",
    "two_levels": "(lambda h: (lambda g: (g + h) * (g - h))(h.tanh() * a))(a / b)",
}


@pytest.mark.parametrize("expr", list(DIAMONDS.values()), ids=list(DIAMONDS))
def test_diamond(check, rng, expr):
    """In a diamond (h = f(a, b) used by two nodes that meet again), does every leaf get torch's gradient, h's own
    gradient passed on once and complete, as a reverse topological order gives?"""
    check_expr(check, expr, draw(rng, 2, 0.3, 1.2))


EXPRESSIONS = {
    "mixed_numbers": "(1 - a) / (2 + b) * 3 - 1 / a + b / 5",
    "logsumexp": "(a.exp() + b.exp() + c.exp()).log()",
    "squared_error": "((a * b + c).tanh() - 0.5) ** 2",
    "everything": "(-a + b * 2).relu() + (c / a).tanh() - (b ** 2 + 1).log() + (-c).exp() / 4",
}


@pytest.mark.parametrize("expr", list(EXPRESSIONS.values()), ids=list(EXPRESSIONS))
def test_expressions(check, rng, expr):
    """On expressions that mix every operation with numbers on both sides, are data and every leaf's grad torch's?"""
    check_expr(check, expr, draw(rng, 3))


# ------------------------------------------------------------------ a neuron, a long chain

def neuron(n):
    """tanh(w1 * x1 + ... + wn * xn + b): leaves w1..wn, x1..xn, b, in that order."""
    def build(*leaves):
        w, x, b = leaves[:n], leaves[n:2 * n], leaves[2 * n]
        total = b
        for wi, xi in zip(w, x):
            total = total + wi * xi
        return total.tanh()
    return build


@pytest.mark.parametrize("n", [1, 3])
def test_neuron(check, rng, n):
    """Does a neuron tanh(sum w_i x_i + b) give torch's output and the gradient of every weight, input and bias?"""
    values = [round(float(v), 4) for v in rng.uniform(-1.0, 1.0, 2 * n + 1) * np.r_[np.ones(2 * n), 0.5]]
    w, x, b = NAMES[:n], NAMES[n:2 * n], NAMES[2 * n]  # the weights, the inputs, the bias
    text = "(" + " + ".join(f"{wi} * {xi}" for wi, xi in zip(w, x)) + f" + {b}).tanh()"
    check_built(check, neuron(n), text, values)


STEPS = 60


def chain(a, w, c):
    """x = a; then STEPS times x = (x * w + c).tanh(): 3 * STEPS + 1 nodes, w and c used at every step."""
    x = a
    for _ in range(STEPS):
        x = (x * w + c).tanh()
    return x * 2


def test_chain(check, rng):
    """On a chain of about 200 nodes (x = tanh(x * w + c), sixty times), are the grads of a and of w and c (used at
    every step) torch's?"""
    values = [round(float(rng.uniform(0.5, 1.5)), 4), round(float(rng.uniform(1.0, 1.3)), 4),
              round(float(rng.uniform(-0.3, 0.3)), 4)]
    check_built(check, chain, f"x = a; {STEPS} times: x = (x * b + c).tanh(); out = x * 2", values)


def test_fresh_and_unused(check, rng):
    """Is grad 0.0 before backward, 1.0 on the result after it, and still 0.0 on a leaf the result does not use?"""
    values = draw(rng, 3)

    def scenario(m):
        a, b, c = (m.Value(v) for v in values)
        before = (a.grad, b.grad, c.grad)
        out = a * b + a
        out.backward()
        return before + (out.grad, a.grad, b.grad, c.grad)

    fn = function("a * b + a", 3)
    _, da, db, dc = torch_run(fn, values)
    check.close(scenario, (0.0, 0.0, 0.0, 1.0, da, db, dc), inputs=dict(zip(NAMES, values)),
                names=("a.grad before", "b.grad before", "c.grad before", "out.grad", "a.grad", "b.grad",
                       "c.grad (c unused)"),
                call=f"{show(values)}; out = a * b + a; out.backward()")


def test_bad_input(check):
    """Is a Value of something that is not a number (a string, None, a list) refused with a ValueError?"""
    for bad in ("1.5", None, [1.0]):
        check.raises(lambda m: m.Value(bad), call=f"Value({bad!r})", reason=f"data={bad!r} is not a number")


# ------------------------------------------------------------------ dtype

@pytest.mark.parametrize("kind", ["float32", "int"])
def test_dtype(check, rng, kind):
    """Do Values made from NumPy float32 scalars or from ints work, giving torch's data and grads (float32 leaves
    within float32's tolerance)?"""
    if kind == "float32":
        values = [np.float32(v) for v in draw(rng, 3)]
    else:
        values = [int(v) for v in rng.permutation([-3, -2, -1, 1, 2, 3])[:3]]
    check_expr(check, "a * b - c / 2 + (a + 1) ** 2 + c.tanh()", values, float32=kind == "float32")
