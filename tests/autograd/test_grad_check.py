"""autograd.grad_check: central differences and torch.autograd.gradcheck's rule, against torch.autograd of the same f.

Each f is written twice, once in NumPy for the learner's code to call and once in torch for the
reference gradient. Central differences with eps = 1e-6 in float64 are off by about eps² / 6 · f'''
(about 1e-12 here) plus rounding of about 1e-16 · |f| / eps (|f| < 50 here, so under 1e-8): far
inside the float64 tolerance of 1e-5 relative, 1e-6 absolute.
"""

import math

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
NAMES = ("ok", "max_rel_error")
# A batch of one, 1-D, 2-D non-square and 3-D.
SHAPES = {"one_element": (1,), "1d_7": (7,), "2d_3x5": (3, 5), "3d_2x3x4": (2, 3, 4)}


def weighted_tanh(rng, shape, zeros=0):
    """f(x) = sum(w * tanh(x)), w of both signs; with `zeros`, that many w are 0, so f ignores those elements."""
    size = int(np.prod(shape))
    w = rng.uniform(0.5, 2.0, size) * rng.choice([-1.0, 1.0], size)  # (size,)
    w[rng.choice(size, size=zeros, replace=False)] = 0.0
    w = w.reshape(shape)

    def f(x):
        return np.sum(w.astype(x.dtype) * np.tanh(x))

    return f, lambda t: (oracle.tensor(w) * oracle.torch().tanh(t)).sum()


def log_sum_exp(rng, shape):
    """f(x) = log(sum(exp(s * x))) over every element, with the largest term shifted out first."""
    s = float(rng.uniform(1.0, 2.0))

    def f(x):
        z = s * x
        m = z.max()
        return m + np.log(np.sum(np.exp(z - m)))

    return f, lambda t: oracle.torch().logsumexp(s * t.reshape(-1), 0)


def quadratic(rng, shape):
    """f(x) = v @ A @ v with v = x flattened and A neither symmetric nor square-rooted: the gradient is (A + A.T) v."""
    size = int(np.prod(shape))
    a = rng.standard_normal((size, size)) / np.sqrt(size)  # (size, size)

    def f(x):
        v = x.reshape(-1)
        return v @ a.astype(x.dtype) @ v

    return f, lambda t: t.reshape(-1) @ oracle.tensor(a) @ t.reshape(-1)


def cubic(rng, shape):
    """f(x) = sum(w * x**3 + x**2): its central difference is exactly f' + eps² / 6 · f''' (f''' = 6 w)."""
    w = (rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape))

    def f(x):
        return np.sum(w.astype(x.dtype) * x ** 3 + x ** 2)

    return f, lambda t: (oracle.tensor(w) * t ** 3 + t ** 2).sum()


def python_sin(rng, shape):
    """f(x) = sum(w * sin(x)) written with the math module: f returns a Python float, not a NumPy scalar."""
    w = rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)
    weights = w.reshape(-1).tolist()

    def f(x):
        return math.fsum(wi * math.sin(xi) for wi, xi in zip(weights, x.reshape(-1).tolist()))

    return f, lambda t: (oracle.tensor(w) * oracle.torch().sin(t)).sum()


FUNCS = {"sum_tanh": weighted_tanh, "log_sum_exp": log_sum_exp, "quadratic": quadratic, "python_float": python_sin}


def torch_grad(f_torch, x):
    """d f / d x by torch.autograd in float64, cast to x's dtype."""
    t = oracle.tensor(x, grad=True)
    y = f_torch(t)
    return oracle.numpy(oracle.grads(y, [t], oracle.torch().ones_like(y))[0], x.dtype)


def third_derivative(f_torch, x):
    """d³f / dx_i³ for every i by torch.autograd, for an f that is a sum of functions of one element each."""
    torch = oracle.torch()
    t = oracle.tensor(x, grad=True)
    (g1,) = torch.autograd.grad(f_torch(t), t, create_graph=True)
    (g2,) = torch.autograd.grad(g1.sum(), t, create_graph=True)  # the Hessian's diagonal (it has nothing else)
    (g3,) = torch.autograd.grad(g2.sum(), t)
    return oracle.numpy(g3)


