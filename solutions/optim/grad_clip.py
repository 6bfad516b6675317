"""Gradient clipping: rescale all gradients by one joint norm, or clamp every element to a range."""

import numpy as np


def clip_grad_norm(grads, max_norm, norm_type=2.0):
    """Scale all gradients together so that their joint norm is at most about max_norm.

    total_norm is the p-norm of every gradient element at once (of all the grads flattened and joined),
    or the largest absolute element for norm_type = inf. Every gradient is multiplied by the same
    scale = min(max_norm / (total_norm + 1e-6), 1): gradients already inside the ball come back unchanged.

    Args:
        grads: a list of float arrays (float32 or float64). They are only read, never changed.
        max_norm: the largest joint norm allowed, >= 0.
        norm_type: p of the p-norm, a float > 0, or float("inf") (np.inf) for the max-norm.

    Returns:
        (clipped_grads, total_norm): a list of NEW arrays, each shaped and typed like its gradient, and the
        joint norm of the gradients BEFORE clipping, a float.

    Raises:
        ValueError: if max_norm < 0 or norm_type <= 0.

    Shapes:
        grads: [g_0, g_1, ...], each of any shape -> clipped_grads: the same shapes; total_norm: a scalar.

    PyTorch: torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type) with every p.grad set; torch
        clips p.grad in place and returns total_norm.
    """
    # BEGIN SOLUTION: one norm over every element of every gradient, then one scale clamped to at most 1 for all
    if not max_norm >= 0:
        raise ValueError(f"max_norm must be >= 0, got {max_norm}")
    if not norm_type > 0:
        raise ValueError(f"norm_type must be > 0 (or inf), got {norm_type}")
    grads = [np.asarray(g) for g in grads]
    if not grads:
        return [], 0.0
    flat = np.concatenate([np.abs(g).ravel().astype(np.float64) for g in grads])  # (total number of elements,)
    if flat.size == 0:
        total_norm = 0.0
    elif np.isinf(norm_type):
        total_norm = float(flat.max())
    else:
        total_norm = float(np.sum(flat ** norm_type) ** (1.0 / norm_type))
    scale = min(max_norm / (total_norm + 1e-6), 1.0)  # 1 when the gradients are already small enough
    clipped = [(g * scale).astype(g.dtype) for g in grads]  # new arrays, dtype kept
    return clipped, total_norm
    # END SOLUTION


def clip_grad_value(grads, clip_value):
    """Clamp every gradient element to [-clip_value, clip_value].

    Args:
        grads: a list of float arrays (float32 or float64). They are only read, never changed.
        clip_value: the largest absolute value allowed, >= 0.

    Returns:
        A list of NEW arrays, each shaped and typed like its gradient.

    Raises:
        ValueError: if clip_value < 0.

    Shapes:
        grads: [g_0, g_1, ...], each of any shape -> the same shapes.

    PyTorch: torch.nn.utils.clip_grad_value_(params, clip_value) with every p.grad set (in place there).
    """
    # BEGIN SOLUTION: np.clip every gradient into a new array, both sides
    if not clip_value >= 0:
        raise ValueError(f"clip_value must be >= 0, got {clip_value}")
    return [np.clip(g, -clip_value, clip_value) for g in grads]  # np.clip returns a new array
    # END SOLUTION
