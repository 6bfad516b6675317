"""Group normalisation: the channels of each sample split into groups, each group normalised on its own."""

import numpy as np


def group_norm(x, num_groups, weight=None, bias=None, eps=1e-5):
    """Normalise each group of channels of each sample, then scale and shift per channel.

    The C channels are split into G = num_groups groups of K = C // G CONSECUTIVE channels:
    group g holds channels g*K, ..., g*K + K - 1. For each sample n and group g the mean and
    the BIASED variance are taken over all K * S values of that group (S: the number of
    spatial values, the product of x.shape[2:], 1 when there is no spatial axis), and

        y[n, c] = (x[n, c] - mean[n, g]) / sqrt(var[n, g] + eps) * weight[c] + bias[c]

    for every channel c of group g. The statistics are per group, but weight and bias are per
    CHANNEL, (C,), applied after normalising (a weight of None means 1, a bias of None 0).
    With G = 1 this is layer norm over (C, *) with a per-channel affine; with G = C it is
    instance norm.

    As torch, an input whose whole batch holds a single value per group (N = 1, K = 1 and
    S = 1, such as x of shape (1, C) with num_groups=C) is refused: there is no variance to
    normalise with. With N > 1 the same groups are allowed and normalise to 0 (then + bias).

    Args:
        x: float32 or float64, (N, C, *): (N, C) without spatial axes, (N, C, L), (N, C, H, W), ...
        num_groups: G, a positive int that divides C. It is the NUMBER of groups, not their size.
        weight: the scale of each channel, (C,), or None for none.
        bias: the shift of each channel, (C,), or None for none.
        eps: added to the variance inside the square root.

    Returns:
        y, with the shape and dtype of `x` (float32 in, float32 out).

    Raises:
        ValueError: if `x` has fewer than 2 axes, num_groups is not a positive int dividing C,
            the batch holds a single value per group (see above), or `weight` or `bias` is not
            of shape (C,).

    Shapes:
        x: (N, C, *), weight: (C,), bias: (C,) -> (N, C, *)
        inside: x (N, C, *) -> (N, G, K * S), statistics (N, G, 1)

    PyTorch: torch.nn.functional.group_norm(x, num_groups, weight, bias, eps)
    """
    # BEGIN SOLUTION: view x as (N, G, K * S) (groups are blocks of consecutive channels); mean and biased var over the last axis; normalise, reshape back, then weight[c] and bias[c] per channel
    if np.ndim(x) < 2:
        raise ValueError(f"x must be (N, C, *) with at least 2 axes, got shape {np.shape(x)}")
    N, C = x.shape[:2]
    if isinstance(num_groups, bool) or not isinstance(num_groups, (int, np.integer)) or num_groups <= 0:
        raise ValueError(f"num_groups must be a positive int, got {num_groups!r}")
    if C % num_groups != 0:
        raise ValueError(f"num_groups={num_groups} does not divide the {C} channels of x into equal groups")
    group_size = (C // num_groups) * int(np.prod(x.shape[2:]))  # K * S values per group
    if N * group_size == 1:
        raise ValueError(f"x of shape {x.shape} holds a single value per group (N = 1): no variance to normalise with")
    _check_affine(x, weight, bias)
    groups = x.reshape(N, num_groups, group_size)  # (N, G, K * S): channel-major, so each group is K whole channels
    mean = groups.mean(axis=2, keepdims=True)  # (N, G, 1)
    var = groups.var(axis=2, keepdims=True)  # (N, G, 1), biased: divided by K * S
    y = ((groups - mean) / np.sqrt(var + eps)).reshape(x.shape)  # (N, G, K * S) -> (N, C, *)
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