def central(f, x, eps):
    """The test's own central differences, float64, on a copy: the n that grad_check compares with."""
    work = np.array(x, dtype=np.float64)
    flat, n = work.reshape(-1), np.empty(x.size)
    for i in range(x.size):
        saved = flat[i]
        flat[i] = saved + eps
        up = float(f(work))
        flat[i] = saved - eps
        down = float(f(work))
        flat[i] = saved
        n[i] = (up - down) / (2 * eps)
    return n.reshape(x.shape)


def expected_check(a, n, rtol=1e-4, atol=1e-6):
    """(ok, max_rel_error) by their definitions, from the analytic a and the numerical n."""
    a, n = np.asarray(a, dtype=np.float64), np.asarray(n, dtype=np.float64)
    diff = np.abs(a - n)
    scale = np.maximum(np.abs(a), np.abs(n))
    rel = np.where(scale > 0, diff / np.where(scale > 0, scale, 1.0), 0.0)
    return bool(np.all(diff <= atol + rtol * np.abs(n))), float(rel.max(initial=0.0))  # 0 for an empty x


TRUE_THEN_NAMES = ("ok (true gradient)", "max_rel_error (true gradient)") + NAMES


def with_true_gradient(m, f, x, g, then):
    """grad_check(f, x, g) with g torch's gradient, then the call `then` makes: four numbers."""
    return tuple(m.grad_check(f, x, g)) + tuple(then())


def point(rng, shape, dtype=np.float64):
    return rng.uniform(-1.0, 1.0, shape).astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
@pytest.mark.parametrize("func", FUNCS)
def test_numerical_grad(check, rng, func, shape, dtype):
    """Does numerical_grad(f, x) match torch.autograd's gradient of the same f, for several f and shapes?"""
    f, f_torch = FUNCS[func](rng, shape)
    x = point(rng, shape, dtype)
    check.close(lambda m: m.numerical_grad(f, x), torch_grad(f_torch, x),
                call=f"numerical_grad(f, x) with f = {func}, x {x.shape} {x.dtype}", inputs={"x": x})


@pytest.mark.parametrize("eps,by_name", [(0.1, True), (0.05, False), (1e-3, True)],
                         ids=["eps_0.1", "eps_0.05_positional", "eps_1e-3"])
def test_step_size(check, rng, eps, by_name):
    """Does numerical_grad use the eps it is given: for a cubic, is it exactly f' + eps²/6 · f''' (central differences)?"""
    f, f_torch = cubic(rng, (3, 4))
    x = point(rng, (3, 4))
    # For a cubic the central difference has no error beyond the eps² term: (f(x+h) - f(x-h)) / 2h = f' + h² f''' / 6.
    expected = torch_grad(f_torch, x) + eps ** 2 / 6 * third_derivative(f_torch, x)
    if by_name:
        run, call = (lambda m: m.numerical_grad(f, x, eps=eps)), f"numerical_grad(f, x, eps={eps})"
    else:
        run, call = (lambda m: m.numerical_grad(f, x, eps)), f"numerical_grad(f, x, {eps})"
    check.close(run, expected, call=call + " with f(x) = sum(w * x**3 + x**2), x (3, 4)", inputs={"x": x})


K = 3e4  # sin(K x): a curve steep enough that the step's own error shows, eps * K = 0.03 at the default eps


def test_default_step(check, rng):
    """With eps left at its default, do numerical_grad and grad_check difference with a step of exactly 1e-6?"""
    # For sin(K x) the central difference is exact in closed form: f'(x) * sin(K eps) / (K eps), 1.5e-4 below f'
    # at eps = 1e-6 and 6e-4 below at 2e-6, far apart at float64 tolerance; rounding adds about 1e-16 / eps / K.
    x = point(rng, (3, 4))
    g = torch_grad(lambda t: oracle.torch().sin(K * t).sum(), x)
    n = g * np.sin(K * 1e-6) / (K * 1e-6)

    def f(v):
        return np.sum(np.sin(K * v))

    check.close(lambda m: (m.numerical_grad(f, x),) + tuple(m.grad_check(f, x, g)), (n,) + expected_check(g, n),
                call="numerical_grad(f, x), then grad_check(f, x, g), with f(x) = sum(sin(3e4 * x)) and g its "
                     "true gradient",
                inputs={"x": x, "analytic_grad": g}, names=("numerical_grad",) + NAMES)


