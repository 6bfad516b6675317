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
    # TODO: statistics over every axis but 1; grad_x = (dx_hat - mean(dx_hat) - x_hat * mean(dx_hat * x_hat)) / std, the parameter gradients summed over the same axes
    raise NotImplementedError("norm.batchnorm_backward: batch_norm_backward")


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
        # TODO: store the arguments; weight = ones(C), bias = zeros(C), running_mean = zeros(C), running_var = ones(C), num_batches_tracked = 0, training = True
        raise NotImplementedError("norm.batchnorm_backward: __init__")

    def train(self):
        """Switch to training mode: batch statistics, running estimates updated. Returns self."""
        # TODO: set training to True
        raise NotImplementedError("norm.batchnorm_backward: train")

    def eval(self):
        """Switch to eval mode: running estimates used, nothing updated. Returns self."""
        # TODO: set training to False
        raise NotImplementedError("norm.batchnorm_backward: eval")

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
        # TODO: axes (0,) for (N, C), (0, 2) for (N, C, L); in training the batch mean and biased var, running estimates updated with the unbiased var; in eval the running estimates
        raise NotImplementedError("norm.batchnorm_backward: forward")

    def __call__(self, x):
        """The same as forward(x)."""
        # TODO: return self.forward(x)
        raise NotImplementedError("norm.batchnorm_backward: __call__")


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
