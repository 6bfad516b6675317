"""The backward pass of a 2-D convolution: the gradients of the input, the filters and the bias."""

import numbers

import numpy as np


def conv2d_backward(grad_out, x, weight, bias=None, stride=1, padding=0):
    """Push the gradient of a conv2d output back to x, weight and bias.

    The forward pass (cross-correlation, as torch.nn.functional.conv2d) is

        out[n, o, i, j] = bias[o] + sum over c, a, b of
                          x_pad[n, c, i * sH + a, j * sW + b] * weight[o, c, a, b]

    so every output number is a dot product of one window of the padded input with one
    filter. Its gradient grad_out[n, o, i, j] flows back along the same products:

        grad_weight[o, c, a, b] = sum over n, i, j of grad_out[n, o, i, j] * x_pad[n, c, i*sH + a, j*sW + b]
        grad_x_pad[n, c, i*sH + a, j*sW + b] += sum over o of grad_out[n, o, i, j] * weight[o, c, a, b]
        grad_bias[o] = sum over n, i, j of grad_out[n, o, i, j]

    Windows overlap when the stride is smaller than the kernel, so their contributions to
    grad_x_pad add up. With a stride, input rows or columns that no window reaches (the
    last row of H = 8 under kH = 3, sH = 2) get gradient 0. grad_x is grad_x_pad without
    the padding border: the same shape as x.

    Args:
        grad_out: gradient of the loss with respect to the conv2d output, (N, O, H_out, W_out).
        x: the forward input, float32 or float64, (N, C, H, W).
        weight: the forward filters, (O, C, kH, kW).
        bias: the forward bias, (O,), or None if the forward pass had none.
        stride: the forward stride, an int or a pair (sH, sW); each at least 1.
        padding: the forward zero padding, an int or a pair (pH, pW); each at least 0.

    Returns:
        (grad_x, grad_weight, grad_bias): arrays of the shapes of x, weight and bias, in the
        dtype of x; grad_bias is None when bias is None.

    Raises:
        ValueError: if x, weight or grad_out is not 4-D, the channel counts of x and weight
            differ, bias is not of shape (O,), stride < 1, padding < 0, the kernel does not fit
            the padded input, or grad_out is not of the forward output's shape.

    Shapes:
        grad_out: (N, O, H_out, W_out), x: (N, C, H, W), weight: (O, C, kH, kW), bias: (O,)
        -> grad_x: (N, C, H, W), grad_weight: (O, C, kH, kW), grad_bias: (O,)
        H_out = (H + 2 * pH - kH) // sH + 1,  W_out = (W + 2 * pW - kW) // sW + 1

    PyTorch: autograd of torch.nn.functional.conv2d(x, weight, bias, stride=stride, padding=padding)
    """
    # TODO: loop over output positions as the forward pass does; each window's gradient goes to grad_weight (times the window) and back into a zero padded buffer (times the filters); crop the buffer; grad_bias sums over (N, H_out, W_out)
    raise NotImplementedError("conv.conv2d_backward: conv2d_backward")


def _check_arrays(x, weight, bias):
    if np.ndim(x) != 4:
        raise ValueError(f"x must be 4-D (N, C, H, W), got shape {np.shape(x)}")
    if np.ndim(weight) != 4:
        raise ValueError(f"weight must be 4-D (O, C, kH, kW), got shape {np.shape(weight)}")
    if np.shape(x)[1] != np.shape(weight)[1]:
        raise ValueError(f"x has {np.shape(x)[1]} channels but weight expects {np.shape(weight)[1]} "
                         f"(weight is (O, C, kH, kW))")
    if bias is not None and np.shape(bias) != (np.shape(weight)[0],):
        raise ValueError(f"bias must have shape ({np.shape(weight)[0]},), one per filter, got {np.shape(bias)}")


def _pair(value, name, minimum):
    """An int or a pair of ints as (for H, for W), each at least `minimum`."""
    if isinstance(value, numbers.Integral):
        value = (value, value)
    if not (isinstance(value, (tuple, list)) and len(value) == 2
            and all(isinstance(v, numbers.Integral) for v in value)):
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
    if min(value) < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value!r}")
    return int(value[0]), int(value[1])