@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 2)], ids=["2d_3x4", "3d_2x3x2"])
def test_x_restored(check, rng, shape):
    """Is x the same array, with the same values, after numerical_grad and grad_check as before (also to the last bit)?"""
    f, f_torch = weighted_tanh(rng, shape)
    base = point(rng, shape)
    g = torch_grad(f_torch, base)

    def after(m):
        x0, x1 = base.copy(), base.copy()
        m.numerical_grad(f, x0, 0.01)
        m.grad_check(f, x1, g, 0.01)
        return x0, x1

    # With a step of 0.01 an x left shifted by the step is far from where it started.
    check.close(after, (base, base), call="x after numerical_grad(f, x, 0.01) and after grad_check(f, x, g, 0.01)",
                inputs={"x": base}, names=("x after numerical_grad", "x after grad_check"))
    # With the default step a shift is small, but the caller's x must still hold exactly its values.
    x = base.copy()
    check.run(lambda m: m.numerical_grad(f, x), call="numerical_grad(f, x)", inputs={"x": x})
    check.run(lambda m: m.grad_check(f, x, g), call="grad_check(f, x, analytic_grad)", inputs={"x": x})


# And an x with no elements: nothing to compare, so ok, with a max_rel_error of 0 (the largest of no errors).
TRUE_CASES = [pytest.param(func, shape, id=f"{func}-{name}") for name, shape in SHAPES.items() for func in FUNCS] + [
    pytest.param("python_float", (0,), id="python_float-empty_0")]


@pytest.mark.parametrize("func, shape", TRUE_CASES)
def test_true_gradient(check, rng, func, shape):
    """Given torch's own gradient, does grad_check(f, x, g) say ok, with a max_rel_error of about 0?"""
    f, f_torch = FUNCS[func](rng, shape)
    x = point(rng, shape)
    g = torch_grad(f_torch, x)
    check.close(lambda m: m.grad_check(f, x, g), expected_check(g, central(f, x, 1e-6)),
                call=f"grad_check(f, x, analytic_grad) with f = {func}, x {x.shape}, analytic_grad from torch",
                inputs={"x": x, "analytic_grad": g}, names=NAMES)


OK_CASES = {
    "true_gradient": "analytic_grad from torch",
    "all_just_within": "every element moved by 0.9 * (atol + rtol * |n|)",
    "one_just_outside": "one element moved by 1.5 * (atol + rtol * |n|)",
    "zero_gradient_outside": "5e-6 (5 * atol) where the true gradient is 0",
    "zero_gradient_within": "9e-7 (0.9 * atol) where the true gradient is 0",
    "zero_gradient_just_outside": "1.5e-6 (1.5 * atol) where the true gradient is 0",
    "zero_gradient_at_atol": "1e-6 (exactly atol) where the true gradient is 0: |a - n| <= atol is ok",
}


@pytest.mark.parametrize("case", OK_CASES)
def test_ok_rule(check, rng, case):
    """Is ok True exactly when EVERY element has |a - n| <= atol + rtol * |n| (torch.autograd.gradcheck's rule)?"""
    f, f_torch = weighted_tanh(rng, (3, 4), zeros=3)  # three elements f ignores: their gradient is exactly 0
    x = point(rng, (3, 4))
    g = torch_grad(f_torch, x)
    bound = 1e-6 + 1e-4 * np.abs(g)
    a = g.copy()
    zero = np.flatnonzero(g == 0)
    live = np.flatnonzero(g != 0)
    if case == "all_just_within":
        a += 0.9 * bound * rng.choice([-1.0, 1.0], g.shape)
    elif case == "one_just_outside":
        k = live[np.argmin(np.abs(g.reshape(-1)[live]))]  # the smallest live gradient: there rtol alone would not do
        a.reshape(-1)[k] += 1.5 * bound.reshape(-1)[k]
    elif case == "zero_gradient_outside":
        a.reshape(-1)[zero[0]] = 5e-6
    elif case == "zero_gradient_within":
        a.reshape(-1)[zero[0]] = 9e-7
    elif case == "zero_gradient_just_outside":  # outside the default atol 1e-6, inside twice that
        a.reshape(-1)[zero[0]] = 1.5e-6
    elif case == "zero_gradient_at_atol":  # f ignores the element, so n is exactly 0 and |a - n| is exactly atol
        a.reshape(-1)[zero[0]] = 1e-6
    n = central(f, x, 1e-6)
    if case == "true_gradient":
        check.close(lambda m: m.grad_check(f, x, a), expected_check(a, n),
                    call=f"grad_check(f, x, analytic_grad) with analytic_grad: {OK_CASES[case]}",
                    inputs={"x": x, "analytic_grad": a}, names=NAMES)
        return
    # With the true gradient first: a wrong numerical gradient fails there, a wrong verdict rule does not,
    # so the two are told apart even where their verdicts on `a` agree.
    check.close(lambda m: with_true_gradient(m, f, x, g, lambda: m.grad_check(f, x, a)),
                expected_check(g, n) + expected_check(a, n),
                call=f"grad_check(f, x, g) with g from torch, then grad_check(f, x, analytic_grad) with "
                     f"analytic_grad: {OK_CASES[case]}",
                inputs={"x": x, "analytic_grad": a}, names=TRUE_THEN_NAMES)


