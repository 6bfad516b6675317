"""A whole training loop by hand: an MLP fitted to y = f(x) with full-batch MSE and Adam."""

import numpy as np

BETA1, BETA2, EPS = 0.9, 0.999, 1e-8
KEYS = ("w1", "b1", "w2", "b2")


def train(x, y, hidden=32, steps=2000, lr=1e-2, rng=None):
    """Fit y = f(x) with a one-hidden-layer tanh MLP, full-batch mean squared error and Adam.

    The model, restated so this file stands alone: Linear(1, hidden), tanh, Linear(hidden, 1),
        h = tanh(x @ W1.T + b1),  pred = h @ W2.T + b2,  loss = mean((pred - y) ** 2),
    with W1 (hidden, 1), b1 (hidden,), W2 (1, hidden), b2 (1,), drawn as nn.Linear draws them:
    uniform on [-1/sqrt(fan_in), 1/sqrt(fan_in)] with fan_in 1 for the first layer and hidden for
    the second. Each step computes the loss and its gradients by hand on the whole batch, then
    moves every parameter with Adam (betas 0.9 and 0.999, eps 1e-8, bias-corrected moments).
    The arithmetic is float64 inside, whatever x's dtype.

    Args:
        x: the inputs, (N, 1), float32 or float64.
        y: the targets, (N, 1), same N.
        hidden: the number of hidden units, an int >= 1.
        steps: the number of Adam updates, an int >= 1.
        lr: Adam's learning rate, > 0.
        rng: a np.random.Generator for the initial weights, the only randomness; None means
            np.random.default_rng() (a new, unseeded one).

    Returns:
        (predict, losses): predict(x_new) maps any (M, 1) array to the trained net's (M, 1)
        predictions in x_new's dtype, with the final weights (calling it changes nothing);
        losses a list of `steps` floats, losses[i] the training MSE BEFORE the i-th update.

    Raises:
        ValueError: if x is not (N, 1) with N >= 1, y's shape is not x's, hidden or steps is
            below 1, or lr is not positive.

    Shapes:
        x: (N, 1), y: (N, 1) -> predict: (M, 1) -> (M, 1); losses: steps floats

    PyTorch: net = nn.Sequential(nn.Linear(1, hidden), nn.Tanh(), nn.Linear(hidden, 1));
        opt = torch.optim.Adam(net.parameters(), lr); each step: loss = F.mse_loss(net(x), y);
        opt.zero_grad(); loss.backward(); opt.step().
    """
    # BEGIN SOLUTION: init from rng; each step: forward, record loss, backward, Adam; predict closes over the final params
    _check(x, y, hidden, steps, lr)
    rng = np.random.default_rng() if rng is None else rng
    xs, ys = np.asarray(x, np.float64), np.asarray(y, np.float64)  # (N, 1) each
    params = _init(hidden, rng)
    m = {k: np.zeros_like(v) for k, v in params.items()}  # Adam's first moments
    v = {k: np.zeros_like(p) for k, p in params.items()}  # Adam's second moments
    losses = []
    for t in range(1, steps + 1):
        loss, grads = _loss_and_grads(xs, ys, params)
        losses.append(float(loss))  # before this step's update
        for k in KEYS:
            m[k] = BETA1 * m[k] + (1 - BETA1) * grads[k]
            v[k] = BETA2 * v[k] + (1 - BETA2) * grads[k] ** 2
            m_hat = m[k] / (1 - BETA1 ** t)
            v_hat = v[k] / (1 - BETA2 ** t)
            params[k] = params[k] - lr * m_hat / (np.sqrt(v_hat) + EPS)  # a new array: nothing aliased

    final = dict(params)

    def predict(x_new):
        x_new = np.asarray(x_new)
        if x_new.ndim != 2 or x_new.shape[1] != 1:
            raise ValueError(f"x must be (M, 1), not of shape {x_new.shape}")
        out = _forward(x_new.astype(np.float64), final)[1]  # (M, 1)
        return out.astype(x_new.dtype if np.issubdtype(x_new.dtype, np.floating) else np.float64)

    return predict, losses
    # END SOLUTION


def _init(hidden, rng):
    """The four parameters, uniform on [-1/sqrt(fan_in), 1/sqrt(fan_in)] as nn.Linear, all from rng."""
    # BEGIN SOLUTION: fan_in 1 for the first layer, hidden for the second
    bound2 = 1.0 / np.sqrt(hidden)
    return {
        "w1": rng.uniform(-1.0, 1.0, size=(hidden, 1)),  # (H, 1)
        "b1": rng.uniform(-1.0, 1.0, size=hidden),  # (H,)
        "w2": rng.uniform(-bound2, bound2, size=(1, hidden)),  # (1, H)
        "b2": rng.uniform(-bound2, bound2, size=1),  # (1,)
    }
    # END SOLUTION


def _forward(x, params):
    """(h, pred): the hidden activations tanh(x @ W1.T + b1) and the output h @ W2.T + b2."""
    # BEGIN SOLUTION: two Linears with a tanh between
    h = np.tanh(x @ params["w1"].T + params["b1"])  # (N, H)
    return h, h @ params["w2"].T + params["b2"]  # (N, H), (N, 1)
    # END SOLUTION


def _loss_and_grads(x, y, params):
    """The mean squared error on the batch and its gradient for every parameter."""
    # BEGIN SOLUTION: d loss / d pred = 2 (pred - y) / N, then back through fc2, the tanh (1 - h**2) and fc1
    n = x.shape[0]
    h, pred = _forward(x, params)
    diff = pred - y  # (N, 1)
    loss = np.mean(diff ** 2)
    g = 2.0 * diff / n  # (N, 1)
    gz = (g @ params["w2"]) * (1.0 - h ** 2)  # (N, H)
    grads = {
        "w2": g.T @ h,  # (1, H)
        "b2": g.sum(axis=0),  # (1,)
        "w1": gz.T @ x,  # (H, 1)
        "b1": gz.sum(axis=0),  # (H,)
    }
    return loss, grads
    # END SOLUTION


def _check(x, y, hidden, steps, lr):
    """Refuse shapes and settings that cannot train."""
    # BEGIN SOLUTION: x (N, 1) with N >= 1, y like x, hidden and steps integers >= 1, lr > 0
    if np.ndim(x) != 2 or np.shape(x)[1] != 1 or np.shape(x)[0] < 1:
        raise ValueError(f"x must be (N, 1) with N >= 1, not of shape {np.shape(x)}")
    if np.shape(y) != np.shape(x):
        raise ValueError(f"y must have x's shape {np.shape(x)}, not {np.shape(y)}")
    if int(hidden) != hidden or hidden < 1:
        raise ValueError(f"hidden must be an integer >= 1, not {hidden}")
    if int(steps) != steps or steps < 1:
        raise ValueError(f"steps must be an integer >= 1, not {steps}")
    if not lr > 0:
        raise ValueError(f"lr must be positive, not {lr}")
    # END SOLUTION
