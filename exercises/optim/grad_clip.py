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
    # TODO: one norm over every element of every gradient, then one scale clamped to at most 1 for all
    raise NotImplementedError("optim.grad_clip: clip_grad_norm")


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
    # TODO: np.clip every gradient into a new array, both sides
    raise NotImplementedError("optim.grad_clip: clip_grad_value")