REL_CASES = {
    "three_times": "3 * the true gradient (0 where f ignores x)",
    "one_percent_noise": "the true gradient times 1 + u, u uniform in [-0.01, 0.01]",
    "nonzero_where_n_is_0": "1e-3 at one element f ignores, the true gradient elsewhere",
    "zero_where_n_is_not": "0 at one element, the true gradient elsewhere",
}


@pytest.mark.parametrize("case", REL_CASES)
def test_max_rel_error(check, rng, case):
    """Is max_rel_error the largest |a - n| / max(|a|, |n|), counting 0 where a and n are both 0 (never nan or inf)?"""
    f, f_torch = weighted_tanh(rng, (4, 3), zeros=2)
    x = point(rng, (4, 3))
    g = torch_grad(f_torch, x)
    live = np.flatnonzero(g != 0)
    if case == "three_times":
        a = 3 * g
    elif case == "one_percent_noise":
        a = g * (1 + rng.uniform(-0.01, 0.01, g.shape))
    elif case == "nonzero_where_n_is_0":
        a = g.copy()
        a.reshape(-1)[np.flatnonzero(g == 0)[0]] = 1e-3
    else:
        a = g.copy()
        a.reshape(-1)[live[0]] = 0.0
    check.close(lambda m: m.grad_check(f, x, a), expected_check(a, central(f, x, 1e-6)),
                call=f"grad_check(f, x, analytic_grad) with analytic_grad: {REL_CASES[case]}",
                inputs={"x": x, "analytic_grad": a}, names=NAMES)


def test_tolerances(check, rng):
    """Do eps, rtol and atol each change the verdict as they should (given by name and by position)?"""
    shape = (3, 4)
    x = point(rng, shape)
    # eps: for a cubic, a step of 0.1 moves n by 0.01 * w (|w| >= 0.5) away from the true gradient.
    f, f_torch = cubic(rng, shape)
    g = torch_grad(f_torch, x)
    for run, call, n in [(lambda m: m.grad_check(f, x, g), "grad_check(f, x, g)", central(f, x, 1e-6)),
                         (lambda m: m.grad_check(f, x, g, 0.1), "grad_check(f, x, g, 0.1)", central(f, x, 0.1)),
                         (lambda m: m.grad_check(f, x, g, eps=0.1), "grad_check(f, x, g, eps=0.1)", central(f, x, 0.1))]:
        check.close(run, expected_check(g, n), call=call + " with f(x) = sum(w * x**3 + x**2), g its true gradient",
                    inputs={"x": x, "analytic_grad": g}, names=NAMES)
    # rtol: every element 0.1 % off (|g| >= 0.2 here): too much for rtol 1e-4, fine for 1e-2.
    f, f_torch = weighted_tanh(rng, shape)
    a = torch_grad(f_torch, x) * 1.001
    n = central(f, x, 1e-6)
    for run, call, rtol in [(lambda m: m.grad_check(f, x, a), "grad_check(f, x, a)", 1e-4),
                            (lambda m: m.grad_check(f, x, a, rtol=1e-2), "grad_check(f, x, a, rtol=1e-2)", 1e-2),
                            (lambda m: m.grad_check(f, x, a, 1e-6, 1e-2), "grad_check(f, x, a, 1e-6, 1e-2)", 1e-2)]:
        check.close(run, expected_check(a, n, rtol=rtol), call=call + " with a = 1.001 * the true gradient",
                    inputs={"x": x, "analytic_grad": a}, names=NAMES)
    # atol: 1e-5 where the true gradient is 0: too much for atol 1e-6, fine for 1e-4.
    f, f_torch = weighted_tanh(rng, shape, zeros=2)
    g = torch_grad(f_torch, x)
    a = g.copy()
    a[a == 0] = 1e-5
    n = central(f, x, 1e-6)
    for run, call, atol in [(lambda m: m.grad_check(f, x, a), "grad_check(f, x, a)", 1e-6),
                            (lambda m: m.grad_check(f, x, a, atol=1e-4), "grad_check(f, x, a, atol=1e-4)", 1e-4),
                            (lambda m: m.grad_check(f, x, a, 1e-6, 1e-4, 1e-4),
                             "grad_check(f, x, a, 1e-6, 1e-4, 1e-4)", 1e-4)]:
        # The true gradient first, as in test_ok_rule: it tells a wrong numerical gradient from a wrong verdict.
        check.close(lambda m: with_true_gradient(m, f, x, g, lambda: run(m)),
                    expected_check(g, n) + expected_check(a, n, atol=atol),
                    call="grad_check(f, x, g) with g from torch, then " + call +
                         " with a = 1e-5 where the true gradient is 0",
                    inputs={"x": x, "analytic_grad": a}, names=TRUE_THEN_NAMES)


