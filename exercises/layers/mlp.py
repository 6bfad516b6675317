"""A two-layer perceptron, Linear -> activation -> Linear, with the weights of nn.Sequential's state_dict."""

import math

import numpy as np

ACTIVATIONS = ("relu", "gelu", "tanh")


def mlp(x, params, activation="relu"):
    """nn.Sequential(nn.Linear(in, hidden), act, nn.Linear(hidden, out)) applied to x.

    The pieces, restated so this file stands alone (write them here, or copy your own):
    - linear(x, weight, bias) = x @ weight.T + bias, weight (out, in), bias (out,): the rows of
      weight are the output units, so x is multiplied by its transpose.
    - relu(x) = max(x, 0); tanh(x); gelu(x) = x * Phi(x), the exact form nn.GELU() uses by
      default, with Phi(x) = 0.5 * (1 + erf(x / sqrt(2))) the standard normal CDF (math.erf
      works on one number at a time: vectorise it with np.vectorize).
    The activation sits between the two layers only; the output is not activated.

    Args:
        x: the inputs, (*, in) (a single sample (in,), a batch (N, in), or more leading axes),
            float32 or float64.
        params: a dict with the keys of the Sequential's state_dict: "0.weight" (hidden, in),
            "0.bias" (hidden,), "2.weight" (out, hidden), "2.bias" (out,) (index 1 is the
            activation, which has no parameters). Not modified.
        activation: "relu", "gelu" (exact, erf) or "tanh".

    Returns:
        The outputs, (*, out), in x's dtype.

    Raises:
        ValueError: if `activation` is not one of the three names, or x's last axis does not
            match params["0.weight"]'s inputs, or the second layer's inputs do not match the
            first layer's outputs.

    Shapes:
        x: (*, in) -> (*, out)

    PyTorch: torch.nn.Sequential(nn.Linear(in, hidden), nn.ReLU() / nn.GELU() / nn.Tanh(),
        nn.Linear(hidden, out)) with load_state_dict(params)
    """
    # TODO: linear with "0.*", the activation, linear with "2.*"; nothing after the last layer
    raise NotImplementedError("layers.mlp: mlp")


def _activate(z, activation):
    """relu, exact gelu or tanh of z, in z's dtype."""
    # TODO: relu and tanh from NumPy; gelu = z * Phi(z) with Phi from math.erf
    raise NotImplementedError("layers.mlp: _activate")
