"""The backward pass of training-mode batch normalisation, through the batch statistics, and BatchNorm1d."""

import numpy as np


def batch_norm_backward(grad_out, x, weight=None, eps=1e-5):
    """The gradients of a loss with respect to x, weight and bias of training-mode batch normalisation.

    The forward pass being differentiated is, per channel c (axis 1),

        x_hat = (x - mean) / sqrt(var + eps),    y = x_hat * weight + bias

    where mean and the BIASED variance var are taken over every axis but 1: the m = N * L (or
    N * H * W) values of that channel. Because mean and var are computed from x itself, every
    value of a channel affects every output of that channel, and the gradient for x has three
    parts (all sums and means over the m values of a channel, dx_hat = grad_out * weight):

        grad_x = (dx_hat - mean(dx_hat) - x_hat * mean(dx_hat * x_hat)) / sqrt(var + eps)

    The parameter gradients are grad_weight = sum(grad_out * x_hat) and grad_bias = sum(grad_out),
    each summed over the m values of a channel. The bias itself does not enter any gradient, so
    it is not an argument; its gradient is always returned.

    Args:
        grad_out: dL/dy, shaped like `x`.
        x: the input of the forward pass, float32 or float64, (N, C), (N, C, L) or (N, C, H, W).
            Each channel needs more than one value (m > 1), as in torch's training mode.
        weight: the per-channel scale, (C,), or None for no scale (a weight of ones).
        eps: added to the variance inside the square root.

    Returns:
        (grad_x, grad_weight, grad_bias): grad_x shaped like `x`; grad_weight (C,), or None when
        `weight` is None; grad_bias (C,), always; in the dtype of `x`.

    Raises:
        ValueError: if `x` is not 2-, 3- or 4-D, `grad_out` is not shaped like `x`, `weight` is
            not of shape (C,), or a channel has a single value (m = 1).

    Shapes:
        grad_out, x: (N, C, *) with * = (), (L,) or (H, W); weight: (C,) -> (N, C, *), (C,), (C,)

    PyTorch: torch.autograd.grad(F.batch_norm(x, None, None, weight, bias, training=True, eps=eps),
        (x, weight, bias), grad_out)
    """
    # BEGIN SOLUTION: statistics over every axis but 1; grad_x = (dx_hat - mean(dx_hat) - x_hat * mean(dx_hat * x_hat)) / std, the parameter gradients summed over the same axes
    _check_backward(grad_out, x, weight)
    axes = (0,) + tuple(range(2, x.ndim))  # every axis but the channel axis
    m = x.size // x.shape[1]  # values per channel: N, N * L or N * H * W
    if m < 2:
        raise ValueError(f"x of shape {x.shape} has only one value per channel: no variance to normalise with")
    shape = (1, -1) + (1,) * (x.ndim - 2)  # (C,) -> (1, C, 1, ...), broadcasts against x
    mean = x.mean(axis=axes).reshape(shape)  # (1, C, 1, ...)
    inv_std = 1.0 / np.sqrt(x.var(axis=axes).reshape(shape) + eps)  # (1, C, 1, ...) biased variance
    x_hat = (x - mean) * inv_std  # (N, C, *)
    dx_hat = grad_out if weight is None else grad_out * weight.reshape(shape)  # (N, C, *)
    grad_x = inv_std * (dx_hat - dx_hat.mean(axis=axes, keepdims=True)
                        - x_hat * (dx_hat * x_hat).mean(axis=axes, keepdims=True))  # (N, C, *)
    grad_weight = None if weight is None else (grad_out * x_hat).sum(axis=axes)  # (C,)
    grad_bias = grad_out.sum(axis=axes)  # (C,)
    dtype = x.dtype
    return (grad_x.astype(dtype, copy=False), None if grad_weight is None else grad_weight.astype(dtype, copy=False),
            grad_bias.astype(dtype, copy=False))
    # END SOLUTION


