"""Alternative correct answer: the norm of the per-gradient norms (as torch), in float64, cast back per array."""
import numpy as np


def clip_grad_norm(grads, max_norm, norm_type=2.0):
    if max_norm < 0:
        raise ValueError("max_norm must be >= 0")
    if not (norm_type > 0):
        raise ValueError("norm_type must be > 0")
    norm_type = float(norm_type)
    if norm_type == np.inf:
        norms = [np.max(np.abs(g)) if np.size(g) else 0.0 for g in grads]
        total = float(max(norms, default=0.0))
    else:
        norms = np.array([np.linalg.norm(np.ravel(g).astype(np.float64), ord=norm_type) for g in grads])
        total = float(np.linalg.norm(norms, ord=norm_type)) if len(norms) else 0.0
    coef = np.clip(max_norm / (total + 1e-6), None, 1.0)
    return [np.multiply(g.astype(np.float64), coef).astype(g.dtype) for g in grads], total


def clip_grad_value(grads, clip_value):
    if clip_value < 0:
        raise ValueError("clip_value must be >= 0")
    out = []
    for g in grads:
        c = g.copy()
        c[c > clip_value] = clip_value
        c[c < -clip_value] = -clip_value
        out.append(c)
    return out
