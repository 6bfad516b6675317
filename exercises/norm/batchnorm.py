"""BatchNorm2d: per-channel normalisation with batch statistics in training, running statistics in eval."""

import numpy as np


class BatchNorm2d:
    """Normalise each channel of an (N, C, H, W) batch, then scale and shift it.

    In training mode the mean and variance of each channel are taken over the batch and both
    spatial axes, i.e. over the N * H * W values of that channel. The output is

        y = (x - mean) / sqrt(var + eps) * weight + bias

    with the BIASED variance (divide by n = N * H * W). Each training forward also updates the
    running estimates that eval mode will use:

        running_mean = (1 - momentum) * running_mean + momentum * mean
        running_var  = (1 - momentum) * running_var  + momentum * var * n / (n - 1)

    (the running variance uses the UNBIASED variance), and adds 1 to num_batches_tracked.
    In eval mode the running estimates replace the batch statistics and nothing is updated.

    Attributes:
        weight: per-channel scale (gamma), (C,), ones at first. The caller may assign a new array.
        bias: per-channel shift (beta), (C,), zeros at first. The caller may assign a new array.
        running_mean: (C,), zeros at first.
        running_var: (C,), ones at first.
        num_batches_tracked: how many training batches have been seen, an int, 0 at first.
        training: True in training mode (the start), False after eval().

    Shapes:
        x: (N, C, H, W) -> (N, C, H, W);  weight, bias, running_mean, running_var: (C,)

    PyTorch: torch.nn.BatchNorm2d(num_features, eps=eps, momentum=momentum)
    """

    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        """Create the layer in training mode.

        Args:
            num_features: C, the number of channels the input will have.
            eps: added to the variance inside the square root, so a constant channel does not divide by 0.
            momentum: the weight of the newest batch in the running estimates.
        """
        # TODO: store the arguments; weight = ones(C), bias = zeros(C), running_mean = zeros(C), running_var = ones(C), num_batches_tracked = 0, training = True
        raise NotImplementedError("norm.batchnorm: __init__")

    def train(self):
        """Switch to training mode: batch statistics, running estimates updated. Returns self."""
        # TODO: set training to True
        raise NotImplementedError("norm.batchnorm: train")

    def eval(self):
        """Switch to eval mode: running estimates used, nothing updated. Returns self."""
        # TODO: set training to False
        raise NotImplementedError("norm.batchnorm: eval")

    def forward(self, x):
        """Normalise `x` channel by channel.

        Args:
            x: a batch of feature maps, float32 or float64, (N, C, H, W) with C = num_features.
                In training mode each channel needs more than one value (N * H * W > 1).

        Returns:
            The normalised, scaled and shifted batch, with the shape and dtype of `x`.

        Raises:
            ValueError: if `x` is not 4-D, its channel count is not num_features, or (in training)
                a channel has a single value.

        Shapes:
            x: (N, C, H, W) -> (N, C, H, W)

        PyTorch: torch.nn.BatchNorm2d(C)(x), in the module's current mode
        """
        # TODO: in training, mean and biased var over axes (0, 2, 3), update the running estimates (unbiased var) and the count; in eval, use the running estimates; then (x - mean) / sqrt(var + eps) * weight + bias
        raise NotImplementedError("norm.batchnorm: forward")

    def __call__(self, x):
        """The same as forward(x)."""
        # TODO: return self.forward(x)
        raise NotImplementedError("norm.batchnorm: __call__")


def _check_input(x, num_features):
    if np.ndim(x) != 4:
        raise ValueError(f"x must be 4-D (N, C, H, W), got shape {np.shape(x)}")
    if np.shape(x)[1] != num_features:
        raise ValueError(f"x has {np.shape(x)[1]} channels but the layer was made for num_features={num_features}")
