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
    # BEGIN SOLUTION: forward keeping z1, a1 and the log-probabilities; backward from (p - onehot) / N inward
    w1, b1, w2, b2 = _check(x, y, params)
    n = x.shape[0]
    rows = np.arange(n)
    z1 = x @ w1.T + b1  # (N, H)
    a1 = np.maximum(z1, 0)  # (N, H)
    logits = a1 @ w2.T + b2  # (N, C)
    shifted = logits - logits.max(axis=1, keepdims=True)  # (N, C), the largest of each row is 0
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # (N, C)
    loss = -log_p[rows, y].mean()  # ()
    grad_logits = np.exp(log_p)  # (N, C) softmax
    grad_logits[rows, y] -= 1  # minus the one-hot of each row's own target
    grad_logits /= n  # the mean over the batch
    grad_a1 = grad_logits @ w2  # (N, H)
    grad_z1 = grad_a1 * (z1 > 0)  # (N, H); nothing passes where z1 <= 0
    grads = {
        "fc1.weight": grad_z1.T @ x,  # (H, D)
        "fc1.bias": grad_z1.sum(axis=0),  # (H,)
        "fc2.weight": grad_logits.T @ a1,  # (C, H)
        "fc2.bias": grad_logits.sum(axis=0),  # (C,)
    }
    dtype = x.dtype
    return dtype.type(loss), {k: v.astype(dtype, copy=False) for k, v in grads.items()}
    # END SOLUTION


def _check(x, y, params):
    """The four parameter arrays, after checking x, y and that the shapes chain: D -> H -> C."""
    # BEGIN SOLUTION: every key present; x (N, D); y (N,) integers in [0, C); W1 (H, D), b1 (H,), W2 (C, H), b2 (C,)
    missing = [k for k in KEYS if k not in params]
    if missing:
        raise ValueError(f"params has no {missing}: it needs the keys {list(KEYS)}")
    w1, b1, w2, b2 = (params[k] for k in KEYS)
    if x.ndim != 2:
        raise ValueError(f"x must be (N, D), not of shape {x.shape}")
    n, d = x.shape
    if y.ndim != 1 or y.shape[0] != n:
        raise ValueError(f"y must be ({n},), one class per row of x, not of shape {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must hold integer class indices, not {y.dtype}")
    if w1.ndim != 2 or w1.shape[1] != d:
        raise ValueError(f"params['fc1.weight'] is {w1.shape} but x has {d} features: it must be (H, {d})")
    h = w1.shape[0]
    if b1.shape != (h,):
        raise ValueError(f"params['fc1.bias'] is {b1.shape} but must be ({h},)")
    if w2.ndim != 2 or w2.shape[1] != h:
        raise ValueError(f"params['fc2.weight'] is {w2.shape} but fc1 gives {h} hidden units: it must be (C, {h})")
    c = w2.shape[0]
    if b2.shape != (c,):
        raise ValueError(f"params['fc2.bias'] is {b2.shape} but must be ({c},)")
    if n and (y.min() < 0 or y.max() >= c):
        raise ValueError(f"y holds {y.min() if y.min() < 0 else y.max()}, outside the classes [0, {c})")
    return w1, b1, w2, b2
    # END SOLUTION
