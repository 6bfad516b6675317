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
    # BEGIN SOLUTION: linear with "0.*", the activation, linear with "2.*"; nothing after the last layer
    if activation not in ACTIVATIONS:
        raise ValueError(f'activation must be "relu", "gelu" or "tanh", not {activation!r}')
    w0, b0, w2, b2 = (params[k] for k in ("0.weight", "0.bias", "2.weight", "2.bias"))
    if x.shape[-1:] != w0.shape[1:]:
        raise ValueError(f"x has {x.shape[-1:]} features but params['0.weight'] is {w0.shape} (hidden, in)")
    if w2.shape[1:] != w0.shape[:1]:
        raise ValueError(f"params['2.weight'] is {w2.shape} but must take the {w0.shape[0]} hidden units")
    hidden = _activate(x @ w0.T + b0, activation)  # (*, hidden)
    return (hidden @ w2.T + b2).astype(x.dtype, copy=False)  # (*, out)
    # END SOLUTION


def _activate(z, activation):
    """relu, exact gelu or tanh of z, in z's dtype."""
    # BEGIN SOLUTION: relu and tanh from NumPy; gelu = z * Phi(z) with Phi from math.erf
    if activation == "relu":
        return np.maximum(z, 0)
    if activation == "tanh":
        return np.tanh(z)
    erf = np.vectorize(math.erf, otypes=[np.float64])
    return (z * 0.5 * (1 + erf(z / math.sqrt(2)))).astype(z.dtype)
    # END SOLUTION
