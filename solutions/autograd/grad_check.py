"""Gradient checking: central differences, and the elementwise test torch.autograd.gradcheck applies."""

import numpy as np


def numerical_grad(f, x, eps=1e-6):
    """The gradient of a scalar function f at x, estimated by central differences, one element at a time.

    For each element i, with e_i the array that is 1 at i and 0 elsewhere,
        grad[i] = (f(x + eps * e_i) - f(x - eps * e_i)) / (2 * eps).
    Its error is about eps**2 / 6 * f''' (truncation) plus about 1e-16 * |f| / eps (rounding), so
    eps = 1e-6 in float64 gives some 10 correct digits; a forward difference (f(x + eps e_i) - f(x)) / eps
    is off by about eps / 2 * f'', a million times more.

    The differences are always taken in float64, on a copy of x: a float32 x cannot even hold
    x + 1e-6 (near 1 its spacing is about 1.2e-7), so f is called with float64 arrays shaped like x,
    and the result is returned in x's dtype. The caller's x ends as it began, to the last bit: if you
    perturb x itself, save each element and put the saved value back, since x[i] += eps followed by
    x[i] -= eps need not give back the same float.

    Args:
        f: a function of one array shaped like x that returns a single number (a Python float, a
            NumPy scalar or a 0-d array).
        x: the point, an ndarray of any shape, float32 or float64. Not modified.
        eps: the step, > 0.

    Returns:
        An ndarray shaped like x, in x's dtype: the estimated gradient of f at x.

    Raises:
        ValueError: if eps is not > 0, or f returns more than one number.

    Shapes:
        x: (*) -> (*)

    PyTorch: no function of its own; torch.autograd.gradcheck takes the same central differences
        (torch.autograd.gradcheck.get_numerical_jacobian) to check an analytic gradient.
    """
    # BEGIN SOLUTION: differences on a float64 copy, one element at a time; return in x's dtype
    x = np.asarray(x)
    grad = _central_differences(f, x, _check_eps(eps))  # x.shape, float64
    return grad.astype(x.dtype if x.dtype.kind == "f" else np.float64, copy=False)
    # END SOLUTION


def grad_check(f, x, analytic_grad, eps=1e-6, rtol=1e-4, atol=1e-6):
    """Whether analytic_grad agrees with the central-difference gradient of f at x, and by how much.

    With n = the central-difference gradient (as numerical_grad, kept in float64) and a = analytic_grad:
        ok            every element has |a - n| <= atol + rtol * |n|   (the rule of torch.autograd.gradcheck)
        max_rel_error the largest over the elements of |a - n| / max(|a|, |n|), counting 0 where both
                      are 0 (a relative error is then between 0 and 1 wherever it is defined).

    Args:
        f: a function of one array shaped like x that returns a single number.
        x: the point, an ndarray of any shape, float32 or float64. Not modified.
        analytic_grad: the gradient to check, an array shaped like x.
        eps: the step of the central differences, > 0.
        rtol: the relative part of the tolerance.
        atol: the absolute part of the tolerance.

    Returns:
        (ok, max_rel_error): a bool and a float.

    Raises:
        ValueError: if analytic_grad is not shaped like x, eps is not > 0, or f returns more than one number.

    Shapes:
        x: (*), analytic_grad: (*) -> ok (), max_rel_error ()

    PyTorch: torch.autograd.gradcheck(f, (x,), eps=eps, rtol=rtol, atol=atol) compares autograd's own
        gradient with these differences by the same elementwise rule (it raises or returns False).
    """
    # BEGIN SOLUTION: shapes first; n in float64; ok by the elementwise rule; 0 where max(|a|, |n|) is 0
    x = np.asarray(x)
    a = np.asarray(analytic_grad, dtype=np.float64)
    if a.shape != x.shape:
        raise ValueError(f"analytic_grad must be shaped like x {x.shape}, not {a.shape}")
    n = _central_differences(f, x, _check_eps(eps))  # x.shape, float64
    diff = np.abs(a - n)  # x.shape
    ok = bool(np.all(diff <= atol + rtol * np.abs(n)))
    scale = np.maximum(np.abs(a), np.abs(n))  # x.shape
    rel = np.divide(diff, scale, out=np.zeros_like(diff), where=scale > 0)  # 0 where both are 0
    return ok, float(rel.max()) if rel.size else 0.0
    # END SOLUTION


def _central_differences(f, x, eps):
    """(f(x + eps e_i) - f(x - eps e_i)) / (2 eps) for every element i, in float64, x untouched."""
    # BEGIN SOLUTION: perturb a float64 copy, evaluate twice, put the saved value back
    work = np.array(x, dtype=np.float64)  # a copy: the caller's x is never written
    flat = work.reshape(-1)  # a view of the copy: writing flat[i] changes work
    grad = np.empty(flat.size)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + eps
        up = _scalar(f(work))
        flat[i] = saved - eps
        down = _scalar(f(work))
        flat[i] = saved  # back exactly, before the next element moves
        grad[i] = (up - down) / (2 * eps)
    return grad.reshape(x.shape)
    # END SOLUTION


def _check_eps(eps):
    """eps as a float, after checking that it is > 0."""
    # BEGIN SOLUTION: a positive step, else ValueError naming eps
    if not eps > 0:
        raise ValueError(f"eps must be > 0, not {eps}")
    return float(eps)
    # END SOLUTION


def _scalar(value):
    """f's value as a float, after checking that it is a single number."""
    # BEGIN SOLUTION: one element, else ValueError naming f
    value = np.asarray(value)
    if value.size != 1:
        raise ValueError(f"f must return a single number, not an array of shape {value.shape}")
    return float(value.reshape(()))
    # END SOLUTION
