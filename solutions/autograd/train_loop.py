"""A whole training loop by hand: an MLP fitted to y = f(x) with full-batch MSE and Adam."""

import numpy as np

BETA1, BETA2, EPS = 0.9, 0.999, 1e-8


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
    # BEGIN SOLUTION: draw into one flat vector; per step: forward, record the loss, backward, Adam; predict uses the last
    _check(x, y, hidden, steps, lr)
    rng = np.random.default_rng() if rng is None else rng
    xs, ys = np.asarray(x, np.float64), np.asarray(y, np.float64)  # (N, 1) each
    theta = np.concatenate([p.ravel() for p in _init(hidden, rng)])  # (3H + 1,): every parameter end to end
    m, v = np.zeros_like(theta), np.zeros_like(theta)  # Adam's first and second moments, one per parameter
    losses = []
    for t in range(1, steps + 1):
        loss, grads = _loss_and_grads(xs, ys, _unpack(theta, hidden))
        losses.append(float(loss))  # before this step's update
        g = np.concatenate([d.ravel() for d in grads])  # (3H + 1,), in theta's order
        m = BETA1 * m + (1 - BETA1) * g
        v = BETA2 * v + (1 - BETA2) * g ** 2
        m_hat, v_hat = m / (1 - BETA1 ** t), v / (1 - BETA2 ** t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + EPS)  # a new array: nothing aliased

    final = _unpack(theta, hidden)

    def predict(x_new):
        x_new = np.asarray(x_new)
        if x_new.ndim != 2 or x_new.shape[1] != 1:
            raise ValueError(f"x must be (M, 1), not of shape {x_new.shape}")
        out = _forward(x_new.astype(np.float64), final)[1]  # (M, 1)
        return out.astype(x_new.dtype if np.issubdtype(x_new.dtype, np.floating) else np.float64)

    return predict, losses
    # END SOLUTION


def _init(hidden, rng):
    """(W1, b1, W2, b2), uniform on [-1/sqrt(fan_in), 1/sqrt(fan_in)] as nn.Linear, all from rng."""
    # BEGIN SOLUTION: fan_in 1 for the first layer, hidden for the second
    bound2 = 1.0 / np.sqrt(hidden)
    return (rng.uniform(-1.0, 1.0, size=(hidden, 1)),  # W1 (H, 1)
            rng.uniform(-1.0, 1.0, size=hidden),  # b1 (H,)
            rng.uniform(-bound2, bound2, size=(1, hidden)),  # W2 (1, H)
            rng.uniform(-bound2, bound2, size=1))  # b2 (1,)
    # END SOLUTION


def _unpack(theta, hidden):
    """(W1, b1, W2, b2) as views into the flat vector theta, the order _init gives them in."""
    # BEGIN SOLUTION: W1 is theta[:H], b1 theta[H:2H], W2 theta[2H:3H], b2 theta[3H:]
    h = hidden
    return (theta[:h].reshape(h, 1), theta[h:2 * h],  # W1 (H, 1), b1 (H,)
            theta[2 * h:3 * h].reshape(1, h), theta[3 * h:])  # W2 (1, H), b2 (1,)
    # END SOLUTION


def _forward(x, params):
    """(h, pred): the hidden activations tanh(x @ W1.T + b1) and the output h @ W2.T + b2."""
    # BEGIN SOLUTION: two Linears with a tanh between
    w1, b1, w2, b2 = params
    h = np.tanh(x * w1.T + b1)  # (N, 1) * (1, H) -> (N, H): with one input feature, x @ W1.T is this outer product
    return h, h @ w2.T + b2  # (N, H), (N, 1)
    # END SOLUTION


def _loss_and_grads(x, y, params):
    """The mean squared error on the batch and its gradients (dW1, db1, dW2, db2), shaped as the parameters."""
    # BEGIN SOLUTION: d loss / d pred = 2 (pred - y) / N, then back through fc2, the tanh (1 - h**2) and fc1
    n = x.shape[0]
    h, pred = _forward(x, params)
    diff = pred - y  # (N, 1)
    loss = np.mean(diff ** 2)
    g = 2.0 * diff / n  # (N, 1)
    gz = (g * params[2]) * (1.0 - h * h)  # (N, 1) * (1, H) -> (N, H), then through the tanh
    return loss, (gz.T @ x, gz.sum(axis=0), g.T @ h, g.sum(axis=0))  # (H, 1), (H,), (1, H), (1,)
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
