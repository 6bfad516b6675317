"""Central differences and gradcheck's rule (independent implementation).

Written another way than the reference: the step is applied by adding eps times a one-hot
array to a float64 copy (x itself is never written), the elements are visited with np.ndindex,
and the relative error uses np.where on a safe denominator.
"""

import numpy as np


def numerical_grad(f, x, eps=1e-6):
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps}")
    x = np.asarray(x)
    base = x.astype(np.float64)
    out = np.zeros(x.shape)
    for idx in np.ndindex(*x.shape):
        e = np.zeros(x.shape)
        e[idx] = eps
        hi, lo = np.asarray(f(base + e)), np.asarray(f(base - e))
        if hi.size != 1 or lo.size != 1:
            raise ValueError(f"f must return one number, got shape {hi.shape}")
        out[idx] = (hi.item() - lo.item()) / (2 * eps)
    return out.astype(x.dtype)


def grad_check(f, x, analytic_grad, eps=1e-6, rtol=1e-4, atol=1e-6):
    a = np.asarray(analytic_grad, dtype=np.float64)
    if a.shape != np.shape(x):
        raise ValueError(f"analytic_grad has shape {a.shape}, x has {np.shape(x)}")
    n = numerical_grad(f, np.asarray(x, dtype=np.float64), eps)
    err = np.abs(a - n)
    ok = bool((err <= atol + rtol * np.abs(n)).all())
    den = np.maximum(np.abs(a), np.abs(n))
    rel = np.where(den > 0, err / np.where(den > 0, den, 1), 0.0)
    return ok, float(np.max(rel, initial=0.0))  # an x with no elements has no error