BAD = {
    "numerical_eps_0": "numerical_grad(f, x, eps=0)",
    "numerical_eps_negative": "numerical_grad(f, x, eps=-1e-6)",
    "numerical_f_vector": "numerical_grad(f, x) with f returning an array of shape (3,)",
    "numerical_f_matrix": "numerical_grad(f, x) with f returning an array of shape (3, 4)",
    "check_grad_transposed": "grad_check(f, x, analytic_grad) with x (3, 4) and analytic_grad (4, 3)",
    "check_grad_flat": "grad_check(f, x, analytic_grad) with x (3, 4) and analytic_grad (12,)",
    "check_eps_0": "grad_check(f, x, analytic_grad, eps=0)",
    "check_eps_negative": "grad_check(f, x, analytic_grad, eps=-0.1)",
    "check_f_vector": "grad_check(f, x, analytic_grad) with f returning an array of shape (3,)",
}


@pytest.mark.parametrize("bad", BAD)
def test_bad_input(check, rng, bad):
    """Are a step eps <= 0, an f that returns more than one number and an analytic_grad not shaped like x refused with ValueError?"""
    f, f_torch = weighted_tanh(rng, (3, 4))
    x = point(rng, (3, 4))
    g = torch_grad(f_torch, x)
    vector, matrix = (lambda v: np.tanh(v).reshape(-1)[:3]), (lambda v: np.tanh(v))
    runs = {
        "numerical_eps_0": lambda m: m.numerical_grad(f, x, eps=0),
        "numerical_eps_negative": lambda m: m.numerical_grad(f, x, eps=-1e-6),
        "numerical_f_vector": lambda m: m.numerical_grad(vector, x),
        "numerical_f_matrix": lambda m: m.numerical_grad(matrix, x),
        "check_grad_transposed": lambda m: m.grad_check(f, x, g.T.copy()),
        "check_grad_flat": lambda m: m.grad_check(f, x, g.reshape(-1)),
        "check_eps_0": lambda m: m.grad_check(f, x, g, eps=0),
        "check_eps_negative": lambda m: m.grad_check(f, x, g, eps=-0.1),
        "check_f_vector": lambda m: m.grad_check(vector, x, g),
    }
    check.raises(runs[bad], call=BAD[bad], reason=BAD[bad].split(" with ")[-1], inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Is numerical_grad's result in x's dtype and right (a float32 x differenced in float64, returned float32)?"""
    # A float32 x cannot hold x + 1e-6 near 1 (its spacing there is 1.2e-7): the differences must be
    # taken on a float64 copy. Then the only float32 error is the final rounding of the gradient.
    f, f_torch = weighted_tanh(rng, (3, 5))
    x = point(rng, (3, 5), dtype)
    g = torch_grad(f_torch, x)
    check.close(lambda m: m.numerical_grad(f, x), g, call=f"numerical_grad(f, x) with x (3, 5) {x.dtype}",
                inputs={"x": x}, dtype=True)
    check.close(lambda m: m.grad_check(f, x, g), expected_check(g, central(f, x, 1e-6)),
                call=f"grad_check(f, x, analytic_grad) with x (3, 5) and analytic_grad {x.dtype}",
                inputs={"x": x, "analytic_grad": g}, names=NAMES, dtype=True)