class BatchNorm1d:
    """Batch normalisation of (N, C) features or (N, C, L) sequences, channel by channel (axis 1).

    The same layer as BatchNorm2d, for 2-D and 3-D input: in training mode each channel is
    normalised with the mean and the BIASED variance of its n = N (or N * L) values,

        y = (x - mean) / sqrt(var + eps) * weight + bias

    and the running estimates are updated with the UNBIASED variance:

        running_mean = (1 - momentum) * running_mean + momentum * mean
        running_var  = (1 - momentum) * running_var  + momentum * var * n / (n - 1)

    and num_batches_tracked goes up by 1. In eval mode the running estimates replace the batch
    statistics and nothing is updated.

    Attributes:
        weight: per-channel scale, (C,), ones at first. The caller may assign a new array.
        bias: per-channel shift, (C,), zeros at first. The caller may assign a new array.
        running_mean: (C,), zeros at first.
        running_var: (C,), ones at first.
        num_batches_tracked: how many training batches have been seen, an int, 0 at first.
        training: True in training mode (the start), False after eval().

    Shapes:
        x: (N, C) -> (N, C);  x: (N, C, L) -> (N, C, L);  weight, bias, running_mean, running_var: (C,)

    PyTorch: torch.nn.BatchNorm1d(num_features, eps=eps, momentum=momentum)
    """

    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        """Create the layer in training mode.

        Args:
            num_features: C, the number of channels (features) the input will have.
            eps: added to the variance inside the square root.
            momentum: the weight of the newest batch in the running estimates.
        """
        # BEGIN SOLUTION: store the arguments; weight = ones(C), bias = zeros(C), running_mean = zeros(C), running_var = ones(C), num_batches_tracked = 0, training = True
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.weight = np.ones(num_features)  # (C,)
        self.bias = np.zeros(num_features)  # (C,)
        self.running_mean = np.zeros(num_features)  # (C,)
        self.running_var = np.ones(num_features)  # (C,)
        self.num_batches_tracked = 0
        self.training = True
        # END SOLUTION

    def train(self):
        """Switch to training mode: batch statistics, running estimates updated. Returns self."""
        # BEGIN SOLUTION: set training to True
        self.training = True
        return self
        # END SOLUTION

    def eval(self):
        """Switch to eval mode: running estimates used, nothing updated. Returns self."""
        # BEGIN SOLUTION: set training to False
        self.training = False
        return self
        # END SOLUTION

    def forward(self, x):
        """Normalise `x` channel by channel.

        Args:
            x: float32 or float64, (N, C) or (N, C, L) with C = num_features. In training mode
                each channel needs more than one value (N > 1 for (N, C), N * L > 1 for (N, C, L)).

        Returns:
            The normalised, scaled and shifted batch, with the shape and dtype of `x`.

        Raises:
            ValueError: if `x` is not 2-D or 3-D, its channel count is not num_features, or (in
                training) a channel has a single value, as torch ("Expected more than 1 value per
                channel when training").

        Shapes:
            x: (N, C) -> (N, C);  x: (N, C, L) -> (N, C, L)

        PyTorch: torch.nn.BatchNorm1d(C)(x), in the module's current mode
        """
        # BEGIN SOLUTION: axes (0,) for (N, C), (0, 2) for (N, C, L); in training the batch mean and biased var, running estimates updated with the unbiased var; in eval the running estimates
        _check_input(x, self.num_features)
        axes = (0,) if x.ndim == 2 else (0, 2)
        shape = (1, -1) if x.ndim == 2 else (1, -1, 1)  # (C,) -> (1, C) or (1, C, 1)
        if self.training:
            n = x.size // x.shape[1]  # values per channel: N or N * L
            if n < 2:
                raise ValueError(f"x of shape {x.shape} has only one value per channel: "
                                 "expected more than 1 value per channel when training")
            mean = x.mean(axis=axes)  # (C,)
            var = x.var(axis=axes)  # (C,) biased: divided by n
            m = self.momentum
            self.running_mean = (1 - m) * self.running_mean + m * mean  # (C,)
            self.running_var = (1 - m) * self.running_var + m * var * (n / (n - 1))  # (C,) unbiased
            self.num_batches_tracked += 1
        else:
            mean, var = self.running_mean, self.running_var  # (C,)
        mean, var = np.reshape(mean, shape), np.reshape(var, shape)
        x_hat = (x - mean) / np.sqrt(var + self.eps)  # (N, C) or (N, C, L)
        out = x_hat * np.reshape(self.weight, shape) + np.reshape(self.bias, shape)  # same shape
        return out.astype(x.dtype, copy=False)
        # END SOLUTION

    def __call__(self, x):
        """The same as forward(x)."""
        # BEGIN SOLUTION: return self.forward(x)
        return self.forward(x)
        # END SOLUTION


def _check_backward(grad_out, x, weight):
    if np.ndim(x) not in (2, 3, 4):
        raise ValueError(f"x must be (N, C), (N, C, L) or (N, C, H, W), got shape {np.shape(x)}")
    if np.shape(grad_out) != np.shape(x):
        raise ValueError(f"grad_out has shape {np.shape(grad_out)} but x has shape {np.shape(x)}")
    if weight is not None and np.shape(weight) != (np.shape(x)[1],):
        raise ValueError(f"weight must have shape ({np.shape(x)[1]},), one per channel of x, got {np.shape(weight)}")


def _check_input(x, num_features):
    if np.ndim(x) not in (2, 3):
        raise ValueError(f"x must be 2-D (N, C) or 3-D (N, C, L), got shape {np.shape(x)}")
    if np.shape(x)[1] != num_features:
        raise ValueError(f"x has {np.shape(x)[1]} channels but the layer was made for num_features={num_features}")
