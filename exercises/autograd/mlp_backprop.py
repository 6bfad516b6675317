"""Backpropagation by hand through a two-layer classifier: Linear, ReLU, Linear, mean cross-entropy."""

import numpy as np

KEYS = ("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")


def mlp_loss_and_grads(x, y, params):
    """The mean cross-entropy of a two-layer MLP on class indices, and its gradient for every parameter.

    The model, restated so this file stands alone: a Linear is z @ weight.T + bias with weight
    (out, in), as nn.Linear; relu(z) = max(z, 0). Then
        z1 = x @ W1.T + b1,  a1 = relu(z1),  logits = a1 @ W2.T + b2,
        loss = mean over the N samples of -log softmax(logits)[n, y[n]].
    Backward, from the loss inward: d loss / d logits = (softmax(logits) - onehot(y)) / N; each
    weight's gradient is (gradient at its output).T @ (its input), each bias's the sum over the
    batch of the gradient at its output; the ReLU passes the gradient where z1 > 0 only (none at
    exactly 0, as torch). The log-softmax subtracts each row's largest logit first, so that
    logits of a thousand or more stay finite.

    Args:
        x: the inputs, (N, D), float32 or float64.
        y: the target classes, an integer array (N,), each in [0, C).
        params: a dict with "fc1.weight" (H, D), "fc1.bias" (H,), "fc2.weight" (C, H) and
            "fc2.bias" (C,), in x's dtype. Other keys are ignored. Not modified.

    Returns:
        (loss, grads): loss the mean cross-entropy, a NumPy scalar in x's dtype (a 0-d array or a
        Python float is accepted too); grads a dict with exactly the four keys above, each
        gradient shaped like its parameter, in x's dtype.

    Raises:
        ValueError: if x is not 2-D, y is not a 1-D integer array of length N, a class in y is
            outside [0, C), a key is missing from params, or the shapes do not chain.

    Shapes:
        x: (N, D), y: (N,) -> loss (), grads as params

    PyTorch: loss = F.cross_entropy(fc2(torch.relu(fc1(x))), y) with fc1 = nn.Linear(D, H),
        fc2 = nn.Linear(H, C) holding params; loss.backward() fills each parameter's .grad.
    """
    # TODO: forward keeping z1, a1 and the log-probabilities; backward from (p - onehot) / N inward
    raise NotImplementedError("autograd.mlp_backprop: mlp_loss_and_grads")


def _check(x, y, params):
    """The four parameter arrays, after checking x, y and that the shapes chain: D -> H -> C."""
    # TODO: every key present; x (N, D); y (N,) integers in [0, C); W1 (H, D), b1 (H,), W2 (C, H), b2 (C,)
    raise NotImplementedError("autograd.mlp_backprop: _check")
