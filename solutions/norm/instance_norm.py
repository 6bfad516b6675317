"""Instance normalisation: each channel of each sample normalised over its own spatial values."""

import numpy as np


def instance_norm(x, weight=None, bias=None, eps=1e-5):
    """Normalise every (sample, channel) pair over its spatial axes, then scale and shift per channel.

    For each sample n and channel c the mean and the BIASED variance (divided by S, the number
    of spatial values: the product of x.shape[2:]) are taken over x[n, c] alone. No other
    sample and no other channel takes part: pooling the batch in too would be batch norm,
    pooling the channels in too would be layer norm. The output is

        y[n, c] = (x[n, c] - mean[n, c]) / sqrt(var[n, c] + eps) * weight[c] + bias[c]

    where a weight of None means 1 and a bias of None means 0. weight and bias hold one value
    per CHANNEL, shared by every sample and every spatial position. As torch, an input with a
    single spatial value per channel (S == 1, which includes x of shape (N, C) with no spatial
    axis at all) is refused: its variance is 0 and there is nothing to normalise.

    Args:
        x: float32 or float64, (N, C, *) with at least one spatial axis: (N, C, L),
            (N, C, H, W) or (N, C, D, H, W); more than one spatial value per channel.
        weight: the scale of each channel, (C,), or None for none.
        bias: the shift of each channel, (C,), or None for none.
        eps: added to the variance inside the square root.

    Returns:
        y, with the shape and dtype of `x` (float32 in, float32 out).

    Raises:
        ValueError: if `x` has no spatial axis or a single spatial value per channel, or
            `weight` or `bias` is not of shape (C,).

    Shapes:
        x: (N, C, *), weight: (C,), bias: (C,) -> (N, C, *)

    PyTorch: torch.nn.functional.instance_norm(x, weight=weight, bias=bias, eps=eps)
    """
    # BEGIN SOLUTION: mean and biased var of each (n, c) over the axes after 1; (x - mean) / sqrt(var + eps); then weight[c] and bias[c] reshaped to (C, 1, ..., 1)
    spatial = int(np.prod(np.shape(x)[2:]))  # S: 1 when x has no spatial axis
    if np.ndim(x) < 3 or spatial == 1:
        raise ValueError(f"x of shape {np.shape(x)} has {spatial} spatial value per channel: "
                         "instance_norm needs (N, C, *) with more than one")
    _check_affine(x, weight, bias)
    axes = tuple(range(2, x.ndim))  # the spatial axes
    mean = x.mean(axis=axes, keepdims=True)  # (N, C, 1, ..., 1)
    var = x.var(axis=axes, keepdims=True)  # (N, C, 1, ..., 1), biased: divided by S
    y = (x - mean) / np.sqrt(var + eps)  # (N, C, *)
    per_channel = (-1,) + (1,) * (x.ndim - 2)  # (C,) -> (C, 1, ..., 1) broadcasts over N and the spatial axes
    if weight is not None:
        y = y * np.reshape(weight, per_channel)  # (N, C, *)
    if bias is not None:
        y = y + np.reshape(bias, per_channel)  # (N, C, *)
    return y.astype(x.dtype, copy=False)
    # END SOLUTION


def _check_affine(x, weight, bias):
    """weight and bias, where given, must hold one value per channel of x (N, C, *)."""
    C = np.shape(x)[1]
    for name, value in (("weight", weight), ("bias", bias)):
        if value is not None and np.shape(value) != (C,):
            raise ValueError(f"{name} must have one value per channel, shape ({C},), got {np.shape(value)}")
